# netlab-gate's comparison of one case: a row per gated metric. Left, base and new as bars (the
# median) with min-max error bars over the samples; right, the change with its confidence
# interval as a point with horizontal bars in the verdict's colour, the tolerance band shaded,
# zero marked, and the verdict written above.
# Data files (one per metric, titles name them): two blocks.
#   index 0: side median min max           (rows "base", "new")
#   index 1: change ci_low ci_high colour label   (% for relative metrics; colour as 0xRRGGBB integer)
# Extra variables, one word per metric: kinds (rel|abs), tols (tolerance, chart units), xlo and
# xhi (the change axis, so the band and the interval both show); height (pixels).
load dir.'/common.gp'
n = words(files)
set multiplot layout n,2 title heading
unset key
set style fill solid 0.75 border -1
set boxwidth 0.6
do for [i=1:n] {
  f = word(files,i)
  set title word(titles,i).': median, bars min-max'
  set xrange [-0.6:1.6]
  set yrange [0:*]
  set ytics nomirror
  set xtics
  unset object 1
  unset arrow 1
  plot f index 0 using 0:2:($0+1):xtic(1) with boxes lc variable, \
       '' index 0 using 0:2:3:4 with yerrorbars pt 7 ps 0.6 lw 2 lc rgb '#000000'
  tol = real(word(tols,i))
  set title 'change'.(word(kinds,i) eq 'rel' ? ' (%)' : ' (absolute)').', confidence interval; shaded: tolerance'
  set xrange [real(word(xlo,i)):real(word(xhi,i))]
  set yrange [-1:1]
  unset ytics
  set object 1 rect from -tol, graph 0 to tol, graph 1 fc rgb '#e8e8e8' fs solid 1.0 noborder behind
  set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#555555'
  plot f index 1 using 1:(0):2:3:4 with xerrorbars pt 7 ps 2 lw 3 lc rgb variable, \
       '' index 1 using 1:(0.55):5 with labels font ',10'
}
unset multiplot
