# CPU-bound against IO-bound work per request, by model: clustered bars of TPS, the median over
# repetitions with error bars from the smallest to the largest repetition.
# Data file (first word of files) columns: model, then median min max of: tps_cpu tps_io
load dir.'/common.gp'
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -30
set ylabel 'transactions per second (median, bars min-max)'
set yrange [0:*]
plot word(files,1) using 2:3:4:xtic(1) title 'CPU-bound (--cpu-work)', '' using 5:6:7 title 'IO-bound (--io-delay)'
