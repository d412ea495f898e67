#!/usr/bin/env python3
"""No declaration without a definition: every function and variable that
the library's public headers declare must be defined by the library.

usage: check_decls.py --include DIR [--include DIR ...] --lib LIB [--lib LIB ...]
                      [--allowlist FILE] [--cc CC] [-I DIR ...]

Each header under the --include directories is compiled (all of them in one
translation unit, with -I for the directories and the extra -I ones).
Functions come from gcc's -aux-info output (declarations, not definitions,
not static), variables from the preprocessed text (extern declarations that
are not functions: plain variables and pointers to functions). Both are
compared with the symbols each --lib defines (nm --defined-only; for a
shared library its dynamic symbols). A name missing from any library
fails the check unless the allow-list names it; an allow-list entry that
every library defines, or that no header declares, is stale and fails too.

Each header must also compile on its own (its own #include is all a user
writes): one that does not is a problem too.

Allow-list format: one name per line, then anything (who provides it);
'#' starts a comment. Exit status 0 if clean, 1 otherwise, 2 on usage or
tool errors.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

LINEMARK_RE = re.compile(r'^# (\d+) "([^"]*)"')
AUX_RE = re.compile(r'^/\* (.+):(\d+):([NOI])([CF]) \*/ (.*)$')
IDENT_RE = re.compile(r'[A-Za-z_]\w*')
KEYWORDS = {
    'extern', 'static', 'const', 'volatile', 'restrict', '__restrict', 'inline',
    '__inline', '__inline__', 'unsigned', 'signed', 'int', 'char', 'short', 'long',
    'float', 'double', 'void', 'struct', 'union', 'enum', '_Bool', '__extension__',
    '_Noreturn', '_Thread_local', '__thread',
}


def headers(dirs):
    out = []
    for d in dirs:
        for root, _, files in os.walk(d):
            out += [os.path.join(root, f) for f in files if f.endswith('.h')]
    return sorted(out)


def under(path, dirs):
    p = os.path.realpath(path)
    return any(p.startswith(os.path.realpath(d) + os.sep) for d in dirs)


def strip_balanced(text, keyword):
    """Removes `keyword ( ... )` with balanced parentheses."""
    out, i = [], 0
    while True:
        m = re.compile(r'\b' + keyword + r'\b\s*\(').search(text, i)
        if not m:
            out.append(text[i:])
            return ''.join(out)
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {'(': 1, ')': -1}.get(text[j], 0)
            j += 1
        i = j


def top_level_statements(text):
    """Splits C text into top-level statements at ';', skipping {...} bodies
    (struct bodies stay in their statement, function bodies end one)."""
    stmts, cur, depth = [], [], 0
    for ch in text:
        if ch == '{':
            depth += 1
        elif ch == '}':
            depth -= 1
            if depth == 0:
                cur.append(ch)
                s = ''.join(cur).strip()
                # A function definition ends at its body; a struct body
                # is followed by declarators and a ';'.
                if re.search(r'\)\s*\{', s) and not re.match(r'(typedef\s+)?(struct|union|enum)\b', s):
                    stmts.append(s)
                    cur = []
                continue
        if ch == ';' and depth == 0:
            stmts.append(''.join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    return stmts


def split_declarators(decl):
    parts, cur, depth = [], [], 0
    for ch in decl:
        if ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        if ch == ',' and depth == 0:
            parts.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append(''.join(cur))
    return parts


def variables_in(stmt):
    """Names of the variables an `extern` statement declares."""
    s = re.sub(r'\s+', ' ', stmt).strip()
    if not s.startswith('extern ') or s.startswith('extern "C"'):
        return []
    s = s[len('extern '):]
    s = re.sub(r'\{.*\}', ' ', s)           # struct bodies
    names = []
    for i, d in enumerate(split_declarators(s)):
        d = d.split('=')[0]
        m = re.search(r'\(\s*\*+\s*(?:const\s+)?([A-Za-z_]\w*)\s*(\[[^]]*\]\s*)*\)\s*\(', d)
        if m:                               # a pointer to a function
            names.append(m.group(1))
            continue
        if '(' in d:                         # a function: -aux-info has it
            continue
        d = re.sub(r'\[[^]]*\]', ' ', d)
        ids = [t for t in IDENT_RE.findall(d) if t not in KEYWORDS]
        if ids:
            names.append(ids[-1])
    return names


def declarations(inc_dirs, cflags, cc):
    hs = headers(inc_dirs)
    if not hs:
        sys.exit('check_decls: no headers under ' + ' '.join(inc_dirs))
    with tempfile.TemporaryDirectory() as tmp:
        tu = os.path.join(tmp, 'all_headers.c')
        aux = os.path.join(tmp, 'aux.txt')
        with open(tu, 'w') as f:
            f.writelines(f'#include "{os.path.abspath(h)}"\n' for h in hs)
        base = [cc, '-std=gnu11', '-D_GNU_SOURCE'] + cflags
        try:
            subprocess.run(base + ['-fsyntax-only', '-aux-info', aux, tu], check=True)
            pre = subprocess.run(base + ['-E', tu], check=True, capture_output=True,
                                 text=True).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            raise RuntimeError(f'the headers do not compile together: {e}') from e
        funcs = {}
        with open(aux) as f:
            for line in f:
                m = AUX_RE.match(line.rstrip('\n'))
                if not m or m.group(4) != 'C' or not under(m.group(1), inc_dirs):
                    continue
                text = m.group(5)
                if re.match(r'(extern\s+)?static\b', text) or text.startswith('static'):
                    continue
                n = re.search(r'([A-Za-z_]\w*)\s*\(', text)
                if n:
                    funcs.setdefault(n.group(1), f'{m.group(1)}:{m.group(2)}')
    # Variables: extern declarations in the text that came from our headers.
    ours, cur_file = [], ''
    for line in pre.splitlines():
        m = LINEMARK_RE.match(line)
        if m:
            cur_file = m.group(2)
            continue
        if cur_file and under(cur_file, inc_dirs):
            ours.append(line)
    text = '\n'.join(ours)
    for kw in ('__attribute__', '__asm__', '__asm', '__typeof__', '__declspec'):
        text = strip_balanced(text, kw)
    vars_ = {}
    for st in top_level_statements(text):
        for n in variables_in(st):
            vars_.setdefault(n, 'variable')
    return funcs, vars_


def standalone_problems(inc_dirs, cflags, cc):
    """Headers that do not compile when included alone."""
    out = []
    for d in inc_dirs:
        for h in headers([d]):
            rel = os.path.relpath(h, d)
            p = subprocess.run([cc, '-std=gnu11', '-D_GNU_SOURCE', '-Wall', '-Wextra', '-Werror']
                               + cflags + ['-x', 'c', '-fsyntax-only', '-'],
                               input=f'#include <{rel}>\n', capture_output=True, text=True)
            if p.returncode:
                first = next((ln for ln in p.stderr.splitlines() if 'error' in ln), p.stderr)
                out.append(f'{rel} does not compile on its own: {first.strip()}')
    return out


def defined_symbols(lib):
    args = ['nm', '--defined-only']
    if '.so' in os.path.basename(lib):
        args.append('-D')
    try:
        out = subprocess.run(args + [lib], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f'check_decls: nm {lib}: {e}')
    syms = set()
    for line in out.splitlines():
        f = line.split()
        # "addr type name"; global types are upper case (B, C, D, R, T, V, W...).
        if len(f) >= 3 and f[1].isupper() and f[1] not in 'U':
            syms.add(f[2].split('@')[0])
    return syms


def read_allowlist(path):
    allow = {}
    if not path:
        return allow
    with open(path) as f:
        for i, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if line:
                name, _, who = line.partition(' ')
                allow[name] = (i, who.strip())
    return allow


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--include', action='append', required=True)
    ap.add_argument('--lib', action='append', required=True)
    ap.add_argument('--allowlist')
    ap.add_argument('--cc', default=os.environ.get('CC', 'gcc'))
    ap.add_argument('-I', dest='extra', action='append', default=[])
    a = ap.parse_args(argv)
    cflags = [f'-I{d}' for d in a.include + a.extra]
    bad = 0
    for msg in standalone_problems(a.include, cflags, a.cc):
        print(msg)
        bad += 1
    try:
        funcs, vars_ = declarations(a.include, cflags, a.cc)
    except RuntimeError as e:
        print(f'check_decls: {e}')
        return 1
    declared = {**vars_, **funcs}
    libs = {lib: defined_symbols(lib) for lib in a.lib}
    allow = read_allowlist(a.allowlist)
    for name in sorted(declared):
        missing = [os.path.basename(lib) for lib, syms in libs.items() if name not in syms]
        if missing and name not in allow:
            kind = 'variable' if name in vars_ and name not in funcs else 'function'
            print(f'declared but not defined: {kind} {name} ({declared[name]}) '
                  f'missing from {", ".join(missing)}')
            bad += 1
    for name, (line, who) in sorted(allow.items()):
        if name not in declared:
            print(f'{a.allowlist}:{line}: stale: {name} is declared by no header')
            bad += 1
        elif all(name in syms for syms in libs.values()):
            print(f'{a.allowlist}:{line}: stale: libmach defines {name} now ({who}): '
                  f'remove the line')
            bad += 1
    total = len(declared)
    waived = sum(1 for n in allow if n in declared)
    print(f'check_decls: {total} names declared, {waived} allowed by {a.allowlist or "no list"}'
          f', {bad} problem{"s" if bad != 1 else ""}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
