#include "tools/run/summary_tables.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tools/run/suite.hpp"

namespace netlab::run {
namespace {

using Table = std::vector<std::vector<std::string>>;

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// "1200..1350": ASCII, so the Markdown columns line up in a terminal.
std::string range(const Spread& s, const char* format) { return fmt(format, s.min) + ".." + fmt(format, s.max); }

// Width of the range relative to the median, the quick read of how noisy a case was.
std::string range_pct(const Spread& s) { return s.median > 0 ? fmt("%.1f%%", (s.max - s.min) / s.median * 100) : "-"; }

std::string speedup(double v) { return v > 0 ? fmt("%.2fx", v) : "-"; }

// A Markdown table padded to column widths: readable as plain text too. `align` holds 'l' or 'r'
// per column.
std::string md_table(const std::vector<std::string>& head, const std::string& align, const Table& body) {
  std::vector<size_t> width(head.size(), 3);
  for (size_t c = 0; c < head.size(); ++c) width[c] = std::max(width[c], head[c].size());
  for (const auto& row : body) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (size_t c = 0; c < width.size(); ++c) {
      std::string cell = c < cells.size() ? cells[c] : "";
      std::string pad(width[c] - cell.size(), ' ');
      out += " " + (align[c] == 'r' ? pad + cell : cell + pad) + " |";
    }
    return out + "\n";
  };
  std::string out = line(head) + "|";
  for (size_t c = 0; c < width.size(); ++c) {
    out += align[c] == 'r' ? " " + std::string(width[c] - 1, '-') + ": |" : " " + std::string(width[c], '-') + " |";
  }
  out += "\n";
  for (const auto& row : body) out += line(row);
  return out;
}

std::string html_table(const std::vector<std::string>& head, const Table& body, const std::vector<bool>& failed) {
  std::string out = "<table><tr>";
  for (const auto& h : head) out += "<th>" + html_escape(h) + "</th>";
  out += "</tr>\n";
  for (size_t i = 0; i < body.size(); ++i) {
    out += i < failed.size() && failed[i] ? "<tr class=\"failed\">" : "<tr>";
    for (const auto& cell : body[i]) out += "<td>" + html_escape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

const std::vector<std::string> kCaseHead = {"case", "ok", "TPS median", "TPS min..max", "TPS range",
                                            "p50 us", "p99 us median", "p99 us min..max", "server CPU %"};

Table case_table(const std::vector<CaseSpread>& cases) {
  Table t;
  for (const auto& c : cases) {
    t.push_back({c.key, std::to_string(c.ok) + "/" + std::to_string(c.repetitions), fmt("%.0f", c.tps.median),
                 range(c.tps, "%.0f"), range_pct(c.tps), fmt("%.0f", c.p50_us.median), fmt("%.0f", c.p99_us.median),
                 range(c.p99_us, "%.0f"), fmt("%.0f", c.cpu_pct.median)});
  }
  return t;
}

const std::vector<std::string> kNotesHead = {"approach", "our model", "ours CPU-bound", "notes CPU-bound",
                                             "ours IO-bound", "notes IO-bound"};

Table notes_table(const std::vector<NotesRow>& notes) {
  Table t;
  for (const auto& n : notes) {
    t.push_back({n.approach, n.model, speedup(n.ours_cpu), speedup(n.notes_cpu), speedup(n.ours_io),
                 speedup(n.notes_io)});
  }
  return t;
}

// The deterministic per-request costs of the cases that counted them ("measure = cost"), median
// over their repetitions: the notes' select/poll/epoll/io_uring lesson in system calls.
const std::vector<std::string> kCostHead = {"case", "server syscalls/req", "server instructions/req",
                                            "loadgen syscalls/req", "loadgen instructions/req"};

Table cost_table(const std::vector<Row>& rows) {
  static const char* kColumns[] = {"server_syscalls_per_req", "server_instructions_per_req",
                                   "loadgen_syscalls_per_req", "loadgen_instructions_per_req"};
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::vector<double>>> values;
  for (const auto& r : rows) {
    if (field(r, "status") != "ok" || field(r, "server_syscalls_per_req").empty()) continue;
    auto key = case_key(field(r, "case")) + (field(r, "build").empty() ? "" : "@" + field(r, "build"));
    auto [it, fresh] = values.try_emplace(key, std::vector<std::vector<double>>(std::size(kColumns)));
    if (fresh) order.push_back(key);
    for (size_t c = 0; c < std::size(kColumns); ++c) {
      if (!field(r, kColumns[c]).empty()) it->second[c].push_back(field_num(r, kColumns[c]));
    }
  }
  Table t;
  for (const auto& key : order) {
    std::vector<std::string> line = {key};
    for (const auto& v : values[key]) line.push_back(v.empty() ? "-" : fmt(median(v) < 100 ? "%.3f" : "%.1f", median(v)));
    t.push_back(line);
  }
  return t;
}

// Connections that got no answer in the measured window: a server that starves some clients
// while serving others looks healthy by TPS alone.
std::string unanswered_note(const Row& r) {
  if (field_num(r, "conns_unanswered") <= 0) return "";
  return field(r, "conns_unanswered") + " of " + field(r, "connections_established") + " connections never answered";
}

std::string row_note(const Row& r) {
  std::string note = field(r, "reason");
  for (const std::string& more : {field(r, "generator_bottleneck") == "1" ? "load generator was the bottleneck"
                                                                          : std::string(),
                                  unanswered_note(r)}) {
    if (!more.empty()) note += (note.empty() ? "" : "; ") + more;
  }
  return note;
}

}  // namespace

std::string field(const Row& r, const std::string& key) {
  auto it = r.find(key);
  return it == r.end() ? "" : it->second;
}

double field_num(const Row& r, const std::string& key) {
  auto it = r.find(key);
  if (it == r.end() || it->second.empty()) return 0;
  try {
    return std::stod(it->second);
  } catch (...) {
    return 0;
  }
}

std::vector<CaseSpread> by_case(const std::vector<Row>& rows) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Row*>> groups;
  for (const auto& r : rows) {
    if (field(r, "status") == "ok" && field(r, "tps").empty()) continue;  // cost-only: its own table
    // In an A/B run each build is its own case: their figures are compared, never pooled.
    auto key = case_key(field(r, "case")) + (field(r, "build").empty() ? "" : "@" + field(r, "build"));
    if (groups.find(key) == groups.end()) order.push_back(key);
    groups[key].push_back(&r);
  }
  std::vector<CaseSpread> out;
  for (const auto& key : order) {
    CaseSpread c;
    c.key = key;
    std::vector<double> tps, p50, p99, cpu;
    for (const Row* r : groups[key]) {
      ++c.repetitions;
      if (field(*r, "status") != "ok") continue;
      ++c.ok;
      tps.push_back(field_num(*r, "tps"));
      p50.push_back(field_num(*r, "latency_p50_us"));
      p99.push_back(field_num(*r, "latency_p99_us"));
      cpu.push_back(field_num(*r, "server_cpu_pct"));
    }
    c.tps = spread(tps), c.p50_us = spread(p50), c.p99_us = spread(p99), c.cpu_pct = spread(cpu);
    out.push_back(c);
  }
  return out;
}

bool has_repetitions(const std::vector<Row>& rows) {
  for (const auto& c : by_case(rows)) {
    if (c.repetitions > 1) return true;
  }
  return false;
}

std::string interrupted_note(const std::vector<std::string>& interrupted) {
  std::string text = "Interrupted, left out of the tables and charts (their rows stay in summary.csv):";
  for (size_t i = 0; i < interrupted.size(); ++i) text += (i ? ", " : " ") + interrupted[i];
  return text;
}

void write_markdown(const std::string& path, const std::vector<Row>& rows, const std::vector<std::string>& problems,
                    const std::vector<NotesRow>& notes, const std::vector<std::string>& interrupted) {
  std::ofstream md(path);
  if (!notes.empty()) {
    md << "CPU-bound vs IO-bound, speed-up over the single server (ours: TPS; the notes: Python times)\n\n"
       << md_table(kNotesHead, "llrrrr", notes_table(notes)) << "\n";
  }
  if (has_repetitions(rows)) {
    md << "By case: median and min..max over the ok repetitions\n\n"
       << md_table(kCaseHead, "lrrrrrrrr", case_table(by_case(rows))) << "\nEvery run\n\n";
  }
  if (auto costs = cost_table(rows); !costs.empty()) {
    md << "Per-request costs, counted over a fixed number of requests (median over repetitions)\n\n"
       << md_table(kCostHead, "lrrrr", costs) << "\n";
  }
  Table t;
  for (const auto& r : rows) {
    t.push_back({field(r, "case"), field(r, "status"), fmt("%.0f", field_num(r, "tps")),
                 fmt("%.0f", field_num(r, "latency_p50_us")), fmt("%.0f", field_num(r, "latency_p99_us")),
                 field(r, "errors_total"), fmt("%.0f", field_num(r, "server_cpu_pct")),
                 fmt("%.1f", field_num(r, "server_pss_peak_kb") / 1024), row_note(r)});
  }
  md << md_table({"case", "status", "TPS", "p50 us", "p99 us", "errors", "server CPU %", "server MiB", "note"},
                 "llrrrrrrl", t);
  if (!interrupted.empty()) md << "\n" << interrupted_note(interrupted) << "\n";
  if (!problems.empty()) {
    md << "\nCharts that failed:\n";
    for (const auto& p : problems) md << "- " << p << "\n";
  }
}

std::string html_tables(const std::vector<Row>& rows, const std::vector<NotesRow>& notes) {
  std::ostringstream html;
  if (has_repetitions(rows)) {
    auto cases = by_case(rows);
    std::vector<bool> failed;
    for (const auto& c : cases) failed.push_back(c.ok < c.repetitions);
    html << "<h2>By case</h2>\n<p>Median and min..max over each case's ok repetitions; the charts' error bars show "
            "the same spread.</p>\n"
         << html_table(kCaseHead, case_table(cases), failed);
  }
  if (auto costs = cost_table(rows); !costs.empty()) {
    html << "<h2>Per-request costs</h2>\n<p>System calls (perf stat's raw_syscalls:sys_enter) and instructions "
            "(callgrind) per request, counted over a fixed number of requests as the difference of two runs; "
            "median over repetitions. They do not move with machine noise, so the gate holds them to 1%.</p>\n"
         << html_table(kCostHead, costs, {});
  }
  if (!notes.empty()) {
    html << "<h2>CPU-bound vs IO-bound, beside the notes</h2>\n<p>Speed-up over the single server: ours from "
            "TPS (iterative_tcp = 1x), the notes' from their Python times (single 8.7 s / 4.9 s, processes "
            "4.2 s / 3.5 s, threads 12.5 s / 5.2 s).</p>\n"
         << html_table(kNotesHead, notes_table(notes), {});
  }
  const std::vector<std::pair<std::string, std::string>> cols = {
      {"case", "case"}, {"status", "status"}, {"tps", "TPS"}, {"latency_p50_us", "p50 us"},
      {"latency_p99_us", "p99 us"}, {"latency_p999_us", "p99.9 us"}, {"errors_total", "errors"},
      {"connections_established", "conns"}, {"server_cpu_pct", "server CPU %"},
      {"server_pss_peak_kb", "server PSS KiB"}, {"server_threads_peak", "threads"},
      {"server_processes_peak", "procs"}, {"generator_bottleneck", "gen. bottleneck"}, {"reason", "reason"}};
  std::vector<std::pair<std::string, std::string>> shown = cols;
  if (std::any_of(rows.begin(), rows.end(), [](const Row& r) { return field_num(r, "conns_unanswered") > 0; })) {
    shown.insert(shown.end() - 1, {"conns_unanswered", "unanswered conns"});  // before the reason
  }
  std::vector<std::string> head;
  for (const auto& c : shown) head.push_back(c.second);
  Table t;
  std::vector<bool> failed;
  for (const auto& r : rows) {
    t.emplace_back();
    for (const auto& c : shown) t.back().push_back(field(r, c.first));
    failed.push_back(field(r, "status") != "ok");
  }
  html << "<h2>" << (has_repetitions(rows) ? "Every run" : "Summary") << "</h2>\n" << html_table(head, t, failed);
  return html.str();
}

}  // namespace netlab::run
