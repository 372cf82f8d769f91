# Shared set-up for every netlab chart. Variables set by the caller with -e:
#   out    output path without extension     fmt    png | svg
#   files  space-separated data files        titles space-separated series names (same order)
#   heading chart title
if (fmt eq 'svg') {
  set terminal svg size 960,540 dynamic noenhanced font 'Sans,12' background '#ffffff'
} else {
  set terminal pngcairo size 960,540 noenhanced font 'Sans,10' background '#ffffff'
}
set output out.'.'.fmt
set title heading
set grid back lc rgb '#dddddd'
set key outside right top
set border 3
set tics nomirror
