# The models ranked: TPS bars grouped by connection level, best first within each group (the
# runner lays the bars out: x positions and group tics), the median over repetitions with bars
# from the smallest to the largest (a line from min to max: yerrorbars would punch a white dot
# into each bar top); generator-bound bars ringed at their top.
# Data files (one per model): x median min max bound (repetitions where the load generator was
# the bottleneck). Extra variables: gtics (a tic list, each group's label at its centre), xmax.
load dir.'/common.gp'
set style fill solid 0.85 border
set boxwidth 0.8
set xrange [-0.6:xmax]
set yrange [0:*]
set xlabel 'connections (bars ranked by median TPS within each level, best left)'
set ylabel 'transactions per second (median, bars min-max)'
eval('set xtics scale 0 nomirror '.gtics)
set grid noxtics ytics
n = words(files)
plot for [i=1:n] word(files,i) using 1:2 with boxes lt i title word(titles,i), \
     for [i=1:n] word(files,i) using 1:3:(0):($4 - $3) with vectors nohead lc rgb '#000000' lw 1.5 notitle, \
     for [i=1:(bound ? n : 0)] word(files,i) using 1:($5 > 0 ? $2 : NaN) with points @bound_style \
         title (i == 1 ? 'generator-bound' : '')
