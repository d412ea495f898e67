#!/usr/bin/env bash
# test_install.sh: `make install` into a staging root (DESTDIR, PREFIX=/usr),
# then checks that it holds exactly what packaging/MANIFEST promises, and
# that what it holds works: pkg-config's flags, a program built against the
# staged headers and linked with the staged libmach (static and shared), the
# staged mig finding its standard definitions next to itself and its stubs
# compiling, the systemd unit, the udev rule, dkms.conf.
#
# Prints TAP (ok / not ok per check) and exits 1 if a check failed. Nothing
# runs against /dev/mach: the shared-library program only starts (the host
# has no machipc module; it is never loaded here).
set -uo pipefail
. "$(dirname "$0")/common.sh"
cd "$TOP"

stage="$TOP/build/install-stage"
work="$TOP/build/install-test"
version=$(cat packaging/VERSION)
rm -rf "$stage" "$work"
mkdir -p "$work"

n=0 failed=0
check() { # check DESCRIPTION COMMAND...
	local desc=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 20
		failed=$((failed + 1))
	fi
}

check "make install DESTDIR=$stage PREFIX=/usr" \
	make -s install DESTDIR="$stage" PREFIX=/usr

# ---- the manifest --------------------------------------------------------------

expected="$work/expected"
: >"$expected"
entry() { # entry PATH KIND [ARG]
	local p=$1 kind=$2 arg=${3:-} f="$stage/$1"
	case $kind in
	file)
		[ -f "$f" ] && [ ! -L "$f" ] || { echo "$p: not a regular file"; return 1; }
		[ "$(stat -c %a "$f")" = 644 ] || { echo "$p: mode $(stat -c %a "$f"), not 644"; return 1; }
		echo "$p" >>"$expected" ;;
	exec)
		[ -f "$f" ] && [ -x "$f" ] || { echo "$p: not an executable"; return 1; }
		[ "$(stat -c %a "$f")" = 755 ] || { echo "$p: mode $(stat -c %a "$f")"; return 1; }
		echo "$p" >>"$expected" ;;
	elf-static)
		entry "$p" exec || return 1
		file -b "$f" | grep -q 'statically linked' || { echo "$p: $(file -b "$f")"; return 1; } ;;
	shared)
		[ -f "$f" ] && [ "$(stat -c %a "$f")" = 755 ] || { echo "$p: missing or mode"; return 1; }
		readelf -d "$f" | grep -q "SONAME.*\[$arg\]" || { echo "$p: soname is not $arg"; return 1; }
		echo "$p" >>"$expected" ;;
	ar)
		[ -f "$f" ] && [ "$(head -c 8 "$f")" = '!<arch>' ] || { echo "$p: not an ar archive"; return 1; }
		echo "$p" >>"$expected" ;;
	symlink)
		[ -L "$f" ] && [ "$(readlink "$f")" = "$arg" ] || { echo "$p: not a link to $arg"; return 1; }
		[ -e "$f" ] || { echo "$p: dangling"; return 1; }
		echo "$p" >>"$expected" ;;
	headers)
		local h
		while read -r h; do
			cmp -s "userlib/include/$h" "$f/$h" || { echo "$p/$h: missing or different"; return 1; }
			echo "$p/$h" >>"$expected"
		done < <(cd userlib/include && find . -type f \( -name '*.h' -o -name '*.defs' \) | sed 's|^\./||' | sort) ;;
	module-source)
		local m
		for m in Kbuild uapi/machipc.h $(ls src/*.rs src/*.c src/Kbuild 2>/dev/null); do
			cmp -s "$m" "$f/$m" || { echo "$p/$m: missing or different"; return 1; }
			echo "$p/$m" >>"$expected"
		done ;;
	docs)
		local d
		for d in README.md docs/*.md; do
			cmp -s "$d" "$f/${d##*/}" || { echo "$p/${d##*/}: missing or different"; return 1; }
			echo "$p/${d##*/}" >>"$expected"
		done ;;
	*)
		echo "MANIFEST: unknown kind $kind"; return 1 ;;
	esac
}

