#!/usr/bin/env python3
"""Check the serial console log of a machipc QEMU guest run.

usage: check_log.py LOGFILE [--mode check|run|cmd]

The guest /init brackets everything with MACHIPC-* marker lines (BEGIN,
INSMOD, BOOTSTRAPD (the bootstrap server started), PROG-BEGIN/PROG-END per
test program, BOOTSTRAPD-STOP and BOOTSTRAPD-LOG-BEGIN/END (its log),
RMMOD, KMEMLEAK-BEGIN/END, DMESG-BEGIN/END, END).  This script parses the TAP output of each program,
checks the markers, and scans the whole log (console and dmesg dump) for
kernel splats.  It prints a concise report whose last line is always
"N passed, M failed[, K skipped]".

Exit status: 0 if everything passed, 1 otherwise, 2 for usage errors or an
unreadable log.
"""
import argparse
import re
import sys
from dataclasses import dataclass, field

CONTEXT = 25        # lines shown after the first line of a splat
TRACE_WINDOW = 200  # a "Call Trace:" this many lines after a splat is part of it
MAX_SPLATS = 10     # splats shown in full; the rest are only counted
MAX_DIAG = 20       # diagnostic lines shown per failed test

MARKERS = {k: re.compile('MACHIPC-' + v) for k, v in {
    'begin': r'BEGIN\b',
    'insmod': r'INSMOD (ok|failed)(?: rc=(-?\d+))?',
    'prog_begin': r'PROG-BEGIN ([\w.+-]+)',
    'prog_end': r'PROG-END ([\w.+-]+) rc=(-?\d+)',
    'rmmod': r'RMMOD (ok|failed)(?: rc=(-?\d+))?',
    'kml_begin': r'KMEMLEAK-BEGIN\b', 'kml_end': r'KMEMLEAK-END\b',
    'dmesg_begin': r'DMESG-BEGIN\b', 'dmesg_end': r'DMESG-END\b',
    'bsd': r'BOOTSTRAPD (ok|failed)\b(.*)',
    'bsd_stop': r'BOOTSTRAPD-STOP (ok|failed)\b(.*)',
    'bsd_log_begin': r'BOOTSTRAPD-LOG-BEGIN\b', 'bsd_log_end': r'BOOTSTRAPD-LOG-END\b',
    'end': r'END\b(?: rc=(-?\d+))?',
}.items()}

RUN_RE = re.compile(r'^#\s+RUN\s+(\S+)')
RESULT_RE = re.compile(r'^(not )?ok (\d+)\b\s*(?:-\s)?(.*)$')
DIRECTIVE_RE = re.compile(r'(?:^|\s)#\s*(SKIP|TODO|XFAIL|XPASS)', re.I)
PLAN_RE = re.compile(r'^1\.\.(\d+)')
TOTALS_RE = re.compile(r'^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) '
                       r'xpass:(\d+) skip:(\d+) error:(\d+)')
TS_RE = re.compile(r'\[\s*\d+\.\d+\](?:\[\s*[CT]\d+\])?')

