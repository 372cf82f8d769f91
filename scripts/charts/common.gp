# Shared set-up for every netlab chart. Variables set by the caller with -e:
#   out    output path without extension     fmt    png | svg
#   files  space-separated data files        titles series names, each "double-quoted" (same order)
#   heading chart title
# and optionally height (pixels; 540 unless set) for charts that stack panels; colours and points
# (one word per series, same order: '#rrggbb' and a point type), each model's fixed style from the
# runner (tools/run/model_palette.cpp), which then is linetype i of series i; bound (1 when some
# point of the chart was generator-bound: scripts then draw bound_style rings and its legend entry).
if (!exists('height')) height = 540
if (!exists('bound')) bound = 0
set encoding utf8
if (fmt eq 'svg') {
  set terminal svg size 960,height dynamic noenhanced font 'Sans,12' background '#ffffff'
} else {
  set terminal pngcairo size 960,height noenhanced font 'Sans,10' background '#ffffff'
}
set output out.'.'.fmt
set title heading
set grid back lc rgb '#dddddd'
set key outside right top
set border 3
set tics nomirror
# Charts that are not by model (the gate's) colour their series by position with these; charts by
# model get each model's own style below, whatever its position.
set linetype 1 lc rgb '#1f77b4' lw 2 pt 7
set linetype 2 lc rgb '#ff7f0e' lw 2 pt 5
set linetype 3 lc rgb '#2ca02c' lw 2 pt 9
set linetype 4 lc rgb '#d62728' lw 2 pt 11
set linetype 5 lc rgb '#9467bd' lw 2 pt 13
set linetype 6 lc rgb '#8c564b' lw 2 pt 15
set linetype 7 lc rgb '#e377c2' lw 2 pt 7
set linetype 8 lc rgb '#7f7f7f' lw 2 pt 5
set linetype 9 lc rgb '#bcbd22' lw 2 pt 9
set linetype 10 lc rgb '#17becf' lw 2 pt 11
set linetype 11 lc rgb '#000000' lw 2 pt 13
set linetype 12 lc rgb '#aec7e8' lw 2 pt 15
set linetype 13 lc rgb '#ffbb78' lw 2 pt 7
set linetype 14 lc rgb '#98df8a' lw 2 pt 5
set linetype 15 lc rgb '#ff9896' lw 2 pt 9
set linetype 16 lc rgb '#c5b0d5' lw 2 pt 11
set linetype cycle 16
if (exists('colours')) {
  do for [i=1:words(colours)] {
    set linetype i lc rgb word(colours,i) lw 2 pt int(word(points,i))
  }
}
# Where the load generator was the bottleneck (summary.csv's generator_bottleneck), the point is
# ringed in black: the figure there is the generator's limit, not the server's.
bound_style = "pt 6 ps 2.6 lw 1.5 lc rgb '#000000'"
# Charts against connections: the x axis spans the levels measured, not the decades around them.
connections_axis = "set logscale x; set autoscale xfix; set offsets graph 0.05, graph 0.05, 0, 0; set xlabel 'connections'"
# Series side by side: on a log x axis, series i of n is drawn at x times a few per cent either
# side of the true x, so error bars of models measured at the same level do not hide each other.
# (Only where the point is drawn moves; the numbers are the data file's.)
dodge(x, i) = x * (1 + 0.02 * (i - (words(files) + 1) / 2.0))
