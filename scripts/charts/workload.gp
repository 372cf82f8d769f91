# CPU-bound against IO-bound work per request, by model: clustered bars of TPS.
# Data file (first word of files) columns: model tps_cpu tps_io
load dir.'/common.gp'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -30
set ylabel 'transactions per second'
set yrange [0:*]
plot word(files,1) using 2:xtic(1) title 'CPU-bound (--cpu-work)', '' using 3 title 'IO-bound (--io-delay)'
