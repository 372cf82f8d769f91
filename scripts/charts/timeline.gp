# TPS (top) and p99 latency (bottom) interval by interval during the measured run (a suite's
# `interval`, 100 ms unless set), one line per model (one repetition each: the report picks the
# median-TPS one and says so in the heading); a generator-bound repetition says so in its legend
# entry (the whole repetition was: rings on its points would claim more). Time tics from the
# runner (time_axis.gp).
# Data columns: second (the interval's end) tps p99_us
load dir.'/common.gp'
set multiplot layout 2,1 title heading
unset title
n = words(files)
set xrange [0:*]
set xlabel ''
set ylabel 'TPS'
set yrange [0:*]
plot for [i=1:n] word(files,i) using 1:2 with linespoints lt i ps 0.6 title word(titles,i)
set xlabel 'seconds into the measurement'
set ylabel 'p99 latency'
set logscale y
set yrange [*:*]
load dir.'/time_axis.gp'
plot for [i=1:n] word(files,i) using 1:3 with linespoints lt i ps 0.6 title word(titles,i)
unset multiplot
