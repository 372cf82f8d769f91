// A baseline folder: the ok rows of a chosen run (its new build, for an A/B run) in summary.csv,
// and baseline.json saying where they came from. `netlab-gate check` compares runs against it;
// load_run reads it like a run folder.
#pragma once

#include <string>

namespace netlab::gate {

// Writes baseline_dir/summary.csv and baseline_dir/baseline.json (git SHA, kernel, CPU model,
// date, suite, source run) from run_dir, each whole or not at all. Returns the rows written;
// throws std::runtime_error when the run is unreadable or has no ok rows.
int update_baseline(const std::string& run_dir, const std::string& baseline_dir);

}  // namespace netlab::gate
