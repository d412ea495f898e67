#!/usr/bin/env bash
# bench.sh: `make bench`. Builds the perf kernel (no debug options, Rust
# Binder) and the module against it, boots it with the module parameters in
# BENCH_MODULE_PARAMS, mounts binderfs, runs machipc-bench
# (userlib/examples/machipc-bench.c) with BENCH_ARGS, and draws the plots.
#
#   BENCH_ARGS           machipc-bench options (iteration counts, sections);
#                        empty: its defaults, about 15 minutes of TCG
#   BENCH_MODULE_PARAMS  insmod parameters (default: max_port_names=262144,
#                        for the 100k-port scale figures)
#   BENCH_TIMEOUT        guest timeout in seconds (default 2700)
#
# Results in build/bench/: bench.txt (the program's output), tables.md (its
# Markdown tables, scripts/bench-tables.py), *.dat (the plots' data) and
# *.png (gnuplot, scripts/bench-plot.gp).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$TOP"
BENCH_ARGS=${BENCH_ARGS:-}
BENCH_MODULE_PARAMS=${BENCH_MODULE_PARAMS-max_port_names=262144}
"$TOP/scripts/setup.sh" --bench
"$TOP/scripts/build-kernel.sh" perf >/dev/null
ko=$("$TOP/scripts/build-module.sh" perf)
make -s lib demo
out="$TOP/build/bench"
rm -rf "$out"
mkdir -p "$out"
# TCG figures depend on the host: a guest's two vCPUs are two host threads,
# and a wakeup across vCPUs waits until the host runs the other one.
host_load="$(cut -d' ' -f1-3 /proc/loadavg), $(nproc) host CPUs"
others=$(pgrep -c '^qemu-system' || true)
if [ "${others:-0}" -gt 0 ]; then
	say "warning: $others other QEMU guest(s) running on this host: the unpinned and two-CPU figures will be noisy"
fi
say "machipc-bench $BENCH_ARGS (module parameters: ${BENCH_MODULE_PARAMS:-none})"
# The optional receive spin (rcv_spin_us, off by default) is measured apart:
# after the run, root's debugfs knob turns it on and the round trips are run
# again (machipc-bench -s spin, whose output follows the first run's in
# bench.txt). BENCH_SPIN_US=0 leaves it out.
spin_us=${BENCH_SPIN_US-100}
spin_cmd=
if [ "${spin_us:-0}" != 0 ]; then
	spin_n=$(sed -n 's/.*-n \([0-9]*\).*/\1/p' <<<"$BENCH_ARGS")
	spin_cmd="&& echo $spin_us >/sys/kernel/debug/machipc/rcv_spin_us && BENCH_SPIN_US=$spin_us BENCH_MODULE_PARAMS='$BENCH_MODULE_PARAMS, then rcv_spin_us=$spin_us' ./machipc-bench -s spin ${spin_n:+-n $spin_n} -r 3"
fi
rc=0
"$TOP/scripts/guest.sh" --kernel perf --module "$ko" --mode cmd \
	--insmod-args "$BENCH_MODULE_PARAMS" \
	--cmd "mkdir -p /dev/binderfs && mount -t binder binder /dev/binderfs; BENCH_MODULE_PARAMS='$BENCH_MODULE_PARAMS' ./machipc-bench $BENCH_ARGS $spin_cmd" \
	--files "$TOP/build/demo/machipc-bench" \
	--out guest-bench --timeout "${BENCH_TIMEOUT:-2700}" || rc=$?
{
	echo "make bench: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "BENCH_ARGS='$BENCH_ARGS' BENCH_MODULE_PARAMS='$BENCH_MODULE_PARAMS'"
	echo "host: load average $host_load before the run, $(cut -d' ' -f1-3 /proc/loadavg) after; other QEMU guests before: ${others:-0}, after: $(pgrep -c '^qemu-system' || true)"
	tr -d '\r' <"$TOP/build/guest-bench.log" | sed -n '/^machipc-bench: -n/,/^BENCH /p'
} >"$out/bench.txt"
# A run that printed its summary still gets its plots, even if the guest
# log failed its checks (a kernel splat): the failure is reported last.
if ! grep -q '^BENCH ' "$out/bench.txt"; then
	die "the benchmark did not finish (exit $rc); log: build/guest-bench.log"
fi
for d in rt tput ool scale self; do
	sed -n "s/^DAT $d //p" "$out/bench.txt" >"$out/$d.dat"
done
python3 "$TOP/scripts/bench-tables.py" "$out/bench.txt" >"$out/tables.md"
if command -v gnuplot >/dev/null; then
	gnuplot -e "dir='$out'" "$TOP/scripts/bench-plot.gp"
	say "plots: $(cd "$out" && echo *.png)"
else
	say "gnuplot missing: no plots"
fi
say "results in build/bench/bench.txt"
[ "$rc" = 0 ] || die "the guest run failed its checks (exit $rc, see above); log: build/guest-bench.log"
