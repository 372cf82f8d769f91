#include "tools/gate/history.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>

#include "core/util/csv.hpp"
#include "tools/gate/change_points.hpp"
#include "tools/run/chart_maker.hpp"
#include "tools/run/csv.hpp"
#include "tools/run/results.hpp"

namespace netlab::gate {
namespace {

using run::format_number;
using run::html_escape;

const char* kHeader = "date,git_sha,suite,mode,case,metric,direction,value,base_value,change,ci_low,ci_high,verdict";

std::string exact(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// One (case, metric) over time: its rows in file order.
struct HistorySeries {
  std::string case_key, metric, direction;
  std::vector<double> values;
  std::vector<std::string> shas, verdicts;
  std::vector<ChangePoint> change_points;
};

std::string short_sha(const std::string& sha) { return sha.empty() ? "?" : sha.substr(0, 7); }

// "#13 abc1234: 11000 -> 10000 (-9.1%, p=0.002)": commit numbers count from 1, oldest first.
std::string describe(const HistorySeries& s, const ChangePoint& cp) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "#%d %s: %s -> %s (%+.1f%%, p=%.3f)", cp.index + 1,
                short_sha(s.shas[static_cast<size_t>(cp.index)]).c_str(), format_number(cp.mean_before).c_str(),
                format_number(cp.mean_after).c_str(), cp.relative_shift() * 100, cp.p_value);
  return buf;
}

// Data for history.gp: commit (from 1), value, the mean of its segment, the value again where a
// new level starts (else NaN: gnuplot draws nothing), short SHA for the tics.
std::string write_series_data(const run::ChartMaker& charts, const std::string& name, const HistorySeries& s) {
  const size_t n = s.values.size();
  std::vector<double> level(n);
  for (size_t k = 0, from = 0; k <= s.change_points.size(); ++k) {
    size_t to = k < s.change_points.size() ? static_cast<size_t>(s.change_points[k].index) : n;
    double sum = 0;
    for (size_t i = from; i < to; ++i) sum += s.values[i];
    for (size_t i = from; i < to; ++i) level[i] = sum / static_cast<double>(to - from);
    from = to;
  }
  std::string file = charts.data_path(name);
  std::ofstream out(file);
  out << "# commit value segment_mean change_point short_sha\n";
  for (size_t i = 0, next = 0; i < n; ++i) {
    bool starts = next < s.change_points.size() && s.change_points[next].index == static_cast<int>(i);
    next += starts;
    out << i + 1 << " " << exact(s.values[i]) << " " << exact(level[i]) << " " << (starts ? exact(s.values[i]) : "NaN")
        << " \"" << short_sha(s.shas[i]) << "\"\n";
  }
  return file;
}

void write_page(const std::string& out_dir, const std::string& csv_path, const std::vector<HistorySeries>& all,
                const run::ChartOutcome& outcome, const std::vector<std::string>& chart_of) {
  std::ofstream html(out_dir + "/history.html");
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>netlab gate history</title>\n"
       << "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
          "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}.num{text-align:right}"
          ".failed{background:#fdd}img{max-width:100%;border:1px solid #eee}</style></head>\n<body>\n"
       << "<h1>netlab gate history</h1>\n<p>From " << html_escape(csv_path)
       << ". Each metric over the commits the gate judged, oldest left. Change points (E-divisive means, "
          "permutation test): dashed red lines between the last commit of the old level and the first of the "
          "new; the grey steps are each level's mean.</p>\n";
  html << "<table><tr><th>case</th><th>metric</th><th>points</th><th>latest</th><th>latest verdict</th>"
          "<th>change points</th></tr>\n";
  for (const auto& s : all) {
    std::string cps;
    for (const auto& cp : s.change_points) cps += (cps.empty() ? "" : "<br>") + html_escape(describe(s, cp));
    html << "<tr><td>" << html_escape(s.case_key) << "</td><td>" << html_escape(s.metric) << "</td><td class=\"num\">"
         << s.values.size() << "</td><td class=\"num\">" << format_number(s.values.back()) << "</td><td>"
         << html_escape(s.verdicts.back()) << "</td><td>" << (cps.empty() ? "none" : cps) << "</td></tr>\n";
  }
  html << "</table>\n";
  for (size_t i = 0; i < all.size(); ++i) {
    html << "<h3>" << html_escape(all[i].case_key + " " + all[i].metric) << "</h3>\n";
    bool made = std::find(outcome.charts.begin(), outcome.charts.end(), chart_of[i]) != outcome.charts.end();
    html << (made ? run::chart_html(out_dir, chart_of[i]) : "<p class=\"failed\">chart failed</p>\n");
  }
  html << run::charts_loaded_script() << "</body></html>\n";
}

void print_table(std::ostream& out, const std::vector<HistorySeries>& all) {
  size_t width = 6;
  for (const auto& s : all) width = std::max(width, s.case_key.size() + 1 + s.metric.size());
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %6s %10s  %-10s %s\n", static_cast<int>(width), "series", "points",
                "latest", "verdict", "change points");
  out << line;
  for (const auto& s : all) {
    std::snprintf(line, sizeof line, "%-*s %6zu %10s  %-10s ", static_cast<int>(width),
                  (s.case_key + " " + s.metric).c_str(), s.values.size(), format_number(s.values.back()).c_str(),
                  s.verdicts.back().c_str());
    out << line;
    if (s.change_points.empty()) out << "none\n";
    for (size_t k = 0; k < s.change_points.size(); ++k) {
      if (k > 0) out << std::string(width + 6 + 10 + 2 + 10 + 4, ' ');
      out << describe(s, s.change_points[k]) << "\n";
    }
  }
}

}  // namespace

