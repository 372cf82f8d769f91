#include "tools/run/report.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tools/run/child_process.hpp"
#include "tools/run/csv.hpp"
#include "tools/run/notes_comparison.hpp"
#include "tools/run/results.hpp"

namespace netlab::run {
namespace {

using Row = std::map<std::string, std::string>;

double num(const Row& r, const std::string& key) {
  auto it = r.find(key);
  if (it == r.end() || it->second.empty()) return 0;
  try {
    return std::stod(it->second);
  } catch (...) {
    return 0;
  }
}

std::string get(const Row& r, const std::string& key) {
  auto it = r.find(key);
  return it == r.end() ? "" : it->second;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string base64(const std::string& data) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                 static_cast<unsigned char>(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (size_t rest = data.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

// One series of a chart: a data file and the name it gets in the legend.
struct Series {
  std::string file;
  std::string title;
};

class ChartMaker {
 public:
  ChartMaker(std::string run_dir, std::string script_dir)
      : run_dir_(std::move(run_dir)), script_dir_(std::move(script_dir)) {
    ::mkdir((run_dir_ + "/charts").c_str(), 0755);
    ::mkdir((run_dir_ + "/charts/data").c_str(), 0755);
  }

  std::string data_path(const std::string& name) const { return run_dir_ + "/charts/data/" + name + ".dat"; }

  void make(const std::string& script, const std::string& name, const std::string& heading,
            const std::vector<Series>& series, ReportOutcome& outcome) {
    if (series.empty()) return;
    std::string files, titles;
    for (const auto& s : series) {
      files += (files.empty() ? "" : " ") + s.file;
      titles += (titles.empty() ? "" : " ") + s.title;
    }
    for (const char* fmt : {"png", "svg"}) {
      std::string vars = "dir='" + script_dir_ + "'; out='" + run_dir_ + "/charts/" + name + "'; fmt='" + fmt +
                         "'; files='" + files + "'; titles='" + titles + "'; heading='" + heading + "'";
      std::string log = run_dir_ + "/charts/data/" + name + ".gnuplot.log";
      SpawnOptions opts;
      opts.stderr_path = log;
      ChildProcess gp({"/usr/bin/gnuplot", "-e", vars, script_dir_ + "/" + script}, opts);
      auto e = gp.wait(std::chrono::seconds(60));
      if (!e || !e->exited || e->status != 0) {
        outcome.problems.push_back(name + "." + fmt + ": " + read_file(log));
        return;
      }
    }
    outcome.charts.push_back(name);
  }

 private:
  std::string run_dir_;
  std::string script_dir_;
};

// Closed-loop cases without workload, grouped by protocol then model: the scaling picture.
using Scaling = std::map<std::string, std::map<std::string, std::map<int, std::vector<Row>>>>;

Scaling scaling_rows(const std::vector<Row>& rows) {
  Scaling out;
  for (const auto& r : rows) {
    if (get(r, "status") != "ok" || num(r, "rate") > 0 || num(r, "cpu_work_us") > 0 || num(r, "io_delay_us") > 0) {
      continue;
    }
    out[get(r, "protocol")][get(r, "series")][static_cast<int>(num(r, "connections"))].push_back(r);
  }
  return out;
}

double median_of(const std::vector<Row>& rows, const std::string& key) {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(num(r, key));
  return median(v);
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

std::string speedup(double v) {
  if (v <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", v);
  return buf;
}

void write_markdown(const std::string& path, const std::vector<Row>& rows, const ReportOutcome& outcome,
                    const std::vector<NotesRow>& notes) {
  std::ofstream md(path);
  if (!notes.empty()) {
    md << "CPU-bound vs IO-bound, speed-up over the single server (ours: TPS; the notes: Python times)\n\n";
    md << "| approach | our model | ours CPU-bound | notes CPU-bound | ours IO-bound | notes IO-bound |\n";
    md << "| --- | --- | ---: | ---: | ---: | ---: |\n";
    for (const auto& n : notes) {
      md << "| " << n.approach << " | " << n.model << " | " << speedup(n.ours_cpu) << " | " << speedup(n.notes_cpu)
         << " | " << speedup(n.ours_io) << " | " << speedup(n.notes_io) << " |\n";
    }
    md << "\n";
  }
  md << "| case | status | TPS | p50 us | p99 us | errors | server CPU % | server MiB | note |\n";
  md << "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
  for (const auto& r : rows) {
    char line[512];
    std::snprintf(line, sizeof line, "| %s | %s | %.0f | %.0f | %.0f | %s | %.0f | %.1f | %s |\n",
                  get(r, "case").c_str(), get(r, "status").c_str(), num(r, "tps"), num(r, "latency_p50_us"),
                  num(r, "latency_p99_us"), get(r, "errors_total").c_str(), num(r, "server_cpu_pct"),
                  num(r, "server_pss_peak_kb") / 1024,
                  (get(r, "reason") + (get(r, "generator_bottleneck") == "1" ? " load generator was the bottleneck" : ""))
                      .c_str());
    md << line;
  }
  if (!outcome.problems.empty()) {
    md << "\nCharts that failed:\n";
    for (const auto& p : outcome.problems) md << "- " << p << "\n";
  }
}

void write_html(const std::string& run_dir, const std::vector<Row>& rows, const ReportOutcome& outcome,
                const std::vector<NotesRow>& notes) {
  std::ofstream html(run_dir + "/report.html");
  std::string meta = read_file(run_dir + "/run.json");
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>netlab report</title>\n"
       << "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
          "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child,"
          "th:first-child{text-align:left}.failed{background:#fdd}img{max-width:100%;border:1px solid #eee}"
          "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}</style></head>\n<body>\n";
  html << "<h1>netlab report</h1>\n";
  int ok = 0;
  for (const auto& r : rows) ok += get(r, "status") == "ok";
  html << "<p>" << rows.size() << " cases, " << ok << " ok, " << rows.size() - ok
       << " not ok. Raw data beside this file: summary.csv, timeseries.csv, one .hgrm per case.</p>\n";
  html << "<h2>Charts</h2>\n";
  for (const auto& name : outcome.charts) {
    html << "<h3>" << html_escape(name) << "</h3>\n<img class=\"chart\" alt=\"" << html_escape(name)
         << "\" src=\"data:image/png;base64," << base64(read_file(run_dir + "/charts/" + name + ".png"))
         << "\"><p><a href=\"charts/" << html_escape(name) << ".svg\">SVG</a></p>\n";
  }
  for (const auto& p : outcome.problems) html << "<p class=\"failed\">chart failed: " << html_escape(p) << "</p>\n";
  if (!notes.empty()) {
    html << "<h2>CPU-bound vs IO-bound, beside the notes</h2>\n<p>Speed-up over the single server: ours from "
            "TPS (iterative_tcp = 1x), the notes' from their Python times (single 8.7 s / 4.9 s, processes "
            "4.2 s / 3.5 s, threads 12.5 s / 5.2 s).</p>\n<table><tr><th>approach</th><th>our model</th><th>ours "
            "CPU-bound</th><th>notes CPU-bound</th><th>ours IO-bound</th><th>notes IO-bound</th></tr>\n";
    for (const auto& n : notes) {
      html << "<tr><td>" << n.approach << "</td><td>" << n.model << "</td><td>" << speedup(n.ours_cpu) << "</td><td>"
           << speedup(n.notes_cpu) << "</td><td>" << speedup(n.ours_io) << "</td><td>" << speedup(n.notes_io)
           << "</td></tr>\n";
    }
    html << "</table>\n";
  }
  html << "<h2>Summary</h2>\n<table><tr>";
  const std::vector<std::pair<std::string, std::string>> cols = {
      {"case", "case"}, {"status", "status"}, {"tps", "TPS"}, {"latency_p50_us", "p50 us"},
      {"latency_p99_us", "p99 us"}, {"latency_p999_us", "p99.9 us"}, {"errors_total", "errors"},
      {"connections_established", "conns"}, {"server_cpu_pct", "server CPU %"},
      {"server_pss_peak_kb", "server PSS KiB"}, {"server_threads_peak", "threads"},
      {"server_processes_peak", "procs"}, {"generator_bottleneck", "gen. bottleneck"}, {"reason", "reason"}};
  for (const auto& c : cols) html << "<th>" << c.second << "</th>";
  html << "</tr>\n";
  for (const auto& r : rows) {
    html << "<tr" << (get(r, "status") != "ok" ? " class=\"failed\"" : "") << ">";
    for (const auto& c : cols) html << "<td>" << html_escape(get(r, c.first)) << "</td>";
    html << "</tr>\n";
  }
  html << "</table>\n<h2>Run metadata</h2>\n<pre>" << html_escape(meta) << "</pre>\n";
  // Lets a headless browser (and the tests) check that every embedded chart decoded.
  html << "<script>window.addEventListener('load',function(){var i=document.querySelectorAll('img.chart'),n=0;"
          "i.forEach(function(x){if(x.complete&&x.naturalWidth>0)n++;});"
          "document.body.setAttribute('data-charts-loaded',n+'/'+i.length);});</script>\n";
  html << "</body></html>\n";
}

}  // namespace

ReportOutcome make_report(const std::string& run_dir, const std::string& charts_script_dir) {
  ReportOutcome outcome;
  auto rows = read_rows(run_dir + "/summary.csv");
  auto series_rows = read_rows(run_dir + "/timeseries.csv");
  ChartMaker charts(run_dir, charts_script_dir);

  for (const auto& [proto, models] : scaling_rows(rows)) {
    std::vector<Series> scaling;
    std::set<int> levels;
    for (const auto& [model, by_conns] : models) {
      std::string file = charts.data_path("scaling-" + proto + "-" + model);
      std::ofstream out(file);
      for (const auto& [conns, reps] : by_conns) {
        levels.insert(conns);
        out << conns << " " << median_of(reps, "tps") << " " << median_of(reps, "latency_p50_us") << " "
            << median_of(reps, "latency_p99_us") << " " << median_of(reps, "server_cpu_pct") << " "
            << median_of(reps, "server_pss_peak_kb") / 1024 << "\n";
      }
      scaling.push_back({file, model});
    }
    charts.make("tps.gp", "tps-" + proto, "TPS vs connections (" + proto + ", closed loop)", scaling, outcome);
    charts.make("latency.gp", "latency-" + proto, "p50 and p99 latency vs connections (" + proto + ")", scaling,
                outcome);
    charts.make("server.gp", "server-" + proto, "Server CPU and memory vs connections (" + proto + ")", scaling,
                outcome);
    // Spectrum and timeline per connection level, first repetition of each model's case.
    for (int level : levels) {
      std::vector<Series> spectrum, timeline;
      for (const auto& [model, by_conns] : models) {
        auto it = by_conns.find(level);
        if (it == by_conns.end()) continue;
        const std::string id = get(it->second.front(), "case");
        if (std::ifstream(run_dir + "/" + id + ".hgrm")) {
          std::string file = charts.data_path("spectrum-" + id);
          hgrm_to_data(run_dir + "/" + id + ".hgrm", file);
          spectrum.push_back({file, model});
        }
        std::string file = charts.data_path("timeline-" + id);
        std::ofstream out(file);
        for (const auto& s : series_rows) {
          if (get(s, "label") == id) out << num(s, "second") << " " << num(s, "tps") << " " << num(s, "latency_p99_us") << "\n";
        }
        timeline.push_back({file, model});
      }
      std::string tag = proto + "-c" + std::to_string(level);
      charts.make("spectrum.gp", "spectrum-" + tag, "Latency spectrum (" + proto + ", " + std::to_string(level) +
                  " connections)", spectrum, outcome);
      charts.make("timeline.gp", "timeline-" + tag, "TPS and p99 over time (" + proto + ", " +
                  std::to_string(level) + " connections)", timeline, outcome);
    }
  }

  // CPU-bound vs IO-bound: per protocol and model, the TPS at the highest level measured of each.
  std::map<std::string, std::map<std::string, WorkloadTps>> work;
  std::map<std::string, std::map<std::string, std::pair<int, int>>> level_of;
  for (const auto& r : rows) {
    if (get(r, "status") != "ok") continue;
    bool cpu = num(r, "cpu_work_us") > 0, io = num(r, "io_delay_us") > 0;
    if (cpu == io) continue;
    auto& cell = work[get(r, "protocol")][get(r, "series")];
    auto& lvl = level_of[get(r, "protocol")][get(r, "series")];
    int conns = static_cast<int>(num(r, "connections"));
    int& best = cpu ? lvl.first : lvl.second;
    if (conns >= best) {
      best = conns;
      (cpu ? cell.cpu : cell.io) = num(r, "tps");
    }
  }
  for (const auto& [proto, models] : work) {
    std::string file = charts.data_path("workload-" + proto);
    std::ofstream out(file);
    for (const auto& [model, tps] : models) out << model << " " << tps.cpu << " " << tps.io << "\n";
    out.close();
    charts.make("workload.gp", "workload-" + proto, "CPU-bound vs IO-bound work by model (" + proto + ")",
                {{file, "tps"}}, outcome);
  }

  // The notes compared approaches on echo-like tasks: use the echo cases when there are any.
  std::vector<NotesRow> notes;
  if (auto it = work.find("echo"); it != work.end()) notes = compare_with_notes(it->second);
  write_markdown(run_dir + "/summary.md", rows, outcome, notes);
  write_html(run_dir, rows, outcome, notes);
  return outcome;
}

}  // namespace netlab::run
