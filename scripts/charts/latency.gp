# p50 (solid) and p99 (dashed) latency against connections, log scales, one colour per model.
# Data columns: connections tps p50_us p99_us cpu_pct pss_mb
load dir.'/common.gp'
set logscale xy
set xlabel 'connections'
set ylabel 'latency (microseconds)'
plot for [i=1:words(files)] word(files,i) using 1:3 with linespoints lt i title word(titles,i).' p50', \
     for [i=1:words(files)] word(files,i) using 1:4 with linespoints lt i dt 2 pt 6 title word(titles,i).' p99'
