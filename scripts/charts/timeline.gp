# TPS (top) and p99 latency (bottom) second by second during the measured run, one line per model
# (one repetition each: the report picks the median-TPS one and says so in the heading).
# Data columns: second tps p99_us
load dir.'/common.gp'
set multiplot layout 2,1 title heading
unset title
set xlabel ''
set ylabel 'TPS'
set yrange [0:*]
plot for [i=1:words(files)] word(files,i) using 1:2 with linespoints lt i title word(titles,i)
set xlabel 'second of the run'
set ylabel 'p99 (microseconds)'
set logscale y
set yrange [*:*]
plot for [i=1:words(files)] word(files,i) using 1:3 with linespoints lt i title word(titles,i)
unset multiplot
