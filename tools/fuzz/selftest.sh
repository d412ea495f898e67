#!/bin/sh
# selftest.sh: the fuzzer's own tests, run in the guest next to the binary:
#
#   scripts/vm-run.sh 'sh selftest.sh' build/fuzz/machipc-fuzz tools/fuzz/selftest.sh
#
# Each test runs a short round and checks the verdict and the report: a
# clean round passes with its counters at their baseline; a live counter
# that does not come back fails it; a call that does not return by its
# deadline is reported as a hang and killed (and the fuzzer itself ends);
# the TAP form counts right. Rounds avoid the sizes known to break the
# module before the rewrite (--no-huge --no-big). Output is TAP.
F=./machipc-fuzz
ARGS="--no-huge --no-big --settle 2 --kill-rate 1"
n=0
failed=0

check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		failed=$((failed + 1))
		sed 's/^/# /' "$3" | tail -n 20
	fi
}

echo "TAP version 13"
echo "1..4"

printf 'tasks 1\nports 3\nmsgs_total 10\n' >/tmp/stats
$F --time 8 --round 8 $ARGS --stats /tmp/stats >/tmp/out1 2>&1
rc=$?
check fuzz_clean_round_passes \
	'[ $rc = 0 ] && grep -q "counters at baseline" /tmp/out1 && grep -q "^machipc-fuzz: PASS" /tmp/out1' /tmp/out1

printf 'tasks 1\nports 3\nmsgs_total 10\n' >/tmp/stats
(sleep 3; printf 'tasks 1\nports 4\nmsgs_total 15\n' >/tmp/stats) &
$F --time 8 --round 8 $ARGS --stats /tmp/stats >/tmp/out2 2>&1
rc=$?
wait
check fuzz_counter_off_baseline_fails \
	'[ $rc = 1 ] && grep -q "counter ports: 3 before the round, 4 after" /tmp/out2 &&
	 grep -q "msgs_total +5" /tmp/out2 && grep -q "counters off baseline" /tmp/out2' /tmp/out2

start=$(date +%s)
$F --time 60 --round 60 $ARGS --hang-timeout 3 --inject-hang >/tmp/out3 2>&1
rc=$?
took=$(($(date +%s) - start))
check fuzz_hang_reported_and_ends_the_run \
	'[ $rc = 1 ] && grep -q "^HANG:" /tmp/out3 && grep -q "call #1: PORT_OP" /tmp/out3 &&
	 ! grep -q UNKILLABLE /tmp/out3 && grep -q "1 hang(s)" /tmp/out3 && [ $took -lt 45 ]' /tmp/out3

$F --tap --time 6 --round 6 $ARGS --stats /nonexistent >/tmp/out4 2>&1
rc=$?
check fuzz_tap_form \
	'[ $rc = 0 ] && grep -q "^1\.\.5$" /tmp/out4 && grep -q "^ok 4 fuzz_counters_back_at_baseline # SKIP" /tmp/out4 &&
	 grep -q "^# Totals: pass:4 fail:0 xfail:0 xpass:0 skip:1 error:0$" /tmp/out4 &&
	 [ "$(grep -c "^ok [1-5] " /tmp/out4)" = 5 ] && ! grep -v "^# \|^ok \|^1\.\.\|^TAP " /tmp/out4 | grep -q .' /tmp/out4

echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ $failed = 0 ]
