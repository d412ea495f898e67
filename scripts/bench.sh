#!/usr/bin/env bash
# bench.sh: `make bench`. Builds the perf kernel (no debug options) and the
# module against it, boots it, and runs machipc-bench: a 64-byte round trip
# between two processes with mach_msg, pipe, unix socket and futex, side by
# side in one guest. Results: build/bench.txt (and the console).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$TOP"
"$TOP/scripts/setup.sh"
"$TOP/scripts/build-kernel.sh" perf >/dev/null
ko=$("$TOP/scripts/build-module.sh" perf)
make -s lib demo
"$TOP/scripts/guest.sh" --kernel perf --module "$ko" --mode cmd \
	--cmd "./machipc-bench ${BENCH_ARGS:-20000 7}" --files "$TOP/build/demo/machipc-bench" \
	--out guest-bench --timeout 1800
tr -d '\r' <"$TOP/build/guest-bench.log" |
	sed -n '/^machipc-bench:/,/^BENCH /p' >"$TOP/build/bench.txt"
say "results in build/bench.txt"