# Kernel splat first lines, one pattern per report format of Linux 7.3 that
# no other pattern catches (scripts/tests checks that each pattern has a
# captured line only it matches).  Case-sensitive on purpose: the KASAN boot
# line "kasan: KernelAddressSanitizer initialized" must not match "KASAN:".
# Reports whose first line already starts with "BUG:" or "WARNING:" need no
# pattern of their own: soft lockups ("watchdog: BUG: soft lockup - CPU#0
# stuck for 26s!"), KFENCE ("BUG: KFENCE: use-after-free read in ..."),
# sleeping in atomic context, scheduling while atomic, lockdep's reports
# ("WARNING: possible circular locking dependency detected", "WARNING:
# suspicious RCU usage", ...); x86 general protection faults print
# "Oops: general protection fault"; stack-protector failures are panics.
SPLATS = [re.compile(p) for p in (
    r'\bBUG:',                          # lib/bug.c users, mm/, x86 page faults
    r'\bWARNING:',                      # WARN*(), lockdep
    r'\bOops\b',                        # x86 die(): "Oops: Oops: 0000 [#1] SMP"
    r'\bKASAN:',                        # "KASAN: null-ptr-deref in range [...]"
    r'\bUBSAN:',                        # lib/ubsan.c: "UBSAN: <reason> in file:line:col"
    r'kernel BUG at',                   # BUG(): "kernel BUG at mm/slub.c:436!"
    r'(?<!end )Kernel panic',           # panic(); not its "---[ end Kernel panic" trailer
    r'INFO: trying to register non-static key',  # lockdep, no WARNING: line
    r'DEBUG_LOCKS_WARN_ON',             # the message line before its WARNING:
    r'unreferenced object 0x',          # kmemleak
    r'panicked at',                     # Rust panics (kernel and user space)
    # kernel/hung_task.c: "INFO: task p:95 blocked[ in I/O wait] for more than 20 seconds."
    r'\bINFO: task .+ blocked(?: in I/O wait)? for more than \d+ seconds',
    # kernel/watchdog.c (buddy and perf detectors): "CPU1: Watchdog detected hard LOCKUP on cpu 0"
    r'Watchdog detected hard LOCKUP on cpu',
    # kernel/rcu/tree_stall.h, tree_exp.h, tasks.h: "INFO: rcu_preempt detected stalls on
    # CPUs/tasks:", "INFO: rcu_sched self-detected stall on CPU", "INFO: rcu_preempt
    # detected expedited stalls on CPUs/tasks: {", "INFO: rcu_tasks detected stalls on tasks:"
    r'\bINFO: \S+ (?:self-)?detected (?:expedited )?stalls?\b',
    r'\brefcount_t: ',                   # lib/refcount.c: the message line before its WARNING:
    # lib/list_debug.c (CONFIG_DEBUG_LIST): the message line before its WARNING:
    r'\blist_(?:add|del) corruption[.,]|\blist_add double add:',
)]
# machipc-bootstrapd's log lines at level error (hostile clients never
# cause one: they mean a bug or a broken system).
BSD_ERROR_RE = re.compile(r'machipc-bootstrapd\[\d+\]: error: ')
CALL_TRACE_RE = re.compile(r'Call [Tt]race:')
END_TRACE_RE = re.compile(r'---\[ end ')
# Boot lines that merely mention a splat word.
BENIGN_RE = re.compile('|'.join((
    r'[Cc]ommand line:',                     # the kernel command line echo
    r'Unknown kernel command line parameters',
    r'kmemleak: Kernel memory leak detector initialized',
    r'kmemleak: Automatic memory scanning thread started',
    r'Lock dependency validator:', r'\.\.\. MAX_LOCKDEP',
    r'kasan: KernelAddressSanitizer initialized',
    # CPU vulnerability notes, e.g. "RETBleed: WARNING: Spectre v2 ...".
    r'^(?:\[[^]]*\]\s*)?(?:RETBleed|Spectre V\d|SRSO|MDS|TAA|MMIO Stale Data'
    r'|GDS|BHI|ITS|Speculative Return Stack Overflow) ?: WARNING:',
)))


def norm(s):
    """A line without timestamps or repeated blanks, to compare copies."""
    return ' '.join(TS_RE.sub(' ', s).split())


def summary(passed, failed, skipped):
    return f'{passed} passed, {failed} failed' + (f', {skipped} skipped' if skipped else '')


def find_marker(line):
    if 'MACHIPC-' in line:
        for kind, rx in MARKERS.items():
            if m := rx.search(line):
                return kind, m
    return None, None


@dataclass
class Prog:
    """One test program's TAP output, between PROG-BEGIN and PROG-END."""
    name: str
    ended: bool = False
    rc: int = 0
    plan: int | None = None
    totals: str | None = None
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    running: str | None = None      # test started ("# RUN") without a result
    diag: list = field(default_factory=list)
    failures: list = field(default_factory=list)  # (test name, diag lines)

    def feed(self, line):
        if m := RUN_RE.match(line):
            self.running, self.diag = m.group(1), []
        elif m := RESULT_RE.match(line):
            notok, num, desc = m.groups()
            name = re.split(r'\s+#|^#', desc)[0].strip() or f'test {num}'
            d = DIRECTIVE_RE.search(desc)
            d = d and d.group(1).upper()
            if d == 'XPASS' or (notok and not d):
                self.failed += 1
                self.failures.append((name, self.diag[-MAX_DIAG:]))
            elif d:
                self.skipped += 1
            else:
                self.passed += 1
            self.running, self.diag = None, []
        elif m := PLAN_RE.match(line):
            self.plan = int(m.group(1))
        elif TOTALS_RE.match(line):
            self.totals = line.strip()
        elif line.startswith('#'):
            self.diag.append(line.rstrip())

    def problems(self, mode):
        n = self.passed + self.failed + self.skipped
        plan = f' of {self.plan} planned' if self.plan is not None else ''
        at = f'; last test started: {self.running}' if self.running else ''
        if not self.ended:
            return [f'{self.name}: no MACHIPC-PROG-END, the program crashed or '
                    f'hung ({n}{plan} results seen{at})']
        out = []
        if self.rc and not self.failed and mode != 'cmd':
            out.append(f'{self.name}: exited with rc={self.rc}')
        has_tap = n or self.plan is not None or self.totals
        if not has_tap and mode == 'check':
            out.append(f'{self.name}: printed no TAP output')
        elif has_tap and self.plan is None:
            out.append(f'{self.name}: no TAP plan line (1..N)')
        elif has_tap and n != self.plan:
            out.append(f'{self.name}: {n} results but the plan is 1..{self.plan}{at}')
        if self.totals:
            t = [int(x) for x in TOTALS_RE.match(self.totals).groups()]
            # pass fail xfail xpass skip error -> our pass / fail / skip
            if (t[0], t[1] + t[3] + t[5], t[2] + t[4]) != (self.passed, self.failed, self.skipped):
                out.append(f'{self.name}: "{self.totals}" disagrees with the TAP results '
                           f'(counted pass:{self.passed} fail:{self.failed} skip:{self.skipped})')
        return out


