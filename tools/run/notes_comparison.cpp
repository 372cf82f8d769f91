#include "tools/run/notes_comparison.hpp"

namespace netlab::run {
namespace {

// The notes' Python timings in seconds, for the same task set run three ways.
constexpr double kNotesSingleCpu = 8.7, kNotesSingleIo = 4.9;
constexpr double kNotesProcessesCpu = 4.2, kNotesProcessesIo = 3.5;
constexpr double kNotesThreadsCpu = 12.5, kNotesThreadsIo = 5.2;

struct Approach {
  const char* model;
  const char* approach;
  double notes_cpu_s;  // 0: the notes did not time it
  double notes_io_s;
};

constexpr Approach kApproaches[] = {
    {"iterative_tcp", "single process", kNotesSingleCpu, kNotesSingleIo},
    {"prefork", "processes (pool)", kNotesProcessesCpu, kNotesProcessesIo},
    {"fork_per_conn", "processes (per client)", kNotesProcessesCpu, kNotesProcessesIo},
    {"thread_pool", "threads (pool)", kNotesThreadsCpu, kNotesThreadsIo},
    {"thread_per_conn", "threads (per client)", kNotesThreadsCpu, kNotesThreadsIo},
    {"epoll", "event loop", 0, 0},
    {"reactors", "event loop per core", 0, 0},
};

}  // namespace

std::vector<NotesRow> compare_with_notes(const std::map<std::string, WorkloadTps>& by_series) {
  std::vector<NotesRow> rows;
  auto single = by_series.find("iterative_tcp");
  if (single == by_series.end() || single->second.cpu <= 0 || single->second.io <= 0) return rows;
  for (const auto& a : kApproaches) {
    auto it = by_series.find(a.model);
    if (it == by_series.end()) continue;
    NotesRow row;
    row.approach = a.approach;
    row.model = a.model;
    row.ours_cpu = it->second.cpu / single->second.cpu;
    row.ours_io = it->second.io / single->second.io;
    row.notes_cpu = a.notes_cpu_s > 0 ? kNotesSingleCpu / a.notes_cpu_s : 0;
    row.notes_io = a.notes_io_s > 0 ? kNotesSingleIo / a.notes_io_s : 0;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace netlab::run
