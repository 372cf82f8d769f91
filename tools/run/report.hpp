// Report: turns a finished run folder into charts and a report. It only reshapes what is in
// summary.csv, timeseries.csv and the .hgrm files (medians over repetitions are the one statistic,
// computed here, never in gnuplot), runs the gnuplot scripts in scripts/charts/ for PNG and SVG,
// and writes report.html (self-contained: charts embedded, readable from disk) and summary.md.
#pragma once

#include <string>
#include <vector>

namespace netlab::run {

struct ReportOutcome {
  std::vector<std::string> charts;    // chart names (charts/<name>.png and .svg)
  std::vector<std::string> problems;  // charts that failed, with gnuplot's message
};

ReportOutcome make_report(const std::string& run_dir, const std::string& charts_script_dir);

}  // namespace netlab::run
