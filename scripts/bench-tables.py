#!/usr/bin/env python3
"""bench-tables.py BENCH.TXT: the Markdown tables of a `make bench` run.

Reads the DAT and GOAL lines machipc-bench prints (build/bench/bench.txt)
and writes the tables docs/benchmarks.md shows, medians with their spread
and the ratios, so that the document is copied from a run, not retyped.
scripts/bench.sh writes them to build/bench/tables.md.
"""
import shlex
import sys


def fnum(x, digits=2):
    try:
        v = float(x)
    except ValueError:
        return 'n/a'
    if v != v:  # NaN: the method was not available
        return 'n/a'
    return f'{v:.{digits}f}'


def ratio(a, b):
    try:
        a, b = float(a), float(b)
    except ValueError:
        return 'n/a'
    if a != a or b != b or b == 0:
        return 'n/a'
    return f'{a / b:.2f}'


def spread(med, lo, hi, digits=2):
    if fnum(med) == 'n/a':
        return 'n/a'
    return f'{fnum(med, digits)} [{fnum(lo, digits - 1 if digits else 0)}-{fnum(hi, digits - 1 if digits else 0)}]'


def table(head, rows):
    out = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    out += ['| ' + ' | '.join(r) + ' |' for r in rows]
    return '\n'.join(out) + '\n'


def size_name(b):
    b = int(b)
    return f'{b >> 20} MiB' if b >= 1 << 20 else f'{b >> 10} KiB' if b >= 1024 else f'{b} B'


