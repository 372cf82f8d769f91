// Report: turns a finished run folder into charts and a report. It only reshapes what is in
// summary.csv, timeseries.csv and the .hgrm files (median and min-max over repetitions are the
// statistics, computed here, never in gnuplot), runs the gnuplot scripts in scripts/charts/ for PNG
// and SVG, and writes report.html (self-contained: charts embedded, readable from disk) and
// summary.md. Every model keeps one colour in every chart (model_palette.hpp).
#pragma once

#include <string>
#include <vector>

#include "tools/run/chart_maker.hpp"

namespace netlab::run {

using ReportOutcome = ChartOutcome;

// `models`: the build's model list (bin/models.txt), which fixes each model's colour.
ReportOutcome make_report(const std::string& run_dir, const std::string& charts_script_dir,
                          const std::vector<std::string>& models);

}  // namespace netlab::run
