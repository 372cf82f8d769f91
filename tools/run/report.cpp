#include "tools/run/report.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/util/csv.hpp"
#include "tools/run/chart_maker.hpp"
#include "tools/run/notes_comparison.hpp"
#include "tools/run/summary_tables.hpp"

namespace netlab::run {
namespace {

// Closed-loop cases without workload, grouped by protocol then model: the scaling picture.
using Scaling = std::map<std::string, std::map<std::string, std::map<int, std::vector<Row>>>>;

Scaling scaling_rows(const std::vector<Row>& rows) {
  Scaling out;
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

std::vector<double> column(const std::vector<Row>& rows, const std::string& key, double scale = 1) {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(field_num(r, key) / scale);
  return v;
}

// One line of a scaling data file: connections, then median min max of each metric (the columns
// tps.gp, latency.gp and server.gp name).
void write_scaling_line(std::ostream& out, int conns, const std::vector<Row>& reps) {
  out << conns;
  for (const auto& s : {spread(column(reps, "tps")), spread(column(reps, "latency_p50_us")),
                        spread(column(reps, "latency_p99_us")), spread(column(reps, "server_cpu_pct")),
                        spread(column(reps, "server_pss_peak_kb", 1024))}) {
    out << " " << s.median << " " << s.min << " " << s.max;
  }
  out << "\n";
}

// The repetition a spectrum or timeline shows: the one whose TPS is the median (the lower middle
// of an even count), so one chart line stands for a typical run, not whichever ran first.
const Row& typical_repetition(const std::vector<Row>& reps) {
  return reps[static_cast<size_t>(median_index(column(reps, "tps")))];
}

// The .hgrm percentile rows: value percentile count inverse.
void hgrm_to_data(const std::string& hgrm, const std::string& out_path) {
  std::ifstream in(hgrm);
  std::ofstream out(out_path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    double value, pct, count;
    std::string inverse;
    if (words >> value >> pct >> count) {
      words >> inverse;
      if (inverse.empty() || inverse == "inf") inverse = "100000";
      out << value << " " << pct << " " << count << " " << inverse << "\n";
    }
  }
}

void spectrum_and_timeline(const std::string& run_dir, const std::string& proto, const Scaling::mapped_type& models,
                           const std::vector<Row>& series_rows, ChartMaker& charts, ChartOutcome& outcome) {
  std::set<int> levels;
  bool repeated = false;
  for (const auto& [model, by_conns] : models) {
    for (const auto& [conns, reps] : by_conns) levels.insert(conns), repeated |= reps.size() > 1;
  }
  const std::string which = repeated ? "; each model's median-TPS repetition" : "";
  for (int level : levels) {
    std::vector<Series> spectrum, timeline;
    for (const auto& [model, by_conns] : models) {
      auto it = by_conns.find(level);
      if (it == by_conns.end()) continue;
      // A case's files and load generator label carry its build in A/B runs (Case::file_id).
      const Row& typical = typical_repetition(it->second);
      const std::string id = field(typical, "case") + (field(typical, "build").empty() ? "" : "." + field(typical, "build"));
      if (std::ifstream(run_dir + "/" + id + ".hgrm")) {
        std::string file = charts.data_path("spectrum-" + id);
        hgrm_to_data(run_dir + "/" + id + ".hgrm", file);
        spectrum.push_back({file, model});
      }
      std::string file = charts.data_path("timeline-" + id);
      std::ofstream out(file);
      for (const auto& s : series_rows) {
        if (field(s, "label") == id) {
          out << field_num(s, "second") << " " << field_num(s, "tps") << " " << field_num(s, "latency_p99_us") << "\n";
        }
      }
      timeline.push_back({file, model});
    }
    std::string tag = proto + "-c" + std::to_string(level);
    std::string where = proto + ", " + std::to_string(level) + " connections" + which;
    charts.make("spectrum.gp", "spectrum-" + tag, "Latency spectrum (" + where + ")", spectrum, outcome);
    charts.make("timeline.gp", "timeline-" + tag, "TPS and p99 over time (" + where + ")", timeline, outcome);
  }
}

void write_html(const std::string& run_dir, const std::vector<Row>& rows, const ReportOutcome& outcome,
                const std::vector<NotesRow>& notes, const std::vector<std::string>& interrupted) {
  std::ofstream html(run_dir + "/report.html");
  std::string meta = read_file(run_dir + "/run.json");
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>netlab report</title>\n"
       << "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
          "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child,"
          "th:first-child{text-align:left}.failed{background:#fdd}img{max-width:100%;border:1px solid #eee}"
          "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}</style></head>\n<body>\n";
  html << "<h1>netlab report</h1>\n";
  int ok = 0;
  for (const auto& r : rows) ok += field(r, "status") == "ok";
  html << "<p>" << rows.size() + interrupted.size() << " cases, " << ok << " ok, "
       << rows.size() - static_cast<size_t>(ok) << " not ok"
       << (interrupted.empty() ? "" : ", " + std::to_string(interrupted.size()) + " interrupted (left out)")
       << ". Raw data beside this file: summary.csv, timeseries.csv, one .hgrm per case.";
  if (has_repetitions(rows)) {
    html << " Cases were repeated: TPS, latency and server charts show the median with min-max error bars over "
            "the repetitions; spectrum and timeline charts show each model's median-TPS repetition.";
  }
  html << "</p>\n<h2>Charts</h2>\n";
  for (const auto& name : outcome.charts) html << "<h3>" << html_escape(name) << "</h3>\n" << chart_html(run_dir, name);
  for (const auto& p : outcome.problems) html << "<p class=\"failed\">chart failed: " << html_escape(p) << "</p>\n";
  html << html_tables(rows, notes);
  if (!interrupted.empty()) html << "<p>" << html_escape(interrupted_note(interrupted)) << "</p>\n";
  html << "<h2>Run metadata</h2>\n<pre>" << html_escape(meta) << "</pre>\n" << charts_loaded_script();
  html << "</body></html>\n";
}

}  // namespace

ReportOutcome make_report(const std::string& run_dir, const std::string& charts_script_dir) {
  ReportOutcome outcome;
  // A case cut short by an interrupt measured a fraction of its time at a fraction of its TPS: its
  // figures are not results. Its row stays in summary.csv (status interrupted); the report names it
  // under the tables and neither draws nor tables it.
  std::vector<Row> rows;
  std::vector<std::string> interrupted;
  for (auto& r : core::read_csv_rows(run_dir + "/summary.csv")) {
    if (field(r, "status") == "interrupted") {
      interrupted.push_back(field(r, "case") + (field(r, "build").empty() ? "" : "." + field(r, "build")) +
                            (field(r, "duration_s").empty() ? "" : " (after " + field(r, "duration_s") + " s)"));
    } else {
      rows.push_back(std::move(r));
    }
  }
  auto series_rows = core::read_csv_rows(run_dir + "/timeseries.csv");
  ChartMaker charts(run_dir, charts_script_dir);

  for (const auto& [proto, models] : scaling_rows(rows)) {
    std::vector<Series> scaling;
    for (const auto& [model, by_conns] : models) {
      std::string file = charts.data_path("scaling-" + proto + "-" + model);
      std::ofstream out(file);
      out << "# connections, then median min max over repetitions of: tps p50_us p99_us cpu_pct pss_mb\n";
      for (const auto& [conns, reps] : by_conns) write_scaling_line(out, conns, reps);
      scaling.push_back({file, model});
    }
    charts.make("tps.gp", "tps-" + proto, "TPS vs connections (" + proto + ", closed loop)", scaling, outcome);
    charts.make("latency.gp", "latency-" + proto, "p50 and p99 latency vs connections (" + proto + ")", scaling,
                outcome);
    charts.make("server.gp", "server-" + proto, "Server CPU and memory vs connections (" + proto + ")", scaling,
                outcome);
    spectrum_and_timeline(run_dir, proto, models, series_rows, charts, outcome);
  }

  // CPU-bound vs IO-bound: per protocol and model, the TPS of every repetition at the highest
  // level measured of each; the chart shows their median and min-max, the notes their median.
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
    std::string file = charts.data_path("workload-" + proto);
    std::ofstream out(file);
    out << "# model, then median min max over repetitions of: tps_cpu tps_io\n";
    for (const auto& [model, s] : models) {
      Spread cpu = spread(s.cpu), io = spread(s.io);
      work[proto][model] = {cpu.median, io.median};
      out << model << " " << cpu.median << " " << cpu.min << " " << cpu.max << " " << io.median << " " << io.min
          << " " << io.max << "\n";
    }
    out.close();
    charts.make("workload.gp", "workload-" + proto, "CPU-bound vs IO-bound work by model (" + proto + ")",
                {{file, "tps"}}, outcome);
  }

  // The notes compared approaches on echo-like tasks: use the echo cases when there are any.
  std::vector<NotesRow> notes;
  if (auto it = work.find("echo"); it != work.end()) notes = compare_with_notes(it->second);
  write_markdown(run_dir + "/summary.md", rows, outcome.problems, notes, interrupted);
  write_html(run_dir, rows, outcome, notes, interrupted);
  return outcome;
}

}  // namespace netlab::run
