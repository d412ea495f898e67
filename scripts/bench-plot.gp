# bench-plot.gp: the plots of `make bench` (scripts/bench.sh), from the DAT
# lines of machipc-bench's output split into DIR/*.dat.
#   gnuplot -e "dir='build/bench'" scripts/bench-plot.gp
if (!exists("dir")) dir = "build/bench"
has(f) = system("test -s '".dir."/".f."' && echo 1 || echo 0") eq "1"
set terminal pngcairo size 960,540 font ",11" noenhanced
set grid ytics
set key top left
set style fill solid 0.85 border -1

# rt.dat: "method" then median min max for unpinned, one CPU, two CPUs.
if (has("rt.dat")) {
	set output dir."/rt.png"
	set title "64-byte round trip between two processes, by mechanism and placement"
	set ylabel "us per round trip (median of runs; bars: min-max)"
	set style data histogram
	set style histogram errorbars gap 1 lw 1
	set yrange [0:*]
	set xtics nomirror
	f = dir."/rt.dat"
	plot f using 2:3:4:xtic(1) title "unpinned", \
	     '' using 5:6:7 title "both on one CPU", \
	     '' using 8:9:10 title "on two CPUs"
}

set style data yerrorlines
# tput.dat: clients, then median min max for mach_msg, unix socket, Binder.
if (has("tput.dat")) {
	set output dir."/tput.png"
	set title "Throughput: one server thread, N client processes (64-byte request + reply)"
	set xlabel "client processes"
	set ylabel "requests per second (median; bars: min-max)"
	set logscale x 2
	set xtics (1, 2, 4, 8, 16)
	set xrange [0.8:20]
	set yrange [0:*]
	f = dir."/tput.dat"
	plot f using 1:2:3:4 title "mach_msg" lw 2 pt 7, \
	     '' using 1:5:6:7 title "unix socket" lw 2 pt 5, \
	     '' using 1:8:9:10 title "Binder" lw 2 pt 9
	unset logscale x
	unset xrange
	set xtics autofreq
}

# ool.dat: bytes, then median min max MiB/s for mach_msg OOL, pipe, unix socket.
if (has("ool.dat")) {
	set output dir."/ool.png"
	set title "Large messages: payload bandwidth from one process to another"
	set xlabel "payload size"
	set ylabel "MiB/s (median; bars: min-max)"
	set logscale x 2
	set xtics ("4K" 4096, "16K" 16384, "64K" 65536, "256K" 262144, "1M" 1048576, \
		"4M" 4194304, "16M" 16777216)
	set xrange [3000:22000000]
	set yrange [0:*]
	f = dir."/ool.dat"
	plot f using 1:2:3:4 title "mach_msg, one OOL descriptor" lw 2 pt 7, \
	     '' using 1:5:6:7 title "pipe" lw 2 pt 5, \
	     '' using 1:8:9:10 title "unix socket" lw 2 pt 9
	unset logscale x
	unset xrange
	set xtics autofreq
}

# scale.dat: ports, type(own) type(random) self-64B round-trip (us), allocate/s.
if (has("scale.dat")) {
	set output dir."/scale.png"
	set title "Scale: cost relative to a space of 10 ports"
	set xlabel "ports in the space"
	set ylabel "time / time with the fewest ports"
	set logscale x 10
	set xrange [5:200000]
	set yrange [0:*]
	set key bottom right
	f = dir."/scale.dat"
	stats f using 3 every ::0::0 nooutput
	r3 = STATS_min
	stats f using 4 every ::0::0 nooutput
	r4 = STATS_min
	stats f using 5 every ::0::0 nooutput
	r5 = STATS_min
	set arrow from graph 0, first 1.2 to graph 1, first 1.2 nohead dt 2 lc "gray40"
	set label "goal: flat within 1.2x" at graph 0.02, first 1.26 tc "gray40"
	plot f using 1:($3/r3) with linespoints title "mach_port_type, random names" lw 2 pt 7, \
	     '' using 1:($4/r4) with linespoints title "one-process 64-byte send+receive" lw 2 pt 5, \
	     '' using 1:($5/r5) with linespoints title "two-process round trip" lw 2 pt 9
}
