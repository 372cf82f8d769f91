// The comparison page of netlab-gate: compare.html beside the gate's other outputs, for a person
// deciding what a verdict means. Verdict table first; then per case one chart with a row per
// metric: base and new as bars (median, min-max error bars over the samples) beside the change
// with its confidence interval over the shaded tolerance band, coloured by verdict (regressed red,
// improved green, unchanged grey, too noisy amber, missing purple).
#pragma once

#include <string>
#include <vector>

#include "tools/gate/judgement.hpp"

namespace netlab::gate {

// Writes out_dir/compare.html (self-contained: charts embedded as base64 PNG, each with a link to
// its SVG; sets data-charts-loaded="n/N" on <body> once loaded, for headless checks) and
// out_dir/charts/compare-<case>.png/.svg with their data in out_dir/charts/data/. Creates out_dir.
// `charts_script_dir` is scripts/charts. Returns the problems: charts that failed, with gnuplot's
// message (the page is written either way).
std::vector<std::string> write_comparison_page(const GateResult& result, const std::string& out_dir,
                                               const std::string& charts_script_dir);

}  // namespace netlab::gate
