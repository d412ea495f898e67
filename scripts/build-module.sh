#!/usr/bin/env bash
# build-module.sh FLAVOUR: builds machipc.ko against the FLAVOUR test kernel
# into build/module-FLAVOUR/src/machipc.ko, with clippy (CLIPPY=1, default)
# and no warnings allowed. KRUSTFLAGS (environment), if set, is added to the
# Rust flags (scripts/profile.sh builds with line tables this way).
set -euo pipefail
. "$(dirname "$0")/common.sh"

flavour=${1:-debug}
kdir=$(kbuild_dir "$flavour")
[ -f "$kdir/.machipc-built" ] || kdir=$("$TOP/scripts/build-kernel.sh" "$flavour")
mo="$TOP/build/module-$flavour"
mkdir -p "$mo"
log="$mo/build.log"
set +e
# shellcheck disable=SC2046
LIBCLANG_PATH=$(klibclang "$flavour") make -s -C "$kdir" M="$TOP" MO="$mo" $(kmake_vars "$flavour") CLIPPY="${CLIPPY:-1}" \
	${KRUSTFLAGS:+KRUSTFLAGS="$KRUSTFLAGS"} modules 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || die "module build failed"
if grep -q 'warning' "$log"; then
	die "module build has warnings (see above); the build must be warning-free"
fi
echo "$mo/src/machipc.ko"
