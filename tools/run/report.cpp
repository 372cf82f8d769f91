#include "tools/run/report.hpp"

#include <fstream>
#include <map>

#include "core/util/csv.hpp"
#include "tools/run/notes_comparison.hpp"
#include "tools/run/report_charts.hpp"
#include "tools/run/summary_tables.hpp"

namespace netlab::run {

std::map<std::string, BySeries> scaling_rows(const std::vector<Row>& rows) {
  std::map<std::string, BySeries> out;
  for (const auto& r : rows) {
    // Cost-only cases ("measure = cost") ran no timed load: nothing to plot over connections.
    if (field(r, "status") != "ok" || field(r, "tps").empty() || field_num(r, "rate") > 0 ||
        field_num(r, "cpu_work_us") > 0 || field_num(r, "io_delay_us") > 0) {
      continue;
    }
    out[field(r, "protocol")][field(r, "series")][static_cast<int>(field_num(r, "connections"))].push_back(r);
  }
  return out;
}

std::vector<double> column(const std::vector<Row>& rows, const std::string& key, double scale) {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(field_num(r, key) / scale);
  return v;
}

int generator_bound(const std::vector<Row>& reps) {
  int n = 0;
  for (const auto& r : reps) n += field(r, "generator_bottleneck") == "1";
  return n;
}

void ReportCharts::make(const std::string& script, const std::string& name, const std::string& title,
                        const std::string& heading, const std::vector<Series>& series, const std::string& extra) {
  if (maker.make(script, name, heading, series, outcome, extra)) sections.push_back({name, title});
}

Series ReportCharts::series(const std::string& file, const std::string& name, const std::string& title) const {
  return {file, title.empty() ? name : title, palette.style(name)};
}

namespace {

// CPU-bound vs IO-bound: per protocol and model, the TPS of every repetition at the highest
// level measured of each; the chart shows their median and min-max, the notes their median.
std::map<std::string, std::map<std::string, WorkloadTps>> workload_charts(const std::vector<Row>& rows,
                                                                          ReportCharts& charts) {
  struct WorkSamples {
    int cpu_level = 0, io_level = 0;
    std::vector<double> cpu, io;
  };
  std::map<std::string, std::map<std::string, WorkSamples>> samples;
  for (const auto& r : rows) {
    if (field(r, "status") != "ok") continue;
    bool cpu = field_num(r, "cpu_work_us") > 0, io = field_num(r, "io_delay_us") > 0;
    if (cpu == io) continue;
    auto& cell = samples[field(r, "protocol")][field(r, "series")];
    int conns = static_cast<int>(field_num(r, "connections"));
    int& best = cpu ? cell.cpu_level : cell.io_level;
    auto& tps = cpu ? cell.cpu : cell.io;
    if (conns > best) best = conns, tps.clear();
    if (conns == best) tps.push_back(field_num(r, "tps"));
  }
  std::map<std::string, std::map<std::string, WorkloadTps>> work;
  for (const auto& [proto, models] : samples) {
    std::string file = charts.maker.data_path("workload-" + proto);
    std::ofstream out(file);
    out << "# model, then median min max over repetitions of: tps_cpu tps_io\n";
    for (const auto& [model, s] : models) {
      Spread cpu = spread(s.cpu), io = spread(s.io);
      work[proto][model] = {cpu.median, io.median};
      out << model << " " << cpu.median << " " << cpu.min << " " << cpu.max << " " << io.median << " " << io.min
          << " " << io.max << "\n";
    }
    out.close();
    charts.make("workload.gp", "workload-" + proto, "CPU-bound vs IO-bound work, " + proto,
                "CPU-bound vs IO-bound work by model (" + proto + ")", {{file, "tps"}});
  }
  return work;
}

void write_html(const std::string& run_dir, const std::vector<Row>& rows, const ReportCharts& charts,
                const std::vector<NotesRow>& notes, const std::vector<std::string>& interrupted) {
  std::ofstream html(run_dir + "/report.html");
  std::string meta = read_file(run_dir + "/run.json");
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>netlab report</title>\n"
       << "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
          "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td{white-space:nowrap}"
          "td:last-child{white-space:normal}td:first-child,"
          "th:first-child,td:last-child,th:last-child{text-align:left}.failed{background:#fdd}"
          "img{max-width:100%;border:1px solid #eee}"
          "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}</style></head>\n<body>\n";
  html << "<h1>netlab report</h1>\n";
  int ok = 0;
  for (const auto& r : rows) ok += field(r, "status") == "ok";
  html << "<p>" << rows.size() + interrupted.size() << " cases, " << ok << " ok, "
       << rows.size() - static_cast<size_t>(ok) << " not ok"
       << (interrupted.empty() ? "" : ", " + std::to_string(interrupted.size()) + " interrupted (left out)")
       << ". Raw data beside this file: summary.csv, timeseries.csv, one .hgrm per case. Each model has one colour "
          "in every chart; a black ring marks a point where the load generator, not the server, was the "
          "bottleneck (generator-bound).";
  if (has_repetitions(rows)) {
    html << " Cases were repeated: TPS, latency and server charts show the median with min-max error bars over "
            "the repetitions; spectrum and timeline charts show each model's median-TPS repetition.";
  }
  html << "</p>\n" << html_summary(rows);
  if (!interrupted.empty()) html << "<p>" << html_escape(interrupted_note(interrupted)) << "</p>\n";
  html << "<h2>Charts</h2>\n";
  for (const auto& s : charts.sections) html << "<h3>" << html_escape(s.title) << "</h3>\n" << chart_html(run_dir, s.chart);
  for (const auto& p : charts.outcome.problems) html << "<p class=\"failed\">chart failed: " << html_escape(p) << "</p>\n";
  html << html_details(rows, notes);
  html << "<h2>Run metadata</h2>\n<pre>" << html_escape(meta) << "</pre>\n" << charts_loaded_script();
  html << "</body></html>\n";
}

}  // namespace

ReportOutcome make_report(const std::string& run_dir, const std::string& charts_script_dir,
                          const std::vector<std::string>& models) {
  // A case cut short by an interrupt measured a fraction of its time at a fraction of its TPS: its
  // figures are not results. Its row stays in summary.csv (status interrupted); the report names it
  // under the summary and neither draws nor tables it.
  std::vector<Row> rows;
  std::vector<std::string> interrupted;
  std::vector<std::string> series;
  for (auto& r : core::read_csv_rows(run_dir + "/summary.csv")) {
    if (field(r, "status") == "interrupted") {
      interrupted.push_back(field(r, "case") + (field(r, "build").empty() ? "" : "." + field(r, "build")) +
                            (field(r, "duration_s").empty() ? "" : " (after " + field(r, "duration_s") + " s)"));
    } else {
      series.push_back(field(r, "series"));
      rows.push_back(std::move(r));
    }
  }
  auto series_rows = core::read_csv_rows(run_dir + "/timeseries.csv");
  ChartMaker maker(run_dir, charts_script_dir);
  const ModelPalette palette(models, series);
  ReportCharts charts{maker, palette};

  for (const auto& [proto, by_series] : scaling_rows(rows)) {
    scaling_charts(proto, by_series, charts);
    repetition_charts(run_dir, proto, by_series, series_rows, charts);
  }
  auto work = workload_charts(rows, charts);

  // The notes compared approaches on echo-like tasks: use the echo cases when there are any.
  std::vector<NotesRow> notes;
  if (auto it = work.find("echo"); it != work.end()) notes = compare_with_notes(it->second);
  write_markdown(run_dir + "/summary.md", rows, charts.outcome.problems, notes, interrupted);
  write_html(run_dir, rows, charts, notes, interrupted);
  return charts.outcome;
}

}  // namespace netlab::run
