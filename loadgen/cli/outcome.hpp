// Outcome: turns what was measured into a verdict (generator bottleneck, exit status and reason)
// and writes the files asked for. Files are written whatever the verdict: a run that ended early
// still leaves what it measured.
#pragma once

#include <string>
#include <vector>

#include "loadgen/cli/report.hpp"

namespace netlab::loadgen {

constexpr double kBusyThreadPct = 90.0;      // a loop thread busier than this is the bottleneck
constexpr uint64_t kLoopLagLimitUs = 10'000;  // timers running 10 ms late cannot pace requests

// Fills generator_bottleneck, bottleneck_reason, exit_code and exit_reason (keeping an earlier
// failure reason).
void finish_result(const Options& o, RunResult& r);
// --csv, --hgrm and --json (--timeseries rows are appended by the main loop as seconds end).
void write_outputs(const Options& o, const RunResult& r, const std::vector<std::string>& argv);

}  // namespace netlab::loadgen
