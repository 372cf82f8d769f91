// The charts of a run's report: what the chart makers share (the rows grouped by protocol, series
// and connection level, the run's palette, the sections made so far) and one function per kind of
// chart. Statistics (median, min, max, counts) are computed here; the scripts only plot them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tools/run/chart_maker.hpp"
#include "tools/run/model_palette.hpp"
#include "tools/run/summary_tables.hpp"

namespace netlab::run {

// One series' repetitions by connection level, and every series of one protocol.
using ByLevel = std::map<int, std::vector<Row>>;
using BySeries = std::map<std::string, ByLevel>;

// Closed-loop timed cases without workload, grouped by protocol: the scaling picture.
std::map<std::string, BySeries> scaling_rows(const std::vector<Row>& rows);

// A column of `rows` as numbers, divided by `scale`.
std::vector<double> column(const std::vector<Row>& rows, const std::string& key, double scale = 1);
// How many of `reps` had the load generator as the bottleneck (summary.csv's generator_bottleneck).
int generator_bound(const std::vector<Row>& reps);

// A chart of the report under its section title in words ("Throughput, echo").
struct Section {
  std::string chart;
  std::string title;
};

// Not thread-safe: one per report.
struct ReportCharts {
  ChartMaker& maker;
  const ModelPalette& palette;
  ChartOutcome outcome = {};
  std::vector<Section> sections = {};

  // ChartMaker::make, and the section recorded when the chart was made.
  void make(const std::string& script, const std::string& name, const std::string& title, const std::string& heading,
            const std::vector<Series>& series, const std::string& extra = "");
  // A series of `name` (a model, variant or build) in the palette's style; `title` defaults to it.
  Series series(const std::string& file, const std::string& name, const std::string& title = "") const;
};

// TPS, latency and server cost against connections, and the models ranked by TPS per level
// (scaling_charts.cpp).
void scaling_charts(const std::string& proto, const BySeries& models, ReportCharts& charts);

// The latency spectrum and the timeline of each level, one repetition per model: the median-TPS
// one (repetition_charts.cpp).
void repetition_charts(const std::string& run_dir, const std::string& proto, const BySeries& models,
                       const std::vector<Row>& series_rows, ReportCharts& charts);

}  // namespace netlab::run
