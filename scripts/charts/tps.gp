# Transactions per second against connections, one line per model.
# Data columns: connections tps p50_us p99_us cpu_pct pss_mb
load dir.'/common.gp'
set logscale x
set xlabel 'connections'
set ylabel 'transactions per second'
set yrange [0:*]
plot for [i=1:words(files)] word(files,i) using 1:2 with linespoints lt i title word(titles,i)
