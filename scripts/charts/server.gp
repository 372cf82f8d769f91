# The server's own cost: CPU (top, % of one CPU) and memory (bottom, PSS summed over its
# processes) against connections, one line per model: medians over repetitions, error bars from
# the smallest to the largest repetition.
# Data columns: connections, then median min max of: tps p50_us p99_us cpu_pct pss_mb, then
# bound (generator-bound repetitions: marked on the TPS and latency charts, not here).
load dir.'/common.gp'
set multiplot layout 2,1 title heading
unset title
@connections_axis
set errorbars small
set xlabel ''
set ylabel 'server CPU (%)'
set yrange [0:*]
plot for [i=1:words(files)] word(files,i) using (dodge($1,i)):11:12:13 with yerrorlines lt i title word(titles,i)
set xlabel 'connections'
set ylabel 'server memory (MiB PSS)'
set logscale y
set yrange [*:*]
plot for [i=1:words(files)] word(files,i) using (dodge($1,i)):14:15:16 with yerrorlines lt i title word(titles,i)
unset multiplot