def main(path):
    dat = {}
    goals = []
    header = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('DAT '):
                parts = shlex.split(line[4:])
                dat.setdefault(parts[0], []).append(parts[1:])
            elif line.startswith('GOAL '):
                goals.append(line[5:])
            elif line.startswith(('make bench:', 'BENCH_ARGS=', 'host:', 'machipc-bench: -n',
                                  'CPUs:', 'module parameters:')):
                header.append(line)
    out = ['```', *header, '```', '']
    if 'op' in dat:
        out.append('**One process** (us per operation, median [min-max] of the runs):\n')
        out.append(table(['operation', 'us'], [[r[0], spread(r[1], r[2], r[3], 3)]
                                              for r in dat['op']]))
    if 'self' in dat:
        out.append('**One process sends to itself and receives** (us, medians):\n')
        out.append(table(['size', 'mach_msg', 'pipe write+read', 'unix write+read',
                          'mach / pipe', 'mach / unix'],
                         [[size_name(r[0]), fnum(r[1], 3), fnum(r[2], 3), fnum(r[3], 3),
                           ratio(r[1], r[2]), ratio(r[1], r[3])] for r in dat['self']]))
    if 'rt' in dat:
        cs = {r[0]: r[1:] for r in dat.get('rtcs', [])}
        rows = []
        for r in dat['rt']:
            c = cs.get(r[0], ['?'] * 3)
            rows.append([r[0]] + [f'{spread(r[1 + 3 * p], r[2 + 3 * p], r[3 + 3 * p])}, '
                                  f'cs {fnum(c[p], 1)}' for p in range(3)])
        out.append('**Two processes, 64-byte round trip** (us per round trip, median '
                   '[min-max] of the runs; cs = context switches per round trip, both '
                   'processes):\n')
        out.append(table(['method', 'unpinned', 'both on one CPU', 'on two CPUs'], rows))
        mach = dat['rt'][0]
        out.append('**mach_msg round trip / the other method\'s**, same placement:\n')
        out.append(table(['method', 'unpinned', 'one CPU', 'two CPUs'],
                         [[r[0]] + [ratio(mach[1 + 3 * p], r[1 + 3 * p]) for p in range(3)]
                          for r in dat['rt'][1:]]))
    if 'spin' in dat:
        spin = dat.get('spinparam', [['?']])[0][0]
        rows = [[r[0]] + [spread(r[1 + 3 * p], r[2 + 3 * p], r[3 + 3 * p]) for p in range(3)]
                for r in dat['spin']]
        out.append(f'**With the optional spin** (`rcv_spin_us={spin}`; '
                   'us per 64-byte round trip, median [min-max]):\n')
        out.append(table(['method', 'unpinned', 'both on one CPU', 'on two CPUs'], rows))
        mach = dat['spin'][0]
        out.append(table(['mach_msg / method', 'unpinned', 'one CPU', 'two CPUs'],
                         [[r[0]] + [ratio(mach[1 + 3 * p], r[1 + 3 * p]) for p in range(3)]
                          for r in dat['spin'][1:]]))
    if 'tput' in dat:
        out.append('**Throughput**, one server thread (requests per second, each with its '
                   'reply; median [min-max]):\n')
        out.append(table(['clients', 'mach_msg', 'unix socket', 'Binder', 'mach / unix',
                          'mach / Binder'],
                         [[r[0], spread(r[1], r[2], r[3], 0), spread(r[4], r[5], r[6], 0),
                           spread(r[7], r[8], r[9], 0), ratio(r[1], r[4]), ratio(r[1], r[7])]
                          for r in dat['tput']]))
        unix16 = [r[4] for r in dat['tput'] if r[0] == '16']
        for r in dat.get('tputql', []):
            out.append(f'With {r[0]} clients and the server port\'s queue limit raised to '
                       f'1024 (`MACH_PORT_QLIMIT_LARGE`; the default 5 makes most senders '
                       f'wait for room): mach_msg {spread(r[1], r[2], r[3], 0)}, '
                       f'{ratio(r[1], unix16[0]) if unix16 else "?"}x the unix socket.\n')
    if 'ool' in dat:
        out.append('**Large messages** (MiB/s from one process to another, median '
                   '[min-max]):\n')
        out.append(table(['payload', 'mach_msg OOL', 'pipe', 'unix socket', 'mach / pipe',
                          'mach / unix'],
                         [[size_name(r[0]), spread(r[1], r[2], r[3], 1),
                           spread(r[4], r[5], r[6], 1), spread(r[7], r[8], r[9], 1),
                           ratio(r[1], r[4]), ratio(r[1], r[7])] for r in dat['ool']]))
    if 'scale' in dat:
        first = dat['scale'][0]
        out.append('**Scale** (us, medians; x = against the smallest space):\n')
        out.append(table(['ports', 'mach_port_type, own', 'mach_port_type, random names',
                          'self send+receive 64 B', 'round trip (unpinned)'],
                         [[r[0]] + [f'{fnum(r[i], 3)} ({ratio(r[i], first[i])}x)'
                                    for i in range(1, 5)] for r in dat['scale']]))
    if 'mem' in dat or 'rate' in dat:
        rows = []
        for r in dat.get('mem', []):
            what = 'idle port (a receive right)' if r[0] == 'port' else 'queued 64-byte message'
            rows.append([what, f'{fnum(r[1], 0)} B', f'{fnum(r[2], 0)} B', r[3] if len(r) > 3 else '?'])
        out.append('**Kernel memory** (per object, /proc/meminfo deltas):\n')
        out.append(table(['object', 'MemFree', 'Slab', 'objects'], rows))
        names = {'allocate': 'mach_port_allocate (growing the space)',
                 'deallocate': 'deallocating them',
                 'pair': 'mach_port_allocate + deallocate, small space'}
        if dat.get('rate'):
            out.append(table(['operation', 'per second'],
                             [[names.get(r[0], r[0]), r[1]] for r in dat['rate']]))
    if goals:
        rows = []
        for g in goals:
            what, _, rest = g.partition('  ')
            rows.append([what.strip(), rest.strip()])
        out.append('**Goals of issue 11** (ratios of this run):\n')
        out.append(table(['goal', 'today'], rows))
    sys.stdout.write('\n'.join(out))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
