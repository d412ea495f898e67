#!/usr/bin/env bash
# check.sh: the whole test run behind `make check`: setup, the debug kernel,
# the module (clippy, no warnings), rustfmt, C with -Werror, the log
# checker's own tests, then the selftests in the guest with splat detection.
# The last line is `N passed, N failed` from the selftests' TAP.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$TOP"
t0=$(date +%s)
rm -f "$TOP/build/guest-check.summary"

"$TOP/scripts/setup.sh"
"$TOP/scripts/build-kernel.sh" debug >/dev/null
say "host-side tests of the log and declaration checkers"
python3 -m unittest discover -s scripts/tests 2>&1 | tail -n 3
say "cargo test of the MIG compiler (tools/mig)"
(cd "$TOP/tools/mig" && cargo test -q --target-dir "$TOP/build/mig-target" 2>&1 | grep -E "^test result|FAILED|panicked" ; exit "${PIPESTATUS[0]}")
timed "building the module (clippy, warnings are errors)" \
	env CLIPPY=1 "$TOP/scripts/build-module.sh" debug >/dev/null
timed "building libmach, the bootstrap server, selftests (C with -Wall -Wextra -Werror, and the Rust crate's), demo and fuzzer" \
	make -s lib mig bootstrapd tests demo fuzzer
say "no declaration without a definition (userlib/include vs nm of libmach)"
make -s decls
say "make install into a staging root (DESTDIR), checked against packaging/MANIFEST"
"$TOP/scripts/test_install.sh"
"$TOP/scripts/lint.sh"
say "running the selftests in the guest (debug kernel: KASAN, lockdep, kmemleak)"
rc=0
"$TOP/scripts/guest.sh" --kernel debug --module "$TOP/build/module-debug/src/machipc.ko" \
	--mode check --tests "$TOP/build/selftests" --helpers "$TOP/build/selftests-helpers" \
	--bootstrapd "$TOP/build/bootstrapd/machipc-bootstrapd" --timeout "${GUEST_TIMEOUT:-1800}" || rc=$?
say "make check took $(($(date +%s) - t0))s"
# The checker's verdict line is the last line of the log report.
tail -n1 "$TOP/build/guest-check.summary" 2>/dev/null || echo "0 passed, 1 failed"
exit $rc
