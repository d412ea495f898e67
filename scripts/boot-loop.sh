#!/usr/bin/env bash
# boot-loop.sh: boots the debug kernel N times (the module loaded, nothing
# run) and counts the boots whose console log has a kernel splat
# (scripts/check_log.py). For the boot flake of docs/pipeline.md.
#
#   boot-loop.sh [N] [CPU-MODEL]     e.g. boot-loop.sh 50 max,la57=off
set -euo pipefail
. "$(dirname "$0")/common.sh"
n=${1:-50}
cpu=${2:-$GUEST_CPU}
ko="$TOP/build/module-debug/src/machipc.ko"
[ -f "$ko" ] || die "build the module first (scripts/build-module.sh debug)"
bad=0
for i in $(seq 1 "$n"); do
	if QEMU_CPU=$cpu "$TOP/scripts/guest.sh" --kernel debug --module "$ko" --mode cmd \
		--cmd true --timeout 300 --quiet --out "boot-loop" >/dev/null 2>&1; then
		echo "boot $i: clean"
	else
		bad=$((bad + 1))
		cp "$TOP/build/boot-loop.log" "$TOP/build/boot-loop-fail-$i.log"
		echo "boot $i: SPLAT or failure (build/boot-loop-fail-$i.log)"
		grep -m3 -E "BUG:|WARNING:|KASAN" "$TOP/build/boot-loop-fail-$i.log" || true
	fi
done
echo "cpu $cpu: $((n - bad)) of $n boots clean"
[ "$bad" = 0 ]
