# p50 (solid) and p99 (dashed) latency against connections, log scales, one colour per model:
# medians over repetitions, error bars from the smallest to the largest repetition.
# Data columns: connections, then median min max of: tps p50_us p99_us cpu_pct pss_mb
load dir.'/common.gp'
set logscale xy
set xlabel 'connections'
set ylabel 'latency (microseconds; median, bars min-max)'
set errorbars small
plot for [i=1:words(files)] word(files,i) using (dodge($1,i)):5:6:7 with yerrorlines lt i title word(titles,i).' p50', \
     for [i=1:words(files)] word(files,i) using (dodge($1,i)):8:9:10 with yerrorlines lt i dt 2 pt 6 title word(titles,i).' p99'
