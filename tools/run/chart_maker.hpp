// Chart making shared by the run report (report.cpp) and the gate's comparison and history pages:
// ChartMaker writes the data files a chart plots and runs one gnuplot script of scripts/charts/
// for PNG and SVG; the rest are the small helpers every self-contained HTML page of ours needs
// (base64 embedding, escaping, the charts-loaded check) and the one statistic charts show, the
// median with its min-max spread. Statistics are computed here, never in gnuplot.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tools/run/model_palette.hpp"

namespace netlab::run {

// Median of `v` (mean of the middle two when even); 0 when empty.
double median(std::vector<double> v);

// Index of the element of `v` at the median position: the lower middle one when `v` has an even
// size, so the result is always a real sample (the repetition a chart can show). -1 when empty.
int median_index(const std::vector<double>& v);

// What error bars show: median, smallest and largest of the samples (all 0 when there are none).
struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
};
Spread spread(const std::vector<double>& v);

// A number for tables and headings: whole numbers from 1000 up, three or more significant digits
// below, never an exponent for the values we measure ("10234", "312.5", "2.25", "0.0123").
std::string format_number(double v);

std::string read_file(const std::string& path);
std::string base64(const std::string& data);
std::string html_escape(const std::string& text);

// One series of a chart: a data file, the name it gets in the legend (its first word is the
// series name: "epoll", "epoll p99", "epoll (generator-bound)") and, for a model's series, its
// style from the run's ModelPalette (model_palette.hpp).
struct Series {
  std::string file;
  std::string title;
  SeriesStyle style = {};  // empty colour: the chart's own colours by position (the gate's charts)
};

struct ChartOutcome {
  std::vector<std::string> charts;    // chart names (charts/<name>.png and .svg), in order made
  std::vector<std::string> problems;  // charts that failed, with gnuplot's message
};

// Makes charts under <out_dir>/charts/ with gnuplot (/usr/bin/gnuplot), data in charts/data/.
// Not thread-safe; one instance per page being made.
class ChartMaker {
 public:
  ChartMaker(std::string out_dir, std::string script_dir);  // creates charts/ and charts/data/

  // <out_dir>/charts/data/<name>.dat: where a chart's numbers go.
  std::string data_path(const std::string& name) const;

  // Runs `script` with dir, out, fmt, files, titles and heading set (see common.gp), colours and
  // points too when every series has a style, plus `extra` gnuplot assignments ("a=1; b='x'") a
  // script documents for itself. Records the chart in
  // outcome.charts, or its failure in outcome.problems. Returns whether both formats were made.
  // Does nothing (and returns false) when `series` is empty.
  bool make(const std::string& script, const std::string& name, const std::string& heading,
            const std::vector<Series>& series, ChartOutcome& outcome, const std::string& extra = "");

 private:
  std::string out_dir_;
  std::string script_dir_;
};

// The legend gnuplot drew in an SVG chart: each key entry's text and colour ("#rrggbb"), in order.
std::vector<std::pair<std::string, std::string>> svg_legend(const std::string& svg_path);

// An <img class="chart"> embedding <page_dir>/charts/<name>.png as base64, with a link to the SVG.
// Its data-legend attribute holds the SVG's legend ("epoll=#1f77b4;poll p99=#7f7f7f"), what the
// page's check compares across charts.
std::string chart_html(const std::string& page_dir, const std::string& name);

// A <script> that checks the page once it has loaded, for a headless browser (and the tests) to
// read: each chart gets data-loaded="yes" or "no" (whether its image decoded), <body> gets
// data-charts-loaded="<decoded>/<all>" and data-colour-conflicts, "none" or each series (a legend
// entry's first word) that two charts draw in different colours, also shown atop the page.
std::string charts_loaded_script();

}  // namespace netlab::run
