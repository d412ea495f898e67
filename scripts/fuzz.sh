#!/usr/bin/env bash
# fuzz.sh: `make fuzz`. Boots the debug kernel (KASAN, lockdep, kmemleak,
# fault injection, hung-task and lockup detectors) and runs a long
# machipc-fuzz round in it: at least 1,000,000 operations with allocation
# failures injected into the module's calls. The guest log is checked for
# splats as everywhere else. Figures: build/fuzz.txt.
#
#   FUZZ_ARGS     the fuzzer's arguments (default: --ops 1000000 --fail, and
#                 --time to stop 10 minutes before the guest's limit)
#   FUZZ_SEED     a seed to reproduce (default: random, printed)
#   FUZZ_TIMEOUT  the guest's time limit in seconds (default 7200)
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$TOP"
"$TOP/scripts/setup.sh"
"$TOP/scripts/build-kernel.sh" debug >/dev/null
"$TOP/scripts/build-module.sh" debug >/dev/null
make -s lib fuzzer
tmo=${FUZZ_TIMEOUT:-7200}
args=${FUZZ_ARGS:---ops 1000000 --fail --time $((tmo > 1200 ? tmo - 600 : tmo / 2))}
[ -z "${FUZZ_SEED:-}" ] || args="$args --seed $FUZZ_SEED"
rc=0
"$TOP/scripts/guest.sh" --kernel debug --module "$TOP/build/module-debug/src/machipc.ko" \
	--mode cmd --cmd "./machipc-fuzz $args" --files "$TOP/build/fuzz/machipc-fuzz" \
	--out guest-fuzz --timeout "$tmo" || rc=$?
tr -d '\r' <"$TOP/build/guest-fuzz.log" |
	grep -E '^(machipc-fuzz:|round [0-9]+:|note:|HANG|UNKILLABLE|ANOMALY|  )' >"$TOP/build/fuzz.txt" || true
cat "$TOP/build/guest-fuzz.summary" >>"$TOP/build/fuzz.txt" 2>/dev/null || true
say "fuzz figures in build/fuzz.txt (guest log: build/guest-fuzz.log)"
exit $rc
