# Transactions per second against connections, one line per model: the median over repetitions,
# error bars from the smallest to the largest repetition (they collapse with one repetition).
# Data columns: connections, then median min max of: tps p50_us p99_us cpu_pct pss_mb
load dir.'/common.gp'
set logscale x
set xlabel 'connections'
set ylabel 'transactions per second (median, bars min-max)'
set yrange [0:*]
set errorbars small
plot for [i=1:words(files)] word(files,i) using (dodge($1,i)):2:3:4 with yerrorlines lt i title word(titles,i)
