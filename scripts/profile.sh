#!/usr/bin/env bash
# profile.sh (make profile): where the kernel's time goes in machipc's hot
# paths. Boots the perf kernel (as make bench does) and runs each of
# PROFILE_WORKLOADS (machipc-bench -w) under machipc-kprof (tools/kprof):
# system-wide cpu-clock sampling with kernel call chains, resolved against
# /proc/kallsyms. Writes build/profile/profile.txt: per workload, its time
# per operation, the user/kernel split and the top functions by self and
# inclusive samples, Rust names demangled (c++filt), and the most sampled
# addresses with the module's source lines (scripts/profile-lines.py).
#
#   PROFILE_WORKLOADS  default "ioctl type self64 mach_msg-rt1cpu pipe-rt1cpu"
#   PROFILE_OPS        one-process operations (-l), default 200000
#   PROFILE_RT         round trips (-n), default 20000
#   PROFILE_HZ         samples per second and CPU, default 4000
#   PROFILE_ADDRS      how many of the most-sampled addresses to list (40)
#   PROFILE_CALLERS    a (mangled) name part: also list who calls the
#                      functions whose name contains it (machipc-kprof -c)
set -euo pipefail
. "$(dirname "$0")/common.sh"

workloads=${PROFILE_WORKLOADS:-ioctl type self64 mach_msg-rt1cpu pipe-rt1cpu}
ops=${PROFILE_OPS:-200000}
rts=${PROFILE_RT:-20000}
hz=${PROFILE_HZ:-4000}
# The perf kernel's LLVM (and gnuplot, unused here).
"$TOP/scripts/setup.sh" --bench
"$TOP/scripts/build-kernel.sh" perf >/dev/null
# Line tables (no code change) so that sampled addresses map to source lines.
ko=$(KRUSTFLAGS=-Cdebuginfo=line-tables-only "$TOP/scripts/build-module.sh" perf)
make -s -C "$TOP" lib demo
make -s -C "$TOP" kprof
out="$TOP/build/profile"
rm -rf "$out"
mkdir -p "$out"
cmd=
for w in $workloads; do
	cmd+="echo KPROF-WORKLOAD $w; ./machipc-kprof -g -a ${PROFILE_ADDRS:-40} ${PROFILE_CALLERS:+-c $PROFILE_CALLERS} -F $hz -n 30 -- ./machipc-bench -w $w -l $ops -n $rts; "
done
rc=0
"$TOP/scripts/guest.sh" --kernel perf --module "$ko" --mode cmd --cmd "$cmd" \
	--insmod-args "${BENCH_MODULE_PARAMS-max_port_names=262144}" \
	--files "$TOP/build/demo/machipc-bench $TOP/build/kprof/machipc-kprof" \
	--out guest-profile --timeout "${PROFILE_TIMEOUT:-1800}" --quiet || rc=$?
{
	echo "make profile: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "workloads: $workloads; -l $ops -n $rts; $hz Hz; host load $(cut -d' ' -f1-3 /proc/loadavg)"
	tr -d '\r' <"$TOP/build/guest-profile.log" | grep -E '^(KPROF|WORKLOAD)' |
		python3 "$TOP/scripts/profile-lines.py" "$ko" | sed 's/\[machipc\]$/[m]/' | c++filt |
		sed -E 's/machipc\[[0-9a-f]+\]::/machipc::/g; s/kernel\[[0-9a-f]+\]::/kernel::/g; s/core\[[0-9a-f]+\]::/core::/g'
} >"$out/profile.txt"
say "profile: build/profile/profile.txt"
[ "$rc" = 0 ] || die "the profiled guest failed (exit $rc); log: build/guest-profile.log"
