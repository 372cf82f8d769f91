# Transactions per second against connections, one line per model: the median over repetitions,
# error bars from the smallest to the largest repetition (they collapse with one repetition);
# generator-bound points ringed.
# Data columns: connections, then median min max of: tps p50_us p99_us cpu_pct pss_mb, then
# bound (repetitions where the load generator was the bottleneck).
load dir.'/common.gp'
@connections_axis
set ylabel 'transactions per second (median, bars min-max)'
set yrange [0:*]
set errorbars small
n = words(files)
plot for [i=1:n] word(files,i) using (dodge($1,i)):2:3:4 with yerrorlines lt i title word(titles,i), \
     for [i=1:(bound ? n : 0)] word(files,i) using (dodge($1,i)):($17 > 0 ? $2 : NaN) with points @bound_style \
         title (i == 1 ? 'generator-bound' : '')
