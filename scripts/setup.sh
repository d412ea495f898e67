#!/usr/bin/env bash
# Installs everything machipc needs on Debian 12 (root), idempotently:
# the LLVM/Rust toolchain from Debian, QEMU from bookworm-backports,
# bindgen-cli, and the Linux source (downloaded with a private apt
# configuration, never installed). Everything is cached under $CACHE.
# `setup.sh --bench` also installs what `make bench` needs (gnuplot-nox,
# and the perf kernel's LLVM, PERF_LLVM_VER, from bookworm-security).
set -euo pipefail
. "$(dirname "$0")/common.sh"

mkdir -p "$CACHE"

need_pkgs=(clang-$LLVM_VER lld-$LLVM_VER llvm-$LLVM_VER libclang-$LLVM_VER-dev
	rustc-web libstd-rust-web-dev rust-web-src rust-web-clippy rustfmt-web
	busybox-static flex bison bc libelf-dev libssl-dev cpio make gcc libc6-dev xz-utils
	binutils file pkg-config)
bench=
[ "${1:-}" != --bench ] || bench=1
# The benchmark's plots (PNG): gnuplot without X; the perf kernel's LLVM.
if [ -n "$bench" ]; then
	need_pkgs+=(gnuplot-nox clang-$PERF_LLVM_VER lld-$PERF_LLVM_VER llvm-$PERF_LLVM_VER)
fi

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
	done
}

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	timed "apt-get update" sudo_ apt-get update -qq
	apt_updated=1
}

install_debian_packages() {
	local miss
	miss=$(missing_pkgs "${need_pkgs[@]}")
	[ -z "$miss" ] && return 0
	apt_update
	# shellcheck disable=SC2086
	timed "installing Debian packages: $(echo $miss), about 1 minute" \
		sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $miss
}

install_qemu() {
	[ -z "$(missing_pkgs qemu-system-x86)" ] && return 0
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		say "adding bookworm-backports (priority 100, upgrades nothing by itself)"
		echo 'deb http://deb.debian.org/debian bookworm-backports main' |
			sudo_ tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
		apt_updated=
	fi
	apt_update
	timed "installing qemu-system-x86 from bookworm-backports" \
		sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports \
		--no-install-recommends qemu-system-x86
}

check_rust() {
	[ -x /usr/bin/rustc ] || die "/usr/bin/rustc missing (rustc-web)"
	/usr/bin/rustc --version | grep -q "^rustc $RUST_VER" ||
		die "Debian rustc-web is $(/usr/bin/rustc --version), expected $RUST_VER"
	[ -d "$RUST_LIB_SRC" ] || die "$RUST_LIB_SRC missing (rust-web-src)"
}

# install_bindgen VERSION LLVM: bindgen-cli VERSION under $CACHE, built
# against LLVM's libclang.
install_bindgen() {
	local ver=$1 llvm=$2
	[ -x "$CACHE/bindgen-$ver/bin/bindgen" ] && return 0
	command -v cargo >/dev/null || export PATH="$HOME/.cargo/bin:$PATH"
	timed "building bindgen-cli $ver, about 70 s" \
		env LIBCLANG_PATH=/usr/lib/llvm-$llvm/lib \
		cargo install -q bindgen-cli --version "$ver" --locked --root "$CACHE/bindgen-$ver"
}

fetch_kernel_source() {
	[ -f "$KSRC/.machipc-unpacked" ] && return 0
	local apt="$CACHE/apt-trixie-bpo" deb
	mkdir -p "$apt/etc" "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/dl"
	echo 'deb http://deb.debian.org/debian trixie-backports main' >"$apt/etc/sources.list"
	local opts=(-o "Dir::Etc::SourceList=$apt/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State=$apt/state" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
		-o APT::Sandbox::User=root)
	deb=$(ls "$apt"/dl/linux-source-${KVER}_*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		timed "private apt update for trixie-backports (machine apt setup untouched)" \
			apt-get "${opts[@]}" update -qq
		(cd "$apt/dl" && timed "downloading linux-source-$KVER (167 MB)" \
			apt-get "${opts[@]}" download "linux-source-$KVER") ||
			die "linux-source-$KVER not found in trixie-backports; this module is written against $KVER"
		deb=$(ls "$apt"/dl/linux-source-${KVER}_*.deb | head -n1)
	fi
	rm -rf "$KSRC" "$CACHE/src-unpack"
	mkdir -p "$CACHE/src-unpack"
	timed "unpacking Linux $KVER source, about 20 s" bash -c \
		"dpkg-deb --fsys-tarfile '$deb' | tar -x -C '$CACHE/src-unpack' ./usr/src/linux-source-$KVER.tar.xz &&
		 tar -xJf '$CACHE/src-unpack/usr/src/linux-source-$KVER.tar.xz' -C '$CACHE/src-unpack'"
	mv "$CACHE/src-unpack/linux-source-$KVER" "$KSRC"
	rm -rf "$CACHE/src-unpack"
	touch "$KSRC/.machipc-unpacked"
}

install_debian_packages
install_qemu
check_rust
install_bindgen "$BINDGEN_VER" "$LLVM_VER"
if [ -n "$bench" ]; then install_bindgen "$PERF_BINDGEN_VER" "$PERF_LLVM_VER"; fi
fetch_kernel_source
say "setup complete (cache: $CACHE)"