class Log:
    def __init__(self, text):
        self.lines = [line.strip('\r') for line in text.split('\n')]
        self.marks = {}     # marker kind -> (line index, match); last one wins
        self.progs = []
        self.kmemleak = []  # lines of the KMEMLEAK section
        self.bsd_log = []   # lines of the BOOTSTRAPD-LOG section
        cur, section = None, None
        for i, line in enumerate(self.lines):
            kind, m = find_marker(line)
            if section == 'dmesg' and kind not in ('dmesg_end', 'end'):
                continue
            if kind is None:
                if section == 'prog':
                    cur.feed(line)
                elif section == 'kmemleak':
                    self.kmemleak.append(line)
                elif section == 'bsdlog':
                    self.bsd_log.append(line)
                continue
            if section == 'prog' and m.start() > 0:
                cur.feed(line[:m.start()])   # kernel output glued in front
            self.marks[kind] = (i, m)
            if kind == 'prog_end' and cur:
                cur.ended, cur.rc = True, int(m.group(2))
            cur = Prog(m.group(1)) if kind == 'prog_begin' else None
            if cur:
                self.progs.append(cur)
            section = {'prog_begin': 'prog', 'kml_begin': 'kmemleak',
                       'dmesg_begin': 'dmesg', 'bsd_log_begin': 'bsdlog'}.get(kind)

    def mark_line(self, kind):
        return self.lines[self.marks[kind][0]].strip()

    def marker_problems(self, mode):
        mk, out = self.marks, []
        insmod_ok = 'insmod' in mk and mk['insmod'][1].group(1) == 'ok'
        if 'insmod' in mk and not insmod_ok:
            out.append(f'insmod failed: {self.mark_line("insmod")}')
        if insmod_ok and 'rmmod' in mk and mk['rmmod'][1].group(1) != 'ok':
            out.append(f'rmmod failed: {self.mark_line("rmmod")}')
        if 'bsd' in mk and mk['bsd'][1].group(1) != 'ok':
            out.append(f'the bootstrap server did not start: {self.mark_line("bsd")}')
        if 'bsd_stop' in mk and mk['bsd_stop'][1].group(1) != 'ok':
            out.append(f'the bootstrap server did not exit on SIGTERM: '
                       f'{self.mark_line("bsd_stop")}')
        for s in self.bsd_log:
            if BSD_ERROR_RE.search(s):
                out.append(f'the bootstrap server logged an error: {s.strip()}')
        junk = [s.strip() for s in self.kmemleak if s.strip() and not TS_RE.match(s.lstrip())]
        if junk and not any('unreferenced object' in s for s in junk):
            out.append(f'unexpected output in the kmemleak section: {junk[0]}')
        if 'end' not in mk:
            last = next((s.strip() for s in reversed(self.lines) if s.strip()), '(empty log)')
            where = '' if 'begin' in mk else ' before /init started (no MACHIPC-BEGIN)'
            out.append(f'MACHIPC-END marker missing: the guest timed out, hung or '
                       f'panicked{where}; the log ends with: {last}')
            return out      # later markers are missing as a consequence
        for kind, name in (('begin', 'MACHIPC-BEGIN'), ('insmod', 'MACHIPC-INSMOD')):
            if kind not in mk:
                out.append(f'{name} marker missing')
        if insmod_ok and not self.progs:
            out.append('no test program ran (no MACHIPC-PROG-BEGIN)')
        if insmod_ok and 'rmmod' not in mk:
            out.append('MACHIPC-RMMOD marker missing')
        if mode == 'check':
            for kind, name in (('kml', 'KMEMLEAK'), ('dmesg', 'DMESG')):
                if f'{kind}_begin' not in mk or f'{kind}_end' not in mk:
                    out.append(f'MACHIPC-{name}-BEGIN/END section missing')
        return out


