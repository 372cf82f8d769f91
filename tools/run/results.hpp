// The files a run leaves in results/<suite>/<stamp>/: summary.csv (one row per case, columns in
// results/README.md) and run.json (what was run, where, on what). The load generator itself
// appends timeseries.csv and writes <case>.hgrm.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/run/case_runner.hpp"
#include "tools/run/suite.hpp"

namespace netlab::run {

// The runner's own columns, then the load generator's, in a fixed order.
const std::vector<std::string>& summary_columns();
const std::vector<std::string>& loadgen_columns();

class SummaryWriter {
 public:
  explicit SummaryWriter(std::string path);  // writes the header
  void append(const Case& c, const CaseResult& r, const std::string& placement);

 private:
  std::string path_;
};

struct RunInfo {
  std::string suite_path;
  std::vector<std::string> arguments;
  std::string started_utc;
  std::string finished_utc;
  int cases_total = 0;
  int cases_ok = 0;
  int cases_failed = 0;
  bool interrupted = false;
  // --filter: its text and how many cases the whole suite has (a filtered run is not the suite).
  std::string filter;
  int cases_in_suite = 0;
  // Interleaved A/B runs (--ab): the two builds' binary folders and the order's random seed.
  std::string ab_old_bin_dir, ab_new_bin_dir;
  uint64_t ab_seed = 0;
};

void write_run_json(const std::string& path, const Suite& suite, const RunInfo& info);

// "2026-11-23T22:52:48Z"
std::string utc_now();

}  // namespace netlab::run
