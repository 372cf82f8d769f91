# One gated metric over the commits the gate judged (oldest left): the value per commit, the mean
# of each level between change points (grey steps), and each change point (a red dashed line
# before the first commit of the new level, and that commit's point in red).
# Data file (first word of files) columns: commit value segment_mean change_point short_sha
#   change_point is the value at the first commit of a new level, NaN elsewhere.
# Extra variables: cps, the commits (from 1) where a new level starts, space-separated ('' if
# none); points, how many commits the series has.
load dir.'/common.gp'
set xlabel 'commit (short SHA, oldest left)'
set ylabel word(titles,1)
set key inside top right opaque box
set offsets 0.5, 0.5, 0, 0
# At most about 30 SHA tics: the rest would overprint.
every = int(points / 30) + 1
set xtics rotate by -45 font ',8'
do for [k=1:words(cps)] {
  set arrow k from real(word(cps,k)) - 0.5, graph 0 to real(word(cps,k)) - 0.5, graph 1 nohead dt 2 lw 1.5 lc rgb '#d62728'
}
plot word(files,1) using 1:2:xtic(int($1) % every == 1 || every == 1 ? strcol(5) : '') with linespoints lt 1 title word(titles,1), \
     '' using 1:3 with histeps lc rgb '#888888' lw 2 title 'level (mean between change points)', \
     '' using 1:4 with points pt 7 ps 1.8 lc rgb '#d62728' title 'change point'