def first_splat(line):
    """(pattern index, position) of the leftmost splat pattern, or None."""
    hits = [(m.start(), k) for k, rx in enumerate(SPLATS) if (m := rx.search(line))]
    return min(hits)[::-1] if hits else None


def context_end(lines, i, kind):
    """Index of the last context line of the splat starting at line i."""
    end = i
    for j in range(i + 1, min(len(lines), i + 1 + CONTEXT)):
        if END_TRACE_RE.search(lines[j]):
            return j
        hit = first_splat(lines[j])
        if 'MACHIPC-' in lines[j] or (hit and hit[0] == kind):
            break                   # a marker or the next splat of this kind
        end = j
    return end


def kernel_lines(lines):
    return sum(bool(TS_RE.match(s.lstrip())) for s in lines)


def find_splats(lines):
    """[(line index, context lines)] of distinct splats.  Lines shown as the
    context of a splat, a "Call Trace:" soon after one, and copies (the
    dmesg dump repeats the console) are not reported again; of two copies
    the one with more kernel lines in its context is shown (the console
    hides messages below loglevel 4 and interleaves program output)."""
    seen, where, splats, covered, last_head = set(), {}, [], -1, -TRACE_WINDOW - 1
    for i, line in enumerate(lines):
        if BENIGN_RE.search(line):
            continue
        if hit := first_splat(line):
            kind, key, last_head = hit[0], norm(line[hit[1]:]), i
        elif CALL_TRACE_RE.search(line) and i - last_head > TRACE_WINDOW:
            kind, key = -1, '|'.join(norm(s) for s in lines[i:i + 5])
        else:
            continue
        if i > covered:
            covered = context_end(lines, i, kind)
            ctx = lines[i + 1:covered + 1]
            if key not in seen:
                where[key] = len(splats)
                splats.append((i, ctx))
            elif key in where and kernel_lines(ctx) > kernel_lines(splats[where[key]][1]):
                splats[where[key]] = (i, ctx)   # a fuller copy, e.g. in the dmesg dump
        seen.add(key)
    return splats


def check(text, mode):
    """Returns (report lines, exit status)."""
    log = Log(text)
    out, problems = [], []
    for p in log.progs:
        for name, diag in p.failures:
            out.append(f'FAIL {p.name}: {name}')
            out += ['    ' + d for d in diag]
        problems += p.problems(mode)
    problems += log.marker_problems(mode)
    splats = find_splats(log.lines)
    end = log.marks.get('end')
    end_rc = end and end[1].group(1)
    nfail = sum(p.failed for p in log.progs)
    if end and end_rc != '0' and not (nfail or problems or splats):
        problems.append(f'guest reported failure: {log.mark_line("end")}')
    out += ['PROBLEM ' + s for s in problems]
    for i, ctx in splats[:MAX_SPLATS]:
        out.append(f'SPLAT at log line {i + 1}: {log.lines[i].strip()}')
        out += ['    ' + s.rstrip() for s in ctx]
    if len(splats) > MAX_SPLATS:
        out.append(f'... and {len(splats) - MAX_SPLATS} more splats')
    if mode == 'check':
        out += [f'{p.name}: {summary(p.passed, p.failed, p.skipped)}' for p in log.progs]
    bad = bool(nfail or problems or splats)
    out.append(summary(sum(p.passed for p in log.progs),
                       nfail or (len(problems) + len(splats) if bad else 0),
                       sum(p.skipped for p in log.progs)))
    return out, int(bad)


def main(argv=None):
    ap = argparse.ArgumentParser(description='Check a machipc guest console log.')
    ap.add_argument('logfile')
    ap.add_argument('--mode', choices=('check', 'run', 'cmd'), default='check',
                    help='check: every program must print TAP with a plan and '
                         'the kmemleak/dmesg sections are required; run: TAP '
                         'is optional; cmd: as run, and a non-zero exit status '
                         'of the program is its own, not a problem of the run '
                         '(default: %(default)s)')
    args = ap.parse_args(argv)
    try:
        with open(args.logfile, 'rb') as f:
            text = f.read().decode('utf-8', errors='replace')
    except OSError as e:
        print(f'check_log.py: cannot read {args.logfile}: {e.strerror}', file=sys.stderr)
        return 2
    sys.stdout.reconfigure(errors='replace')
    out, status = check(text, args.mode)
    print('\n'.join(out))
    return status


if __name__ == '__main__':
    sys.exit(main())