while read -r path kind arg; do
	case $path in '#'* | '') continue ;; esac
	path=${path//@VERSION@/$version}
	check "MANIFEST: $path ($kind${arg:+ $arg})" entry "$path" "$kind" "$arg"
done <packaging/MANIFEST

nothing_else() {
	local extra
	extra=$(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort |
		comm -23 - <(sort -u "$expected"))
	[ -z "$extra" ] || { echo "installed but not in packaging/MANIFEST:"; echo "$extra"; return 1; }
}
check "nothing is installed that MANIFEST does not list" nothing_else

# ---- what is installed works ------------------------------------------------------

export PKG_CONFIG_SYSROOT_DIR="$stage" PKG_CONFIG_LIBDIR="$stage/usr/lib/pkgconfig"
pc_flags() {
	local c l
	c=$(pkg-config --cflags machipc) && l=$(pkg-config --libs machipc) || return 1
	c=$(echo $c) l=$(echo $l) # without pkg-config's trailing blank
	[ "$c" = "-I$stage/usr/include/machipc" ] || { echo "cflags: $c"; return 1; }
	[ "$l" = "-L$stage/usr/lib -lmach" ] || { echo "libs: $l"; return 1; }
	[ "$(pkg-config --modversion machipc)" = "$version" ] || { echo "version"; return 1; }
}
check "pkg-config machipc: -I<prefix>/include/machipc, -lmach, version $version" pc_flags

cat >"$work/prog.c" <<'EOF'
/* A program of a user of machipc: the macOS headers, the bootstrap API. */
#include <stdio.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <bootstrap.h>
#include <machipc/machipc.h>
#include <linux/machipc.h>

int main(void)
{
	mach_port_t p = MACH_PORT_NULL;
	kern_return_t kr;

	if (mach_task_self() == MACH_PORT_NULL) {
		printf("no /dev/mach here\n");
		return 0;
	}
	kr = bootstrap_look_up(bootstrap_port, "com.example.none", &p);
	printf("%s (ABI %d)\n", bootstrap_strerror(kr), MACHIPC_ABI_VERSION);
	return 0;
}
EOF
build_static() {
	# shellcheck disable=SC2046
	gcc -std=gnu11 -Wall -Wextra -Werror $(pkg-config --cflags machipc) -o "$work/prog-static" \
		"$work/prog.c" -static $(pkg-config --libs --static machipc)
}
check "a program builds against the staged headers and links libmach.a statically" build_static
build_shared() {
	# shellcheck disable=SC2046
	gcc -std=gnu11 -Wall -Wextra -Werror $(pkg-config --cflags machipc) -o "$work/prog-shared" \
		"$work/prog.c" $(pkg-config --libs machipc) || return 1
	readelf -d "$work/prog-shared" | grep -q 'NEEDED.*\[libmach.so.1\]' || { echo "not linked to libmach.so.1"; return 1; }
	# It starts with the staged library (and finds no /dev/mach on this host).
	LD_LIBRARY_PATH="$stage/usr/lib" "$work/prog-shared" | grep -q 'no /dev/mach here' ||
		[ -e /dev/mach ]
}
check "a program links libmach.so (NEEDED libmach.so.1) and starts with it" build_shared

exports() {
	local missing
	missing=$(nm -D --defined-only "$stage/usr/lib/libmach.so.1" | awk '{print $3}' | sort |
		comm -13 - <(printf '%s\n' bootstrap_look_up bootstrap_check_in bootstrap_register \
			mach_msg mach_port_allocate mach_task_self_ bootstrap_port | sort))
	[ -z "$missing" ] || { echo "not exported: $missing"; return 1; }
	# The bootstrap protocol's stubs are internal.
	! nm -D --defined-only "$stage/usr/lib/libmach.so.1" | grep -q machipc_bs_
}
check "libmach.so exports the API, not the internal MIG stubs" exports

mig_works() {
	local inc
	inc=$("$stage/usr/bin/mig" -print-include-dir) || return 1
	[ "$(readlink -f "$inc")" = "$(readlink -f "$stage/usr/include/machipc")" ] ||
		{ echo "mig takes its definitions from $inc"; return 1; }
	cat >"$work/calc.defs" <<'EOF'
subsystem calc 6000;
#include <mach/std_types.defs>
#include <mach/mach_types.defs>
routine calc_add(server : mach_port_t; a : int; b : int; out sum : int);
EOF
	(cd "$work" && env -u MIG_INCLUDE "$stage/usr/bin/mig" calc.defs) || return 1
	gcc -std=gnu11 -Wall -Wextra -Werror -I"$stage/usr/include/machipc" -c \
		-o "$work/calcUser.o" "$work/calcUser.c" &&
	gcc -std=gnu11 -Wall -Wextra -Werror -I"$stage/usr/include/machipc" -c \
		-o "$work/calcServer.o" "$work/calcServer.c"
}
check "the staged mig uses the staged definitions; its stubs build" mig_works

unit_ok() {
	local u="$stage/usr/lib/systemd/system/machipc-bootstrapd.service" exe
	exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$u")
	[ "$exe" = /usr/sbin/machipc-bootstrapd ] && [ -x "$stage$exe" ] || { echo "ExecStart=$exe"; return 1; }
	grep -q '^Type=notify$' "$u" && grep -q '^Restart=always$' "$u" || return 1
	! grep -q '@[A-Z]*@' "$u" || { echo "unsubstituted"; return 1; }
	if command -v systemd-analyze >/dev/null; then
		systemd-analyze verify --root="$stage" machipc-bootstrapd.service 2>&1 |
			grep -v 'Failed to\|not found\|Unit .* not found\|modprobe' | grep -i error && return 1
	fi
	return 0
}
check "the systemd unit starts the staged daemon (Type=notify, Restart=always)" unit_ok

udev_ok() {
	grep -qx 'KERNEL=="mach", MODE="0666"' "$stage/usr/lib/udev/rules.d/60-mach.rules" &&
		grep -q 'KERNEL=="mach", MODE="0666"' README.md
}
check "the udev rule is the README's" udev_ok

dkms_ok() {
	local d="$stage/usr/src/machipc-$version/dkms.conf"
	bash -n "$d" || return 1
	# DKMS sources it with these set. shellcheck disable=SC1090
	(set +u; kernel_source_dir=/nonexistent dkms_tree=/var/lib/dkms; . "$d"
		[ "$PACKAGE_NAME" = machipc ] && [ "$PACKAGE_VERSION" = "$version" ] &&
		[ "${BUILT_MODULE_NAME[0]}" = machipc ] && [ "${BUILT_MODULE_LOCATION[0]}" = src/ ] &&
		[ "$BUILD_EXCLUSIVE_CONFIG" = CONFIG_RUST ] && [ "$AUTOINSTALL" = yes ])
}
check "dkms.conf: machipc $version, src/machipc.ko, Rust kernels only" dkms_ok

modules_load_ok() {
	sed 's/#.*//' "$stage/usr/lib/modules-load.d/machipc.conf" | grep -qx machipc
}
check "modules-load.d loads machipc at boot" modules_load_ok

echo "1..$n"
echo "# install: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
