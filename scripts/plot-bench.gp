# Charts for scripts/bench. gnuplot only plots: every number comes from the CSV files written by
# Google Benchmark's CSV reporter and by scripts/bench's table (multitask_table.csv); units are
# converted, nothing is computed.
# Usage: gnuplot -e "dir='results/bench/<stamp>'" scripts/plot-bench.gp
if (!exists("dir")) dir = "."
set terminal pngcairo size 1400,560 font ",10" noenhanced
set datafile separator comma
set datafile columnheaders
set grid
set key top left font ",9"

# --- multitask: one panel per task set, C++ and the notes' Python (re-run here) side by side
table = dir."/multitask_table.csv"
if (strlen(system("ls ".table." 2>/dev/null")) > 0) {
  set terminal pngcairo size 1800,560 font ",10" noenhanced
  set output dir."/multitask.png"
  set multiplot layout 1,3 title "The same task set: one thread vs N processes vs N threads vs a pool vs coroutines (lower is better)"
  set logscale y
  set ylabel "wall time per task set (ms, log)"
  set style fill solid 0.7 border -1
  set boxwidth 0.4
  set xtics rotate by -40 font ",9"
  do for [kind in "cpu io io512"] {
    # Each panel reads only its task set's rows (header kept for the column names).
    rows = sprintf("< sh -c 'head -1 %s; grep ^%s, %s'", table, kind, table)
    set title (kind eq "cpu" ? "CPU-bound: 8 fixed computations" : \
               kind eq "io" ? "IO-bound: 16 waits of 10 ms on a timerfd" : "IO-bound: 512 waits of 10 ms")
    plot rows using (column("slot") - 0.2):"cpp_ms":xtic(strcol("runner")." ".strcol("workers")) \
           with boxes lc rgb "#1f77b4" title "C++ median", \
         "" using (column("slot") + 0.2):(strlen(strcol("python_s")) > 0 ? column("python_s") * 1000 : 1/0) \
           with boxes lc rgb "#ff7f0e" title (kind eq "io512" ? "" : "Python, same machine (CPU tasks: 1/10 of the steps)")
  }
  unset multiplot
  unset logscale y
  unset xtics
  set xtics
  set terminal pngcairo size 1400,560 font ",10" noenhanced
}

# --- IPC: round-trip latency and ping-pong throughput against message size
ipc = dir."/ipc.csv"
transports = "pipe unix_stream unix_dgram mqueue shm_sem shm_atomic tcp udp"
if (strlen(system("ls ".ipc." 2>/dev/null")) > 0) {
  set logscale xy
  set xlabel "message size (bytes)"
  set format x "%.0s%cB"
  set output dir."/ipc_latency.png"
  set multiplot layout 1,2 title "IPC round trip, parent <-> forked child (lower is better)"
  set ylabel "round trip (us, log)"
  do for [place in "split same"] {
    set title place eq "split" ? "parent on CPU 0, child on CPU 1" : "both on CPU 0"
    plot for [t in transports] ipc using "size":(strcol("label") eq t." ".place ? column("real_time") : 1/0) \
      with linespoints title t
  }
  unset multiplot
  set output dir."/ipc_throughput.png"
  set multiplot layout 1,2 title "IPC ping-pong throughput, both directions, one message in flight (higher is better)"
  set ylabel "MB/s (log)"
  do for [place in "split same"] {
    set title place eq "split" ? "parent on CPU 0, child on CPU 1" : "both on CPU 0"
    plot for [t in transports] ipc using "size":(strcol("label") eq t." ".place ? column("bytes_per_second") / 1e6 : 1/0) \
      with linespoints title t
  }
  unset multiplot
  unset logscale
  set format x "%g"
}

# --- sync: lock throughput against threads, and hand-off round trips
sync = dir."/sync.csv"
if (strlen(system("ls ".sync." 2>/dev/null")) > 0) {
  set output dir."/sync.png"
  set multiplot layout 1,2 title "Thread synchronisation on this machine"
  set title "shared counter under a lock: total operations/s (higher is better)"
  set xlabel "threads"
  set ylabel "million operations/s (log)"
  set logscale x 2
  set logscale y
  plot for [k in "mutex spinlock semaphore atomic_fetch_add atomic_cas_loop"] sync \
    using "threads":(strstrt(strcol(1), "sync/lock/") == 1 && strcol("label") eq k ? column("items_per_second") / 1e6 : 1/0) \
    with linespoints title k
  unset logscale
  set title "hand-off A -> B -> A between two threads (lower is better)"
  set xlabel ""
  set ylabel "round trip (us, log)"
  set logscale y
  set style fill solid 0.7 border -1
  set boxwidth 0.6
  handoffs = "cv_event semaphore atomic_wait atomic_spin"
  slot(l) = sum [i = 1:words(handoffs)] (word(handoffs, i) eq l ? i : 0)
  set xtics ("cv_event" 1, "semaphore" 2, "atomic_wait" 3, "atomic_spin" 4)
  set xrange [0.4:4.6]
  plot sync using (strstrt(strcol(1), "sync/handoff/") == 1 ? slot(strcol("label")) : 1/0):(column("real_time") / 1000) \
    with boxes lc rgb "#2ca02c" notitle
  unset multiplot
}
