// The gate's memory: every verdict appended to one CSV file (kept by CI between runs), and a page
// and text table that read it back to show each metric over commits with its change points, so a
// slow drift that never failed one comparison still shows as a step somewhere.
//
// History CSV columns (header row first, one row per MetricJudgement, oldest first):
//   date        the current run's date (RunMeta::date, UTC ISO 8601; now when it has none)
//   git_sha     the current run's commit (RunMeta::git_sha)
//   suite       the current run's suite name
//   mode        GateResult::mode: compare, ab or check
//   case        the case key (case id without -rep<n>)
//   metric      the metric's config name (tps, p99, ...)
//   direction   higher or lower (is better)
//   value       the current side's median
//   base_value  the base side's median
//   change      relative (0.05 = +5%) or, for absolute metrics, the difference
//   ci_low      confidence interval of change, low end
//   ci_high     ... and high end
//   verdict     regressed, improved, unchanged, too noisy, missing
// Values never contain commas (csv_field replaces them), so the file is plain comma-split.
#pragma once

#include <iosfwd>
#include <string>

#include "tools/gate/judgement.hpp"

namespace netlab::gate {

// Appends one row per judgement to `csv_path`, writing the header first when the file is new or
// empty. Throws std::runtime_error when the file cannot be opened for appending.
void append_history(const GateResult& result, const std::string& csv_path);

// `netlab-gate history`: reads `csv_path`; per (case, metric), in order of appearance (commits over
// time), finds change points (change_points.hpp, default options), charts each series with
// scripts/charts/history.gp into out_dir/charts/history-*.png/.svg, writes out_dir/history.html,
// and prints to `out` one line per series: points, latest value and verdict, change points (at
// which commit, mean before -> after, % shift, p-value).
// Returns 0 on success; 2 (with a clear message on stderr) when the file is missing, unreadable,
// has no rows or lacks the columns above, or when a chart failed.
int history_command(const std::string& csv_path, const std::string& out_dir, const std::string& charts_script_dir,
                    std::ostream& out);

}  // namespace netlab::gate
