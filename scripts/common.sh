# Shared settings for machipc scripts. Sourced, not run.
# shellcheck shell=bash

KVER=7.3
KPKG_VERSION="7.3.4-1~bpo13+1"
RUST_VER=1.96.0
BINDGEN_VER=0.71.1
LLVM_VER=19
# The guest CPU model (QEMU TCG): see docs/pipeline.md, "The boot flake".
GUEST_CPU="${GUEST_CPU:-max,la57=off}"

CACHE="${MACHIPC_CACHE:-$HOME/.cache/machipc}"
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KSRC="$CACHE/linux-$KVER"
BINDGEN="$CACHE/bindgen-$BINDGEN_VER/bin/bindgen"
RUST_LIB_SRC="/usr/src/rustc-$RUST_VER/library"
export PATH="/usr/lib/llvm-$LLVM_VER/bin:$PATH:$HOME/.cargo/bin"

# The make variables every kernel and module build uses.
kmake_vars() {
	echo "LLVM=1 RUSTC=/usr/bin/rustc CLIPPY_DRIVER=/usr/bin/clippy-driver RUSTFMT=/usr/bin/rustfmt BINDGEN=$BINDGEN RUST_LIB_SRC=$RUST_LIB_SRC"
}

# Build directory of a kernel flavour: keyed by kernel version and a hash of
# the config fragments, so a changed fragment builds a new kernel.
kbuild_dir() {
	local flavour=$1 hash
	hash=$(cat "$TOP/kernel/base.config" "$TOP/kernel/$flavour.config" | sha256sum | cut -c1-12)
	echo "$CACHE/build-$KVER-$flavour-$hash"
}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# timed "what" cmd...: run a long step, announcing it and its duration.
timed() {
	local what=$1 start rc
	shift
	say "$what"
	start=$(date +%s)
	"$@"
	rc=$?
	say "$(printf '%s: done in %ds' "${what%%, about*}" $(($(date +%s) - start)))"
	return $rc
}
