# The chart of scripts/versus-peers: median requests/s per server as horizontal bars, each labelled
# with its system calls and server CPU per request; a panel per load tool. gnuplot only plots: every
# figure is a median that versus-peers computed into medians.csv.
# Usage: gnuplot -e "dir='results/peers/<stamp>'; tools='wrk netlab-loadgen'; rows=14" scripts/plot-peers.gp
if (!exists("dir")) dir = "."
if (!exists("tools")) tools = "wrk"
if (!exists("rows")) rows = 12
data = dir."/medians.csv"
panels = words(tools)
set terminal svg size 1100, panels * (110 + 26 * rows) font "sans,11" noenhanced
set output dir."/peers.svg"
set datafile separator comma
set datafile columnheaders
set style fill solid 0.75 border -1
set grid xtics
set key off
set yrange [rows - 0.5:-0.5]
set ytics scale 0 font ",10"
set xrange [0:*]
set offsets 0, graph 0.5, 0, 0
set xlabel "requests/s, median of the rounds (higher is better); labels: system calls and server CPU µs per request"
set multiplot layout panels, 1
do for [t in tools] {
  set title sprintf("%s: one worker each, the same file on 127.0.0.1", t)
  rows_of_t = sprintf("< awk -F, 'NR == 1 || $1 == \"%s\"' %s", t, data)
  plot rows_of_t using (column("rps") / 2):"slot":(column("rps") / 2):(0.38):ytic(strcol("label")) \
         with boxxyerror lc rgb (t eq "wrk" ? "#1f77b4" : "#2ca02c"), \
       "" using "rps":"slot":(sprintf("  %.0f/s   %s syscalls   %s µs", column("rps"), \
         strlen(strcol("syscalls_per_req")) ? strcol("syscalls_per_req") : "?", strcol("cpu_us_per_req"))) \
         with labels left font ",9"
}
unset multiplot
