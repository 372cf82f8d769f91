# A log y axis of microseconds, labelled in people's units ("50 µs", "2 ms", "1 s") instead of
# 1e+06: the runner picks the tics and the range from the values plotted (tools/run/time_axis.cpp)
# and passes ttics, tlo and thi. Loaded by a script after `set logscale y`.
if (exists('ttics')) {
  eval('set ytics '.ttics)
  # A hair wider than the end tics: gnuplot drops a tic that rounding puts just outside its range.
  set yrange [tlo*0.999:thi*1.001]
}
