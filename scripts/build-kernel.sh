#!/usr/bin/env bash
# build-kernel.sh FLAVOUR: builds the test kernel FLAVOUR (debug or perf)
# from tinyconfig + kernel/base.config + kernel/FLAVOUR.config, cached under
# $CACHE keyed by kernel version and fragment hash. Prints the build dir.
set -euo pipefail
. "$(dirname "$0")/common.sh"

flavour=${1:?usage: build-kernel.sh debug|perf}
[ -f "$TOP/kernel/$flavour.config" ] || die "no kernel/$flavour.config"
dir=$(kbuild_dir "$flavour")
if [ -f "$dir/.machipc-built" ]; then
	echo "$dir"
	exit 0
fi
[ -f "$KSRC/.machipc-unpacked" ] || die "kernel source missing: run scripts/setup.sh"
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ -f "$dir/.machipc-built" ]; then echo "$dir"; exit 0; fi

# shellcheck disable=SC2046
km() { LIBCLANG_PATH=$(klibclang "$flavour") make -s -C "$KSRC" O="$dir" $(kmake_vars "$flavour") "$@"; }

km rustavailable >&2 || die "Rust toolchain not usable for the kernel (see docs/toolchain)"
km tinyconfig >/dev/null
"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$dir" "$dir/.config" \
	"$TOP/kernel/base.config" "$TOP/kernel/$flavour.config" >/dev/null
km olddefconfig >/dev/null

# Kconfig silently drops options whose dependencies are missing: check.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) ! grep -qx "${line%=n}=y" "$dir/.config" || { echo "still set: $line" >&2; bad=1; } ;;
	CONFIG_*=*) grep -qx "$line" "$dir/.config" || { echo "missing from .config: $line" >&2; bad=1; } ;;
	esac
done < <(cat "$TOP/kernel/base.config" "$TOP/kernel/$flavour.config")
[ $bad = 0 ] || die "kernel config fragment did not apply"

case $flavour in debug) eta="about 10 minutes" ;; *) eta="about 6 minutes" ;; esac
timed "building the $flavour test kernel (Linux $KVER), $eta on 2 cores" \
	km -j"$(nproc)" bzImage modules >&2
touch "$dir/.machipc-built"
echo "$dir"
