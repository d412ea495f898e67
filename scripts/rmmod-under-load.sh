#!/usr/bin/env bash
# rmmod-under-load.sh: module removal under load, in the debug guest.
#
#   scripts/rmmod-under-load.sh [ROUNDS]     (default 5; needs `make module tests`)
#
# Boots the debug kernel with machipc.ko and runs
# scripts/rmmod-under-load.guest.sh there: rounds of Mach traffic (with a
# /dev/mach descriptor held by another process through SCM_RIGHTS) during
# which rmmod must be refused at once, then the traffic is killed, the
# module's live counters must be back, and rmmod and insmod must succeed.
# The kernel log is checked for splats as for the selftests. Exit status:
# 0 iff every round passed and the log is clean.
set -euo pipefail
. "$(dirname "$0")/common.sh"

rounds=${1:-5}
ko="$TOP/build/module-debug/src/machipc.ko"
helper="$TOP/build/selftests/machipc_hostile_tasks"
[ -f "$ko" ] || die "no module: $ko (make module)"
[ -x "$helper" ] || die "no $helper (make tests)"
exec "$TOP/scripts/guest.sh" --kernel debug --module "$ko" --mode cmd \
	--cmd "ROUNDS=$rounds sh ./rmmod-under-load.guest.sh" \
	--files "$helper $TOP/scripts/rmmod-under-load.guest.sh" \
	--timeout "${GUEST_TIMEOUT:-1200}" --quiet --out guest-rmmod-load
