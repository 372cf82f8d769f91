// The notes' CPU-bound vs IO-bound experiment beside ours. The notes timed one task set three ways
// in Python: single process 8.7 s (CPU-bound) and 4.9 s (IO-bound), processes 4.2 s and 3.5 s,
// threads 12.5 s and 5.2 s. Times and our TPS are both turned into a speed-up over the single
// server, the one figure the two can share: notes single/x, ours TPS(x)/TPS(iterative_tcp).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace netlab::run {

struct WorkloadTps {
  double cpu = 0;  // TPS with --cpu-work only
  double io = 0;   // TPS with --io-delay only
};

struct NotesRow {
  std::string approach;  // "single process", "processes", "threads", "event loop"
  std::string model;     // our model measured for it
  double ours_cpu = 0;   // speed-up over iterative_tcp; 0 when not measured
  double ours_io = 0;
  double notes_cpu = 0;  // the notes' speed-up; 0 where the notes had none
  double notes_io = 0;
};

// Rows for every model of `by_series` that maps to one of the notes' approaches; empty unless
// iterative_tcp (the single server) was measured both ways.
std::vector<NotesRow> compare_with_notes(const std::map<std::string, WorkloadTps>& by_series);

}  // namespace netlab::run
