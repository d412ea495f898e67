#!/usr/bin/env bash
# vm-run.sh 'CMD' [FILE...]: boots the debug kernel with machipc loaded,
# copies FILEs into the guest's /files, runs CMD there (sh -c, in /files),
# streams its output and exits with CMD's exit status (1 if the guest log
# shows a kernel splat or the guest did not finish).
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ $# -ge 1 ] || die "usage: vm-run.sh 'CMD' [FILE...]"
cmd=$1
shift
make -s -C "$TOP" all >&2
exec "$TOP/scripts/guest.sh" --kernel debug --module "$TOP/build/module-debug/src/machipc.ko" \
	--mode cmd --cmd "$cmd" --files "$*" --helpers "$TOP/build/selftests-helpers" \
	--bootstrapd "$TOP/build/bootstrapd/machipc-bootstrapd" --timeout "${GUEST_TIMEOUT:-1200}"
