# Latency percentile spectrum, HdrHistogram style: x is 1/(1-percentile) on a log scale. One
# repetition per model (the report picks the median-TPS one and says so in the heading); a
# generator-bound repetition says so in its legend entry. Time tics from the runner (time_axis.gp).
# Data columns: value_us percentile total_count inverse
load dir.'/common.gp'
set logscale x
set logscale y
set xrange [1:100000]
set xtics ('0%%' 1, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000)
set xlabel 'percentile'
set ylabel 'latency'
load dir.'/time_axis.gp'
plot for [i=1:words(files)] word(files,i) using 4:1 with lines lt i title word(titles,i)