void append_history(const GateResult& result, const std::string& csv_path) {
  bool fresh = !std::filesystem::exists(csv_path) || std::filesystem::file_size(csv_path) == 0;
  std::ofstream out(csv_path, std::ios::app);
  if (!out) throw std::runtime_error("cannot append to " + csv_path);
  if (fresh) out << kHeader << "\n";
  const std::string date = result.current.date.empty() ? run::utc_now() : result.current.date;
  for (const auto& j : result.judgements) {
    out << run::csv_field(date) << "," << run::csv_field(result.current.git_sha) << ","
        << run::csv_field(result.current.suite) << "," << run::csv_field(result.mode) << ","
        << run::csv_field(j.case_key) << "," << run::csv_field(j.metric) << "," << run::csv_field(j.direction) << ","
        << exact(j.current_median) << "," << exact(j.base_median) << "," << exact(j.change) << ","
        << exact(j.ci_low) << "," << exact(j.ci_high) << "," << verdict_name(j.verdict) << "\n";
  }
}

int history_command(const std::string& csv_path, const std::string& out_dir, const std::string& charts_script_dir,
                    std::ostream& out) {
  if (!std::ifstream(csv_path)) {
    std::cerr << "netlab-gate history: cannot read " << csv_path << " (no such file, or not readable)\n";
    return 2;
  }
  auto rows = core::read_csv_rows(csv_path);
  if (rows.empty()) {
    std::cerr << "netlab-gate history: " << csv_path << " has no rows (is it the file append_history writes?)\n";
    return 2;
  }
  for (const char* column : {"git_sha", "case", "metric", "value", "verdict"}) {
    if (rows.front().find(column) == rows.front().end()) {
      std::cerr << "netlab-gate history: " << csv_path << " has no column '" << column << "'; expected " << kHeader
                << "\n";
      return 2;
    }
  }
  std::vector<HistorySeries> all;
  std::map<std::pair<std::string, std::string>, size_t> index_of;
  for (auto& r : rows) {
    auto [it, added] = index_of.try_emplace({r["case"], r["metric"]}, all.size());
    if (added) all.push_back({r["case"], r["metric"], r["direction"], {}, {}, {}, {}});
    auto& s = all[it->second];
    double v = 0;
    try {
      v = std::stod(r["value"]);
    } catch (...) {
      continue;  // a row without a value (missing case) is no point on the chart
    }
    s.values.push_back(v), s.shas.push_back(r["git_sha"]), s.verdicts.push_back(r["verdict"]);
  }
  std::erase_if(all, [](const HistorySeries& s) { return s.values.empty(); });

  std::filesystem::create_directories(out_dir);
  run::ChartMaker charts(out_dir, charts_script_dir);
  run::ChartOutcome outcome;
  std::vector<std::string> chart_of;
  for (auto& s : all) {
    s.change_points = find_change_points(s.values);
    std::string name = "history-" + s.case_key + "-" + s.metric, cps;
    for (const auto& cp : s.change_points) cps += (cps.empty() ? "" : " ") + std::to_string(cp.index + 1);
    std::string file = write_series_data(charts, name, s);
    charts.make("history.gp", name, s.case_key + " " + s.metric + " (" + s.direction + " is better) over commits",
                {{file, s.metric}}, outcome,
                "cps='" + cps + "'; points=" + std::to_string(s.values.size()));
    chart_of.push_back(name);
  }
  write_page(out_dir, csv_path, all, outcome, chart_of);
  out << csv_path << ": " << rows.size() << " rows, " << all.size() << " series\n";
  print_table(out, all);
  out << out_dir << "/history.html\n";
  for (const auto& p : outcome.problems) std::cerr << "netlab-gate history: chart failed: " << p << "\n";
  return outcome.problems.empty() ? 0 : 2;
}

}  // namespace netlab::gate
