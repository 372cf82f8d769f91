# p50 (solid) and p99 (dashed) latency against connections, log scales, one colour per model:
# medians over repetitions, error bars from the smallest to the largest repetition;
# generator-bound points ringed. Time tics from the runner (time_axis.gp).
# Data columns: connections, then median min max of: tps p50_us p99_us cpu_pct pss_mb, then
# bound (repetitions where the load generator was the bottleneck).
load dir.'/common.gp'
@connections_axis
set logscale y
set ylabel 'latency (median, bars min-max)'
load dir.'/time_axis.gp'
set errorbars small
n = words(files)
plot for [i=1:n] word(files,i) using (dodge($1,i)):5:6:7 with yerrorlines lt i title word(titles,i).' p50', \
     for [i=1:n] word(files,i) using (dodge($1,i)):8:9:10 with yerrorlines lt i dt 2 pt 6 title word(titles,i).' p99', \
     for [i=1:(bound ? n : 0)] word(files,i) using (dodge($1,i)):($17 > 0 ? $5 : NaN) with points @bound_style \
         title (i == 1 ? 'generator-bound' : ''), \
     for [i=1:(bound ? n : 0)] word(files,i) using (dodge($1,i)):($17 > 0 ? $8 : NaN) with points @bound_style notitle
