#include "tools/gate/compare_page.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tools/run/chart_maker.hpp"

namespace netlab::gate {
namespace {

using run::format_number;
using run::html_escape;

const char* colour(Verdict v) {
  switch (v) {
    case Verdict::regressed: return "#d62728";
    case Verdict::improved: return "#2ca02c";
    case Verdict::unchanged: return "#7f7f7f";
    case Verdict::too_noisy: return "#e69f00";
    case Verdict::missing: return "#9467bd";
  }
  return "#000000";
}

// The change as people read it: "+5.2%" for relative metrics, "+0.0012" for absolute ones.
std::string change_text(const MetricJudgement& j, double v) {
  char buf[64];
  if (j.absolute) {
    std::snprintf(buf, sizeof buf, "%s%s", v > 0 ? "+" : "", format_number(v).c_str());
  } else {
    std::snprintf(buf, sizeof buf, "%+.1f%%", v * 100);
  }
  return buf;
}

// Units the chart's change axis uses: per cent for relative metrics.
double scaled(const MetricJudgement& j, double v) { return j.absolute ? v : v * 100; }

// compare-<case>-<metric>.dat. Block 0: side median min max (base, new). Block 1: change ci_low
// ci_high (chart units), the verdict's colour as an integer, the label.
std::string write_data(const run::ChartMaker& charts, const MetricJudgement& j) {
  std::string file = charts.data_path("compare-" + j.case_key + "-" + j.metric);
  std::ofstream out(file);
  out << "# side median min max\n";
  run::Spread base = run::spread(j.base), now = run::spread(j.current);
  out << "\"base\" " << j.base_median << " " << base.min << " " << base.max << "\n";
  out << "\"new\" " << j.current_median << " " << now.min << " " << now.max << "\n\n\n";
  out << "# change ci_low ci_high colour label\n";
  unsigned rgb = static_cast<unsigned>(std::stoul(colour(j.verdict) + 1, nullptr, 16));
  std::string label = j.verdict == Verdict::missing
                          ? std::string("missing: ") + (j.base.empty() ? "no base samples" : "no new samples")
                          : std::string(verdict_name(j.verdict)) + " " + change_text(j, j.change) + " [" +
                                change_text(j, j.ci_low) + ", " + change_text(j, j.ci_high) + "]";
  out << scaled(j, j.change) << " " << scaled(j, j.ci_low) << " " << scaled(j, j.ci_high) << " " << rgb << " \""
      << label << "\"\n";
  return file;
}

// The chart for one case: a row per metric. The change axis spans the interval and the tolerance
// band with some margin, computed here so the script only draws.
void case_chart(run::ChartMaker& charts, const std::string& case_key, const std::vector<const MetricJudgement*>& js,
                run::ChartOutcome& outcome) {
  std::vector<run::Series> series;
  std::string kinds, tols, xlo, xhi;
  auto add = [](std::string& words, const std::string& w) { words += (words.empty() ? "" : " ") + w; };
  for (const auto* j : js) {
    series.push_back({write_data(charts, *j), j->metric + "(" + j->direction + "-is-better)"});
    double tol = scaled(*j, j->tolerance);
    double lo = std::min({scaled(*j, j->ci_low), scaled(*j, j->change), -tol, 0.0});
    double hi = std::max({scaled(*j, j->ci_high), scaled(*j, j->change), tol, 0.0});
    double pad = (hi - lo) * 0.15 + (hi - lo == 0 ? 1 : 0);
    add(kinds, j->absolute ? "abs" : "rel");
    add(tols, std::to_string(tol));
    add(xlo, std::to_string(lo - pad));
    add(xhi, std::to_string(hi + pad));
  }
  charts.make("compare.gp", "compare-" + case_key, case_key, series, outcome,
              "kinds='" + kinds + "'; tols='" + tols + "'; xlo='" + xlo + "'; xhi='" + xhi +
                  "'; height=" + std::to_string(70 + 230 * js.size()));
}

std::string side(const RunMeta& m) {
  return html_escape((m.git_sha.empty() ? "?" : m.git_sha.substr(0, 12)) + ", " + (m.date.empty() ? "?" : m.date) +
                     ", suite " + m.suite + ", " + m.path + (m.kernel.empty() ? "" : ", kernel " + m.kernel));
}

std::string verdict_table(const GateResult& result) {
  std::ostringstream t;
  t << "<table><tr><th>case</th><th>metric</th><th>better</th><th>base</th><th>new</th><th>change</th>"
       "<th>confidence interval</th><th>p</th><th>method</th><th>verdict</th><th>note</th></tr>\n";
  for (const auto& j : result.judgements) {
    char p[32];
    std::snprintf(p, sizeof p, "%.3g", j.p_value);
    const bool missing = j.verdict == Verdict::missing;
    t << "<tr><td>" << html_escape(j.case_key) << "</td><td>" << html_escape(j.metric) << "</td><td>"
      << html_escape(j.direction) << "</td><td class=\"num\">" << format_number(j.base_median)
      << "</td><td class=\"num\">" << format_number(j.current_median) << "</td><td class=\"num\">"
      << (missing ? "-" : change_text(j, j.change)) << "</td><td class=\"num\">"
      << (missing ? "-" : change_text(j, j.ci_low) + " .. " + change_text(j, j.ci_high)) << "</td><td class=\"num\">"
      << p << "</td><td>" << html_escape(j.method)
      << "</td><td class=\"verdict\" style=\"background:" << colour(j.verdict) << "\">" << verdict_name(j.verdict)
      << "</td><td>" << html_escape(j.note) << "</td></tr>\n";
  }
  return t.str() + "</table>\n";
}

}  // namespace

std::vector<std::string> write_comparison_page(const GateResult& result, const std::string& out_dir,
                                               const std::string& charts_script_dir) {
  std::filesystem::create_directories(out_dir);
  run::ChartMaker charts(out_dir, charts_script_dir);
  run::ChartOutcome outcome;
  std::vector<std::string> cases;
  std::map<std::string, std::vector<const MetricJudgement*>> by_case;
  for (const auto& j : result.judgements) {
    if (by_case.find(j.case_key) == by_case.end()) cases.push_back(j.case_key);
    by_case[j.case_key].push_back(&j);
  }
  for (const auto& c : cases) case_chart(charts, c, by_case[c], outcome);

  std::ofstream html(out_dir + "/compare.html");
  const int code = result.exit_code();
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>netlab gate</title>\n"
       << "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
          "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}.num{text-align:right}"
          ".verdict{color:#fff;font-weight:bold}.failed{background:#fdd}img{max-width:100%;border:1px solid #eee}"
          "</style></head>\n<body>\n"
       << "<h1>netlab gate: " << (code == 0 ? "pass" : code == 1 ? "regressed" : "unusable") << "</h1>\n"
       << "<p>Mode " << html_escape(result.mode) << ", " << result.confidence * 100
       << "% confidence intervals.<br>base: " << side(result.base) << "<br>new: " << side(result.current) << "</p>\n";
  for (const auto& p : result.problems) html << "<p class=\"failed\">" << html_escape(p) << "</p>\n";
  html << "<h2>Verdicts</h2>\n" << verdict_table(result) << "<h2>By case</h2>\n<p>Left: base and new, the median "
       << "with min-max error bars over the samples. Right: the change with its confidence interval; the shaded "
          "band is the tolerance.</p>\n";
  for (const auto& c : cases) {
    html << "<h3>" << html_escape(c) << "</h3>\n";
    bool made = std::find(outcome.charts.begin(), outcome.charts.end(), "compare-" + c) != outcome.charts.end();
    html << (made ? run::chart_html(out_dir, "compare-" + c) : "<p class=\"failed\">chart failed</p>\n");
  }
  for (const auto& p : outcome.problems) html << "<p class=\"failed\">chart failed: " << html_escape(p) << "</p>\n";
  html << run::charts_loaded_script() << "</body></html>\n";
  return outcome.problems;
}

}  // namespace netlab::gate
