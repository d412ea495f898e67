#!/usr/bin/env python3
"""profile-lines.py KO: reads machipc-kprof's report (stdin) and appends,
after each `KPROF ip ... NAME+0xOFF [machipc]` line, the module's source
lines for that address (addr2line, inlined frames innermost first), from
the line tables of KO (built with KRUSTFLAGS=-Cdebuginfo=line-tables-only
by scripts/profile.sh). Other lines pass through unchanged."""
import re
import subprocess
import sys

ko = sys.argv[1]
syms = {}
for line in subprocess.run(['nm', '--defined-only', ko], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in 'tT':
        syms[parts[2]] = int(parts[0], 16)

IP = re.compile(r'^KPROF ip .* (\S+)\+0x([0-9a-f]+) \[machipc\]$')
for line in sys.stdin:
    line = line.rstrip('\n')
    print(line)
    m = IP.match(line)
    if not m or m.group(1) not in syms:
        continue
    addr = syms[m.group(1)] + int(m.group(2), 16)
    out = subprocess.run(['addr2line', '-j', '.text', '-i', '-e', ko, hex(addr)],
                         capture_output=True, text=True).stdout.split()
    for loc in out[:4]:
        print('KPROF ip     at ' + re.sub(r'^.*?/(src|rust)/', r'\1/', loc))
