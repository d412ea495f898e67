#!/bin/sh
# rmmod-under-load.guest.sh: runs inside the test guest (scripts/guest.sh
# --mode cmd, module loaded by /init; started by scripts/rmmod-under-load.sh).
#
# ROUNDS times: start Mach traffic (machipc_hostile_tasks's `traffic`
# helper: request/reply with out-of-line memory and rights, a receiver
# blocked for ever, a process holding a /dev/mach descriptor passed with
# SCM_RIGHTS); removing the module must be refused at once while it runs
# (never a hang, never a removal); then the traffic is SIGKILLed, the
# module's live counters must come back to what they were after insmod,
# rmmod must succeed, and insmod must load it again.
ROUNDS=${ROUNDS:-5}
T=./machipc_hostile_tasks
STATS=/sys/kernel/debug/machipc/stats
KO=/lib/modules/machipc.ko

live() { grep -v '_total ' "$STATS"; }

fail=0
i=0
base=$(live)
while [ "$i" -lt "$ROUNDS" ]; do
	i=$((i + 1))
	rm -f /tmp/traffic.out
	$T --machipc-hostile-helper traffic >/tmp/traffic.out 2>&1 &
	tp=$!
	n=0
	while ! grep -q TRAFFIC-READY /tmp/traffic.out 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -gt 120 ] || ! kill -0 "$tp" 2>/dev/null; then
			echo "round $i: the traffic did not start:"
			cat /tmp/traffic.out
			fail=1
			break 2
		fi
		sleep 1
	done
	refs=$(cat /sys/module/machipc/refcnt)
	# Refused at once (busybox rmmod does not wait), every time.
	for k in 1 2 3; do
		if rmmod machipc 2>/dev/null; then
			echo "round $i: rmmod removed the module under load (refcnt $refs)"
			fail=1
			break 3
		fi
	done
	kill -9 "$tp"
	wait "$tp" 2>/dev/null
	n=0
	while [ "$(live)" != "$base" ]; do
		n=$((n + 1))
		if [ "$n" -gt 60 ]; then
			echo "round $i: the counters are not back after the traffic:"
			echo "$base" >/tmp/base.txt
			live | diff /tmp/base.txt - || true
			fail=1
			break 2
		fi
		sleep 1
	done
	n=0
	while ! rmmod machipc 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -gt 30 ]; then
			echo "round $i: rmmod fails after the traffic (refcnt $(cat /sys/module/machipc/refcnt))"
			fail=1
			break 2
		fi
		sleep 1
	done
	if ! insmod "$KO"; then
		echo "round $i: insmod failed"
		fail=1
		break
	fi
	chmod 0666 /dev/mach
	base=$(live)
	echo "round $i: refused under load (refcnt $refs), removed and loaded again after"
done
echo "rmmod-under-load: $i of $ROUNDS rounds, $([ "$fail" = 0 ] && echo ok || echo FAILED)"
exit "$fail"
