#!/usr/bin/env bash
# guest.sh: boots a test kernel in QEMU (TCG) with machipc.ko, runs tests, a
# demo or a command inside, and checks the console log for failed tests and
# kernel splats (scripts/check_log.py).
#
#   guest.sh --kernel debug|perf --module KO --mode check|run|cmd
#            [--tests DIR] [--helpers DIR] [--demo BIN] [--cmd 'CMD']
#            [--files 'F...'] [--log FILE] [--timeout SECONDS] [--quiet]
#            [--out NAME] [--bootstrapd BIN] [--insmod-args 'PARAM=VALUE ...']
#
# --helpers DIR: programs the tests run, installed in the guest's
# /tests-helpers with mode 755; those named in DIR/setuid.list (one per
# line, # comments) get mode 4755. Every file in the guest is owned by root.
#
# --bootstrapd BIN: the bootstrap server, installed as the guest's
# /sbin/machipc-bootstrapd, which /init starts before anything else runs.
#
# NAME (default guest-MODE) names the staging directory and files under
# build/, so that several guests can run at once.
#
# QEMU_CPU (environment) is the guest CPU model, default $GUEST_CPU from
# common.sh.
#
# Exit status: check/run: 0 iff everything passed; cmd: the command's exit
# status, or 1 if the guest had a splat or did not finish.
set -euo pipefail
. "$(dirname "$0")/common.sh"

flavour=debug module= mode=check tests= helpers= demo= cmd= files= log= tmo=900 quiet= name=
bootstrapd= insmod_args=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) flavour=$2; shift ;;
	--module) module=$2; shift ;;
	--mode) mode=$2; shift ;;
	--tests) tests=$2; shift ;;
	--helpers) helpers=$2; shift ;;
	--demo) demo=$2; shift ;;
	--cmd) cmd=$2; shift ;;
	--files) files=$2; shift ;;
	--log) log=$2; shift ;;
	--timeout) tmo=$2; shift ;;
	--quiet) quiet=1 ;;
	--out) name=$2; shift ;;
	--bootstrapd) bootstrapd=$2; shift ;;
	--insmod-args) insmod_args=$2; shift ;;
	*) die "guest.sh: unknown argument $1" ;;
	esac
	shift
done
[ -f "$module" ] || die "module not built: $module"
kdir=$(kbuild_dir "$flavour")
[ -f "$kdir/.machipc-built" ] || die "$flavour kernel not built (scripts/build-kernel.sh $flavour)"
out="$TOP/build/${name:-guest-$mode}"
log=${log:-$out.log}
rm -rf "$out"
mkdir -p "$out"/{bin,sbin,etc,proc,sys,dev,tmp,tests,files,lib/modules}

cp /bin/busybox "$out/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -sf busybox "$out/bin/$a"
done
cp "$TOP/guest/init" "$out/init"
chmod +x "$out/init"
cp "$module" "$out/lib/modules/machipc.ko"
[ -z "$tests" ] || cp -r "$tests"/. "$out/tests/"
if [ -n "$helpers" ] && [ -d "$helpers" ]; then
	mkdir -p "$out/tests-helpers"
	for f in "$helpers"/*; do
		[ "${f##*/}" = setuid.list ] || install -m 755 "$f" "$out/tests-helpers/"
	done
	if [ -f "$helpers/setuid.list" ]; then
		sed 's/#.*//' "$helpers/setuid.list" | while read -r h; do
			[ -z "$h" ] || chmod 4755 "$out/tests-helpers/$h"
		done
	fi
fi
if [ -n "$bootstrapd" ]; then
	[ -f "$bootstrapd" ] || die "bootstrap server not built: $bootstrapd"
	install -m 755 "$bootstrapd" "$out/sbin/machipc-bootstrapd"
fi
[ -z "$demo" ] || cp "$demo" "$out/bin/machipc-demo"
for f in $files; do
	[ -e "$f" ] || die "no such file: $f"
	cp -r "$f" "$out/files/"
done
{
	echo "MODE=$mode"
	printf 'CMD=%q\n' "$cmd"
	printf 'INSMOD_ARGS=%q\n' "$insmod_args"
} >"$out/etc/machipc.conf"
(cd "$out" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$out.cpio.gz"

say "booting the $flavour kernel in QEMU (TCG, no KVM here; timeout ${tmo}s)"
start=$(date +%s)
set +e
qemu_cmd=(timeout --foreground -k 10 "$tmo" qemu-system-x86_64 -accel tcg -cpu "${QEMU_CPU:-$GUEST_CPU}" -m 1G -smp 2
	-kernel "$kdir/arch/x86/boot/bzImage" -initrd "$out.cpio.gz"
	-append "console=ttyS0 loglevel=4 panic=-1 no_timer_check"
	-nographic -no-reboot -monitor none -serial stdio -display none)
if [ -n "$quiet" ]; then
	"${qemu_cmd[@]}" </dev/null >"$log" 2>&1
else
	"${qemu_cmd[@]}" </dev/null 2>&1 | tee "$log" | sed -un '/MACHIPC-BEGIN/,/MACHIPC-RMMOD/{s/.*MACHIPC-BEGIN/MACHIPC-BEGIN/;p}'
fi
qrc=${PIPESTATUS[0]}
set -e
say "guest finished in $(($(date +%s) - start))s (qemu exit $qrc), log: $log"
[ "$qrc" = 124 ] && say "QEMU timed out after ${tmo}s"

rc=0
python3 "$TOP/scripts/check_log.py" --mode "$mode" "$log" >"$out.summary" || rc=$?
cat "$out.summary"
if [ "$mode" = cmd ]; then
	crc=$(tr -d '\r' <"$log" | sed -n 's/.*MACHIPC-PROG-END cmd rc=\([0-9]*\).*/\1/p' | tail -n1)
	if [ "$rc" = 0 ] && [ -n "$crc" ]; then
		say "the command exited with status $crc"
		exit "$crc"
	fi
	say "the guest run failed (see above): exit status 1"
	exit 1
fi
exit $rc
