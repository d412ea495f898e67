"""Host-side tests of scripts/check_log.py.

Run from the top of the checkout:
    python3 -m unittest discover -s scripts/tests -v

logs/*.log are sample guest console logs: boot lines, MACHIPC-* markers,
kselftest-harness TAP output, kernel messages at console loglevel 4
interleaved, then the kmemleak and full dmesg dumps.
"""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / 'check_log.py'
LOGS = HERE / 'logs'

sys.path.insert(0, str(SCRIPT.parent))
import check_log  # noqa: E402  (the module under test, for its pattern list)


def run(path, *args):
    """(exit status, stdout, stderr) of check_log.py; stdout is decoded
    without newline translation so that a stray '\\r' would show."""
    p = subprocess.run([sys.executable, str(SCRIPT), str(path), *args],
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def synth(*body, kmemleak=(), dmesg=(), end='MACHIPC-END rc=0', sections=True):
    """A minimal log text around the given program/kernel lines."""
    lines = ['[    0.000000] Linux version 7.3.0 (root@build) #1 SMP PREEMPT_DYNAMIC',
             'MACHIPC-BEGIN', 'MACHIPC-INSMOD ok', *body, 'MACHIPC-RMMOD ok']
    if sections:
        lines += ['MACHIPC-KMEMLEAK-BEGIN', *kmemleak, 'MACHIPC-KMEMLEAK-END',
                  'MACHIPC-DMESG-BEGIN', *dmesg, 'MACHIPC-DMESG-END']
    if end:
        lines.append(end)
    return '\n'.join(lines) + '\n'


def prog(name, *tap, rc=0):
    return [f'MACHIPC-PROG-BEGIN {name}', *tap, f'MACHIPC-PROG-END {name} rc={rc}']


TAP_OK = ['TAP version 13', '1..2', 'ok 1 global.a', 'ok 2 global.b',
          '# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0']



BSD_OK = ['MACHIPC-BOOTSTRAPD ok pid=42']
BSD_STOP_OK = ['MACHIPC-BOOTSTRAPD-STOP ok', 'MACHIPC-BOOTSTRAPD-LOG-BEGIN',
               'machipc-bootstrapd[42]: notice: ready (pid 42, machipc-bootstrapd 1.0)',
               'machipc-bootstrapd[42]: warning: a hostile client did something',
               'MACHIPC-BOOTSTRAPD-LOG-END']


class BootstrapdTest(unittest.TestCase):
    """The bootstrap server's markers and log section."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_text(self, text):
        path = Path(self.tmp.name) / 'b.log'
        path.write_text(text)
        return run(path, '--mode', 'check')

    def test_bootstrapd_started_and_stopped_is_clean(self):
        rc, out, _ = self.run_text(synth(*BSD_OK, *prog('t', *TAP_OK), *BSD_STOP_OK))
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.splitlines()[-1], '2 passed, 0 failed')

    def test_bootstrapd_failed_to_start_is_a_problem(self):
        rc, out, _ = self.run_text(synth('MACHIPC-BOOTSTRAPD failed rc=1',
                                         *prog('t', *TAP_OK)))
        self.assertEqual(rc, 1, out)
        self.assertIn('PROBLEM the bootstrap server did not start: '
                      'MACHIPC-BOOTSTRAPD failed rc=1', out)

    def test_bootstrapd_that_did_not_stop_is_a_problem(self):
        rc, out, _ = self.run_text(synth(*BSD_OK, *prog('t', *TAP_OK),
                                         'MACHIPC-BOOTSTRAPD-STOP failed pid=42'))
        self.assertEqual(rc, 1, out)
        self.assertIn('PROBLEM the bootstrap server did not exit on SIGTERM', out)

    def test_bootstrapd_error_in_its_log_is_a_problem(self):
        log = BSD_STOP_OK[:-1] + ['machipc-bootstrapd[42]: error: internal: uncharging uid 7',
                                  BSD_STOP_OK[-1]]
        rc, out, _ = self.run_text(synth(*BSD_OK, *prog('t', *TAP_OK), *log))
        self.assertEqual(rc, 1, out)
        self.assertIn('PROBLEM the bootstrap server logged an error: machipc-bootstrapd[42]: '
                      'error: internal: uncharging uid 7', out)

    def test_bootstrapd_log_lines_are_not_tap(self):
        """A daemon line between the markers does not count as a result."""
        log = BSD_STOP_OK[:-1] + ['ok 7 not a result', BSD_STOP_OK[-1]]
        rc, out, _ = self.run_text(synth(*BSD_OK, *prog('t', *TAP_OK), *log))
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.splitlines()[-1], '2 passed, 0 failed')


class CheckerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, text, name='t.log', newline='\n'):
        path = Path(self.tmp.name) / name
        path.write_text(text.replace('\n', newline), newline='')
        return path

    def check(self, log, status, last, *needles, mode='check', splats=None):
        """Runs the checker and asserts the exit status, the exact final
        line, that each needle is in the report, and the splat count."""
        path = log if isinstance(log, Path) else LOGS / log
        rc, out, err = run(path, '--mode', mode)
        self.assertEqual(err, '')
        self.assertNotIn('\r', out)
        self.assertEqual(out.splitlines()[-1], last, out)
        for needle in needles:
            self.assertIn(needle, out)
        if splats is not None:
            self.assertEqual(out.count('SPLAT at log line'), splats, out)
        self.assertEqual(rc, status, out)
        return out

    def assert_in_log(self, log, *lines, count=None):
        text = (LOGS / log).read_text()
        for line in lines:
            self.assertIn(line, text)
            if count is not None:
                self.assertEqual(text.count(line), count, line)


class SampleLogs(CheckerTest):
    """The captured sample logs in logs/."""

    def test_clean_pass(self):
        out = self.check('clean_pass.log', 0, '9 passed, 0 failed, 1 skipped',
                         'machipc_basic: 5 passed, 0 failed, 1 skipped',
                         'machipc_ports: 4 passed, 0 failed', splats=0)
        self.assertNotIn('PROBLEM', out)
        self.assertNotIn('FAIL', out)

    def test_clean_pass_run_mode(self):
        out = self.check('clean_pass.log', 0, '9 passed, 0 failed, 1 skipped', mode='run')
        self.assertEqual(len(out.splitlines()), 1, out)

    def test_clean_with_benign_lines(self):
        self.assert_in_log('clean_benign.log',
                           'kasan: KernelAddressSanitizer initialized (generic)',
                           'kmemleak: Kernel memory leak detector initialized (mempool available:',
                           'Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar',
                           '... MAX_LOCKDEP_SUBCLASSES:  8',
                           'RETBleed: WARNING: Spectre v2 mitigation',
                           'Kernel command line: console=ttyS0,115200 rdinit=/init panic=-1 hung_task_panic=1',
                           # a marker with kernel output glued in front of it
                           'random: crng init doneMACHIPC-PROG-BEGIN machipc_ports')
        self.check('clean_benign.log', 0, '9 passed, 0 failed, 1 skipped',
                   'machipc_ports: 4 passed, 0 failed', splats=0)

    def test_crlf_line_endings(self):
        self.assertIn(b'MACHIPC-END rc=0\r\n', (LOGS / 'clean_crlf.log').read_bytes())
        self.check('clean_crlf.log', 0, '9 passed, 0 failed, 1 skipped',
                   'machipc_basic: 5 passed, 0 failed, 1 skipped')

    def test_crlf_failure_report_same_as_lf(self):
        text = (LOGS / 'test_fail.log').read_text()
        crlf = self.write(text, newline='\r\n')
        self.assertEqual(run(crlf), run(LOGS / 'test_fail.log'))

    def test_failing_test(self):
        out = self.check('test_fail.log', 1, '8 passed, 1 failed, 1 skipped',
                         'FAIL machipc_basic: global.bad_ioctl',
                         '    # machipc_basic.c:87:bad_ioctl:Expected -1 (-1) == r (0)',
                         '    # bad_ioctl: Test terminated by assertion',
                         'machipc_basic: 4 passed, 1 failed, 1 skipped', splats=0)
        # Only the failed test's own diagnostics, not earlier tests' lines.
        self.assertNotIn('port_allocate', out)
        self.assertNotIn('PROBLEM', out)    # rc=1 is explained by the failure

    def test_program_crash(self):
        self.check('prog_crash.log', 1, '6 passed, 2 failed, 1 skipped',
                   'PROBLEM machipc_ports: no MACHIPC-PROG-END, the program crashed or hung '
                   '(1 of 4 planned results seen; last test started: global.port_destroy)',
                   'PROBLEM MACHIPC-END marker missing',
                   'machipc_ports: 1 passed, 0 failed', splats=0)

    def test_missing_end_marker(self):
        out = self.check('no_end.log', 1, '9 passed, 1 failed, 1 skipped',
                         'PROBLEM MACHIPC-END marker missing: the guest timed out, hung or panicked; '
                         'the log ends with: MACHIPC-PROG-END machipc_ports rc=0', splats=0)
        self.assertNotIn('RMMOD', out)      # a consequence of the hang

    def test_warning(self):
        self.assert_in_log('splat_warning.log', '------------[ cut here ]------------',
                           'Modules linked in: machipc', '<TASK>')
        self.check('splat_warning.log', 1, '9 passed, 1 failed, 1 skipped',
                   'WARNING: CPU: 0 PID: 93 at /root/x/src/machipc.rs:40 '
                   'machipc_port_release+0x1a5/0x1c0 [machipc]',
                   'Modules linked in: machipc(O)', 'Call Trace:', splats=1)

    def test_kasan(self):
        head = 'BUG: KASAN: slab-use-after-free in machipc_port_deref+0x5c/0x120 [machipc]'
        self.assert_in_log('splat_kasan.log', head, count=2)    # console and dmesg
        self.check('splat_kasan.log', 1, '9 passed, 1 failed, 1 skipped', head,
                   'Read of size 8 at addr ffff888004f3a5c8 by task machipc_basic/95', splats=1)

    def test_lockdep(self):
        self.check('splat_lockdep.log', 1, '9 passed, 1 failed, 1 skipped',
                   'WARNING: possible circular locking dependency detected',
                   'machipc_ports/97 is trying to acquire lock:', splats=1)

    def test_kmemleak(self):
        self.check('kmemleak.log', 1, '9 passed, 2 failed, 1 skipped',
                   'SPLAT at log line 99: unreferenced object 0xffff888003a1c000 (size 64):',
                   'unreferenced object 0xffff888004b2d180 (size 128):',
                   'machipc_port_alloc+0x5e/0x2b0 [machipc]', splats=2)

    def test_kernel_panic(self):
        self.check('kernel_panic.log', 1, '7 passed, 3 failed, 1 skipped',
                   'Kernel panic - not syncing: machipc: port name table corrupted',
                   '---[ end Kernel panic',
                   'last test started: global.dead_name',
                   'PROBLEM MACHIPC-END marker missing', splats=1)

    def test_general_protection_fault(self):
        self.check('splat_gpf.log', 1, '8 passed, 1 failed, 1 skipped',
                   'Oops: general protection fault, probably for non-canonical address '
                   '0xdffffc0000000002: 0000 [#1] SMP KASAN NOPTI',
                   'KASAN: null-ptr-deref in range',
                   'FAIL machipc_basic: global.send_receive',
                   '# send_receive: Test terminated unexpectedly by signal 11',
                   'PROBLEM rmmod failed: MACHIPC-RMMOD failed rc=1', splats=1)

    def test_sleeping_in_atomic(self):
        out = self.check('splat_sleeping.log', 1, '9 passed, 1 failed, 1 skipped',
                         'BUG: sleeping function called from invalid context at '
                         'kernel/locking/mutex.c:585', splats=1)
        # The console copy lacks the stack (KERN_DEFAULT); the dmesg one is shown.
        self.assertIn('__might_resched', out)

    def test_rust_panic(self):
        self.check('rust_panic.log', 1, '8 passed, 1 failed, 1 skipped',
                   'rust_kernel: panicked at src/port.rs:88:21:',
                   'attempt to subtract with overflow', 'kernel BUG at rust/helpers/bug.c:7!',
                   'FAIL machipc_basic: global.port_allocate', splats=1)

    def test_hung_task(self):
        head = 'INFO: task machipc_basic:94 blocked for more than 20 seconds.'
        self.assert_in_log('splat_hung_task.log', head, count=2)   # console and dmesg
        out = self.check('splat_hung_task.log', 1, '9 passed, 1 failed, 1 skipped', head,
                         '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
                         splats=1)
        self.assertIn('machipc_outbox_reserve', out)    # the dmesg copy, with the stack

    def test_soft_lockup(self):
        self.check('splat_soft_lockup.log', 1, '9 passed, 1 failed, 1 skipped',
                   'watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [machipc_basic:94]',
                   'RIP: 0010:machipc_notify_send_once+0x1c4/0x3a0 [machipc]', splats=1)

    def test_hard_lockup_buddy_detector(self):
        self.check('splat_hard_lockup.log', 1, '9 passed, 1 failed, 1 skipped',
                   'watchdog: CPU0: Watchdog detected hard LOCKUP on cpu 1',
                   'NMI backtrace for cpu 1', 'machipc_mqueue_wake', splats=1)

    def test_rcu_stall(self):
        self.check('splat_rcu_stall.log', 1, '9 passed, 1 failed, 1 skipped',
                   'rcu: INFO: rcu_preempt self-detected stall on CPU',
                   'rcu: \t(t=21002 jiffies g=3129 q=604 ncpus=2)',
                   'machipc_space_terminate', splats=1)

    def test_insmod_failed(self):
        out = self.check('insmod_fail.log', 1, '0 passed, 1 failed',
                         'PROBLEM insmod failed: MACHIPC-INSMOD failed rc=1', splats=0)
        self.assertNotIn('RMMOD', out)
        self.assertNotIn('no test program ran', out)

    def test_rmmod_failed(self):
        self.check('rmmod_fail.log', 1, '9 passed, 1 failed, 1 skipped',
                   'PROBLEM rmmod failed: MACHIPC-RMMOD failed rc=1', splats=0)

    def test_totals_mismatch(self):
        self.check('totals_mismatch.log', 1, '9 passed, 1 failed, 1 skipped',
                   '"# Totals: pass:6 fail:0 xfail:0 xpass:0 skip:0 error:0" disagrees '
                   'with the TAP results (counted pass:5 fail:0 skip:1)')

    def test_demo_without_tap(self):
        self.check('run_demo.log', 0, '0 passed, 0 failed', mode='run')
        self.check('run_demo.log', 1, '0 passed, 1 failed',
                   'PROBLEM machipc_demo: printed no TAP output', mode='check')

    def test_cmd_exit_status_is_not_a_problem(self):
        with open(LOGS / 'run_demo.log') as f:
            text = f.read().replace('machipc_demo rc=0', 'machipc_demo rc=7')
        log = self.write(text)
        self.check(log, 0, '0 passed, 0 failed', mode='cmd')
        self.check(log, 1, '0 passed, 1 failed', 'PROBLEM machipc_demo: exited with rc=7',
                   mode='run')


class Synthetic(CheckerTest):
    """Small hand-made logs for corner cases."""

    def test_tap_directives(self):
        log = self.write(synth(*prog('p', '1..5', 'ok 1 - a', 'not ok 2 b # TODO later',
                                     'ok 3 c # XFAIL known', 'ok 4 d # XPASS ',
                                     'ok 5 e # skip no hw', rc=1)))
        self.check(log, 1, '1 passed, 1 failed, 3 skipped', 'FAIL p: d')

    def test_plan_not_met(self):
        log = self.write(synth(*prog('p', '1..3', 'ok 1 a', 'ok 2 b')))
        self.check(log, 1, '2 passed, 1 failed', 'PROBLEM p: 2 results but the plan is 1..3')

    def test_no_plan(self):
        log = self.write(synth(*prog('p', 'ok 1 a')))
        self.check(log, 1, '1 passed, 1 failed', 'PROBLEM p: no TAP plan line (1..N)', mode='run')

    def test_nonzero_rc_without_failed_test(self):
        log = self.write(synth(*prog('demo', 'hello', rc=3)))
        self.check(log, 1, '0 passed, 1 failed', 'PROBLEM demo: exited with rc=3', mode='run')

    def test_end_rc_nonzero(self):
        log = self.write(synth(*prog('p', *TAP_OK), end='MACHIPC-END rc=1'))
        self.check(log, 1, '2 passed, 1 failed', 'guest reported failure: MACHIPC-END rc=1')

    def test_standalone_call_trace(self):
        trace = ['[    3.100000] CPU: 1 UID: 0 PID: 90 Comm: p Not tainted 7.3.0 #1',
                 '[    3.100001] Call Trace:', '[    3.100002]  <TASK>',
                 '[    3.100003]  dump_stack_lvl+0x7d/0xa0',
                 '[    3.100004]  machipc_port_dump+0x12/0x40 [machipc]',
                 '[    3.100005]  </TASK>']
        log = self.write(synth(*prog('p', *TAP_OK), dmesg=trace))
        self.check(log, 1, '2 passed, 1 failed', '[    3.100001] Call Trace:',
                   'machipc_port_dump', splats=1)

    def test_case_sensitive_words_are_not_splats(self):
        benign = ['[    0.100000] kasan: KernelAddressSanitizer initialized (generic)',
                  '[    0.100001] kfence: initialized - using 2097152 bytes for 255 objects',
                  '[    2.000000] machipc: DEBUG: port 0x103 created',
                  '[    2.000001] workqueue: blocked task count 0',
                  '[    2.000002] kmemleak: Automatic memory scanning thread started']
        log = self.write(synth(*prog('p', *TAP_OK), dmesg=benign))
        self.check(log, 0, '2 passed, 0 failed', splats=0)

    def test_duplicate_splat_with_different_timestamp_format(self):
        head = 'BUG: scheduling while atomic: p/90/0x00000002'
        log = self.write(synth(f'[    4.000000] {head}', *prog('p', *TAP_OK),
                               dmesg=[f'[    4.000000][   T90] {head}']))
        self.check(log, 1, '2 passed, 1 failed', head, splats=1)

    def test_kmemleak_section_unexpected_output(self):
        log = self.write(synth(*prog('p', *TAP_OK), kmemleak=[
            "cat: can't open '/sys/kernel/debug/kmemleak': No such file or directory"]))
        self.check(log, 1, '2 passed, 1 failed',
                   "unexpected output in the kmemleak section: cat: can't open")

    def test_sections_required_in_check_mode_only(self):
        log = self.write(synth(*prog('p', *TAP_OK), sections=False))
        self.check(log, 1, '2 passed, 2 failed',
                   'MACHIPC-KMEMLEAK-BEGIN/END section missing',
                   'MACHIPC-DMESG-BEGIN/END section missing')
        self.check(log, 0, '2 passed, 0 failed', mode='run')

    def test_missing_rmmod(self):
        log = self.write(synth(*prog('p', *TAP_OK)).replace('MACHIPC-RMMOD ok\n', ''))
        self.check(log, 1, '2 passed, 1 failed', 'MACHIPC-RMMOD marker missing', mode='run')

    def test_no_program_ran(self):
        log = self.write(synth())
        self.check(log, 1, '0 passed, 1 failed', 'no test program ran')

    def test_many_splats_are_capped(self):
        warns = [f'[    5.{i:06d}] WARNING: CPU: 0 PID: 9{i} at src/x.rs:{i} f+0x1/0x2 [machipc]'
                 for i in range(12)]
        log = self.write(synth(*prog('p', *TAP_OK), dmesg=warns))
        self.check(log, 1, '2 passed, 12 failed', '... and 2 more splats', splats=10)

    def test_empty_log(self):
        self.check(self.write(''), 1, '0 passed, 1 failed',
                   'MACHIPC-END marker missing', 'before /init started')

    def test_usage_errors(self):
        self.assertEqual(run(LOGS / 'clean_pass.log', '--mode', 'bogus')[0], 2)
        self.assertEqual(subprocess.run([sys.executable, str(SCRIPT)],
                                        capture_output=True).returncode, 2)
        rc, out, err = run(Path(self.tmp.name) / 'missing.log')
        self.assertEqual(rc, 2)
        self.assertIn('cannot read', err)


# One captured line per pattern of check_log.SPLATS, matched by that pattern
# alone: deleting any pattern lets its line through, and a test fails.
PATTERN_LINES = {
    r'\bBUG:':
        '[    3.207514] BUG: unable to handle page fault for address: ffffc9000001c000',
    r'\bWARNING:':
        '[    3.207514] WARNING: CPU: 0 PID: 93 at src/port.rs:40 '
        'machipc_port_release+0x1a5/0x1c0 [machipc]',
    r'\bOops\b':
        '[    3.207514] Oops: Oops: 0000 [#1] SMP KASAN NOPTI',
    r'\bKASAN:':
        '[    3.207514] KASAN: null-ptr-deref in range [0x0000000000000010-0x0000000000000017]',
    r'\bUBSAN:':
        '[    3.207514] UBSAN: array-index-out-of-bounds in lib/xarray.c:183:16',
    r'kernel BUG at':
        '[    3.207514] kernel BUG at mm/slub.c:436!',
    r'(?<!end )Kernel panic':
        '[    3.207514] Kernel panic - not syncing: Fatal exception',
    r'INFO: trying to register non-static key':
        '[    3.207514] INFO: trying to register non-static key.',
    r'DEBUG_LOCKS_WARN_ON':
        '[    3.207514] DEBUG_LOCKS_WARN_ON(lock->magic != lock)',
    r'unreferenced object 0x':
        'unreferenced object 0xffff888003a1c000 (size 64):',
    r'panicked at':
        '[    3.207514] rust_kernel: panicked at src/port.rs:88:21:',
    r'\bINFO: task .+ blocked(?: in I/O wait)? for more than \d+ seconds':
        '[   21.503117] INFO: task machipc_msg:112 blocked for more than 20 seconds.',
    r'Watchdog detected hard LOCKUP on cpu':
        '[   31.020517] watchdog: CPU0: Watchdog detected hard LOCKUP on cpu 1',
    r'\bINFO: \S+ (?:self-)?detected (?:expedited )?stalls?\b':
        '[   24.610332] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:',
    r'\brefcount_t: ':
        '[    3.207514] refcount_t: underflow; use-after-free.',
    r'\blist_(?:add|del) corruption[.,]|\blist_add double add:':
        '[    3.207514] list_del corruption, ffff888004a1c0c0->next is LIST_POISON1 '
        '(dead000000000100)',
}

# First lines of every kind of report the checker must fail on, in Linux
# 7.3's formats (kernel/hung_task.c, kernel/watchdog.c, kernel/rcu/tree_stall.h,
# lib/refcount.c, lib/list_debug.c, lib/ubsan.c, mm/kfence/report.c, ...),
# including those a generic pattern ("BUG:", "WARNING:") catches.
REPORT_LINES = {
    'hung task': '[   21.503117] INFO: task machipc_msg:112 blocked for more than 20 seconds.',
    'hung task in I/O wait':
        '[   21.503117] INFO: task kworker/u8:1:31 blocked in I/O wait for more than 20 seconds.',
    'soft lockup':
        '[   27.884210] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [machipc_msg:112]',
    'hard lockup (buddy)': '[   31.020517] watchdog: CPU0: Watchdog detected hard LOCKUP on cpu 1',
    'hard lockup panic': '[   31.020517] Kernel panic - not syncing: Hard LOCKUP',
    'RCU stall': '[   24.610332] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:',
    'RCU self-detected stall': '[   24.610332] rcu: INFO: rcu_sched self-detected stall on CPU',
    'RCU expedited stall':
        '[   24.610332] rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: '
        '{ 1-.... } 21002 jiffies s: 113 root: 0x2/.',
    'RCU tasks stall': '[   24.610332] INFO: rcu_tasks detected stalls on tasks:',
    'refcount underflow': '[    3.207514] refcount_t: underflow; use-after-free.',
    'refcount saturated': '[    3.207514] refcount_t: saturated; leaking memory.',
    'refcount addition on 0': '[    3.207514] refcount_t: addition on 0; use-after-free.',
    'refcount decrement hit 0': '[    3.207514] refcount_t: decrement hit 0; leaking memory.',
    'list_add corruption':
        '[    3.207514] list_add corruption. next->prev should be prev (ffff888004a1c0c8), '
        'but was ffff888004a1c0d8. (next=ffff888004a1c0e0).',
    'list_del corruption':
        '[    3.207514] list_del corruption. prev->next should be ffff888004a1c0c0, '
        'but was dead000000000100. (prev=ffff888004a1c0c8)',
    'list_del poison':
        '[    3.207514] list_del corruption, ffff888004a1c0c0->next is LIST_POISON1 '
        '(dead000000000100)',
    'list double add':
        '[    3.207514] list_add double add: new=ffff888004a1c0c0, prev=ffff888004a1c0c0, '
        'next=ffff888004a1c0e0.',
    'UBSAN': '[    3.207514] UBSAN: shift-out-of-bounds in lib/bitmap.c:96:19',
    'KFENCE use-after-free':
        '[    3.207514] BUG: KFENCE: use-after-free read in machipc_port_deref+0x5c/0x120 [machipc]',
    'KFENCE out-of-bounds':
        '[    3.207514] BUG: KFENCE: out-of-bounds write in machipc_kmsg_copyin+0x3f1/0x9a0 '
        '[machipc]',
    'KFENCE memory corruption':
        '[    3.207514] BUG: KFENCE: memory corruption in kfree+0x1a9/0x3f0',
    'KASAN': '[    3.207514] BUG: KASAN: slab-use-after-free in machipc_port_deref+0x5c/0x120 '
             '[machipc]',
    'sleeping in atomic':
        '[    3.207514] BUG: sleeping function called from invalid context at '
        'kernel/locking/mutex.c:585',
    'scheduling while atomic': '[    3.207514] BUG: scheduling while atomic: p/90/0x00000002',
    'lockdep circular':
        '[    3.207514] WARNING: possible circular locking dependency detected',
    'lockdep recursive': '[    3.207514] WARNING: possible recursive locking detected',
    'lockdep inconsistent': '[    3.207514] WARNING: inconsistent lock state',
    'suspicious RCU usage': '[    3.207514] WARNING: suspicious RCU usage',
    'general protection fault':
        '[    3.207514] Oops: general protection fault, probably for non-canonical address '
        '0xdffffc0000000002: 0000 [#1] SMP KASAN NOPTI',
    'stack protector':
        '[    3.207514] Kernel panic - not syncing: stack-protector: Kernel stack is corrupted '
        'in: machipc_ioctl+0x8a0/0x8a0 [machipc]',
    'NULL dereference': '[    3.207514] BUG: kernel NULL pointer dereference, address: 0000000000000008',
}


class SplatPatterns(CheckerTest):
    """Each pattern of check_log.SPLATS is needed, and every kind of kernel
    report is caught."""

    def log_with(self, line):
        """A passing run whose dmesg dump holds `line`, and the SPLAT line
        the checker must print for it."""
        text = synth(*prog('p', *TAP_OK), dmesg=[line])
        return text, f'SPLAT at log line {text.split(chr(10)).index(line) + 1}: {line}'

    def test_every_pattern_has_a_captured_line(self):
        self.assertEqual(sorted(rx.pattern for rx in check_log.SPLATS), sorted(PATTERN_LINES))

    def test_each_line_is_matched_by_its_pattern_alone(self):
        for pattern, line in PATTERN_LINES.items():
            with self.subTest(pattern=pattern):
                self.assertEqual([rx.pattern for rx in check_log.SPLATS if rx.search(line)],
                                 [pattern])

    def test_deleting_any_pattern_lets_its_line_through(self):
        for pattern, line in PATTERN_LINES.items():
            with self.subTest(pattern=pattern):
                text, splat = self.log_with(line)
                out, status = check_log.check(text, 'check')
                self.assertEqual(status, 1, out)
                self.assertIn(splat, out)
                others = [rx for rx in check_log.SPLATS if rx.pattern != pattern]
                with mock.patch.object(check_log, 'SPLATS', others):
                    out, status = check_log.check(text, 'check')
                self.assertEqual(status, 0, out)
                self.assertEqual(out[-1], '2 passed, 0 failed')

    def test_every_kind_of_report_fails_the_run(self):
        for kind, line in REPORT_LINES.items():
            with self.subTest(kind=kind):
                self.assertIsNotNone(check_log.first_splat(line), line)
                text, splat = self.log_with(line)
                out, status = check_log.check(text, 'check')
                self.assertEqual(status, 1, out)
                self.assertEqual(out[-1], '2 passed, 1 failed')
                self.assertIn(splat, out)

    def test_boot_lines_about_the_detectors_are_not_reports(self):
        benign = ['[    0.000546] rcu: \tRCU CPU stall warnings timeout set to 100 '
                  '(rcu_cpu_stall_timeout).',
                  '[    0.412796] watchdog: Delayed init of the lockup detector failed: -19',
                  '[    0.412817] NMI watchdog: Perf NMI watchdog permanently disabled',
                  '[    0.412838] kfence: initialized - using 2097152 bytes for 255 objects '
                  'at 0x(____ptrval____)-0x(____ptrval____)',
                  '[    3.207514] Future hung task reports are suppressed, see sysctl '
                  'kernel.hung_task_warnings']
        log = self.write(synth(*prog('p', *TAP_OK), dmesg=benign))
        self.check(log, 0, '2 passed, 0 failed', splats=0)


if __name__ == '__main__':
    unittest.main()
