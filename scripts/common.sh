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

# The perf kernel's LLVM: rustc's own major (rustc 1.96 is built on LLVM
# 22), so that the perf kernel can set CONFIG_RUST_INLINE_HELPERS, which
# inlines the kernel crate's C helpers (reference counts, locks, atomics,
# `current`) into Rust code and needs clang and rustc on one LLVM major
# (docs/benchmarks.md). The debug kernel keeps the verified LLVM_VER.
PERF_LLVM_VER=22
# Its bindgen: 0.71 mistakes some complete types for incomplete ones with
# libclang 22 (rust-bindgen#3278, fixed in 0.72.1); rust_is_available.sh
# warns so.
PERF_BINDGEN_VER=0.72.1

# The LLVM major a kernel flavour (and its modules) is built with.
flavour_llvm() {
	if [ "${1:-}" = perf ]; then echo "$PERF_LLVM_VER"; else echo "$LLVM_VER"; fi
}

# The make variables every kernel and module build of flavour $1 uses: the
# LLVM first in PATH (LLVM_VER), or the flavour's other one (PERF_LLVM_VER)
# by path, with that one's bindgen.
kmake_vars() {
	local v llvm=1 bindgen=$BINDGEN
	v=$(flavour_llvm "${1:-}")
	if [ "$v" != "$LLVM_VER" ]; then
		llvm=/usr/lib/llvm-$v/bin/
		bindgen="$CACHE/bindgen-$PERF_BINDGEN_VER/bin/bindgen"
	fi
	echo "LLVM=$llvm RUSTC=/usr/bin/rustc CLIPPY_DRIVER=/usr/bin/clippy-driver RUSTFMT=/usr/bin/rustfmt BINDGEN=$bindgen RUST_LIB_SRC=$RUST_LIB_SRC"
}

# The libclang bindgen loads for flavour $1: the one of its clang.
klibclang() {
	echo "/usr/lib/llvm-$(flavour_llvm "${1:-}")/lib"
}

# Build directory of a kernel flavour: keyed by kernel version and a hash of
# the config fragments (and the LLVM, if not LLVM_VER), so a changed
# fragment or compiler builds a new kernel.
kbuild_dir() {
	local flavour=$1 hash llvm=
	[ "$(flavour_llvm "$flavour")" = "$LLVM_VER" ] || llvm="llvm-$(flavour_llvm "$flavour")"
	hash=$({ cat "$TOP/kernel/base.config" "$TOP/kernel/$flavour.config"; printf %s "$llvm"; } |
		sha256sum | cut -c1-12)
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
