#include "tools/run/summary_tables.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tools/run/suite.hpp"

namespace netlab::run {
namespace {

struct Table {
  std::vector<std::string> head;
  std::string align;  // 'l' or 'r' per column (Markdown)
  std::vector<std::vector<std::string>> body = {};
  std::vector<bool> failed = {};  // rows to mark (HTML)
};

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// Figures people read: whole numbers from 100 up, three significant digits below ("450", "12.5",
// "1.06", never "450.0"); latencies in whole microseconds (loopback latencies here run from 5 µs
// to a few ms: "0.005 ms" reads worse than "5"); memory in MiB.
std::string rounded(double v) { return fmt(v >= 100 || v <= -100 ? "%.0f" : "%.3g", v); }
std::string us(double v) { return fmt("%.0f", v); }
std::string mib(double kb) { return rounded(kb / 1024); }
std::string speedup(double v) { return v > 0 ? fmt("%.2fx", v) : "-"; }

// `dash` between min and max: ".." in Markdown (one byte, so columns line up in a terminal),
// an en dash in HTML.
template <typename Unit>
std::string span(const Spread& s, Unit unit, const char* dash) {
  return unit(s.min) + dash + unit(s.max);
}

// One row per case, sorted (case_summary.hpp). The spread columns only when cases were repeated.
Table summary_table(const std::vector<CaseSpread>& cases, bool repeated, const char* dash) {
  Table t;
  t.head = {"case"};
  if (repeated) t.head.push_back("runs ok");
  t.head.push_back("TPS (1/s)");
  if (repeated) t.head.insert(t.head.end(), {"TPS min" + std::string(dash) + "max", "TPS spread (%)"});
  t.head.insert(t.head.end(), {"p50 (µs)", "p99 (µs)"});
  if (repeated) t.head.push_back("p99 min" + std::string(dash) + "max (µs)");
  t.head.insert(t.head.end(), {"errors", "server CPU (%)", "server PSS (MiB)", "note"});
  t.align = "l" + std::string(t.head.size() - 2, 'r') + "l";
  for (const auto& c : cases) {
    std::vector<std::string> row = {c.key};
    const bool any = c.ok > 0;
    if (repeated) row.push_back(std::to_string(c.ok) + "/" + std::to_string(c.repetitions));
    row.push_back(any ? rounded(c.tps.median) : "-");
    if (repeated) {
      row.push_back(any ? span(c.tps, rounded, dash) : "-");
      row.push_back(any && c.tps.median > 0 ? rounded((c.tps.max - c.tps.min) / c.tps.median * 100) : "-");
    }
    row.push_back(any ? us(c.p50_us.median) : "-");
    row.push_back(any ? us(c.p99_us.median) : "-");
    if (repeated) row.push_back(any ? span(c.p99_us, us, dash) : "-");
    row.push_back(any ? fmt("%.0f", c.errors) : "-");
    row.push_back(any ? fmt("%.0f", c.cpu_pct.median) : "-");
    row.push_back(any ? mib(c.pss_kb.median) : "-");
    std::string note = c.note;
    if (c.generator_bound > 0) {
      std::string bound = "generator-bound" +
                          (repeated ? " in " + std::to_string(c.generator_bound) + " of " + std::to_string(c.ok) + " runs"
                                    : std::string());
      note = note.empty() ? bound : bound + "; " + note;
    }
    row.push_back(note);
    t.body.push_back(row);
    t.failed.push_back(c.ok < c.repetitions);
  }
  return t;
}

// Every summary.csv row in run order, rounded, with the columns the summary leaves out.
Table every_run_table(const std::vector<Row>& rows) {
  const bool unanswered =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return field_num(r, "conns_unanswered") > 0; });
  Table t;
  t.head = {"run", "status", "TPS (1/s)", "p50 (µs)", "p99 (µs)", "p99.9 (µs)", "errors", "conns", "server CPU (%)",
            "server PSS (MiB)", "threads", "procs", "generator-bound"};
  if (unanswered) t.head.push_back("unanswered conns");
  t.head.push_back("reason");
  t.align = "ll" + std::string(t.head.size() - 3, 'r') + "l";
  for (const auto& r : rows) {
    if (field(r, "status") == "ok" && field(r, "tps").empty()) continue;  // cost-only: its own table
    const bool measured = !field(r, "tps").empty();
    auto num = [&](const std::string& key, std::string (*unit)(double)) {
      return measured ? unit(field_num(r, key)) : std::string("-");
    };
    auto whole = [](double v) { return fmt("%.0f", v); };
    std::vector<std::string> row = {field(r, "case") + (field(r, "build").empty() ? "" : "@" + field(r, "build")),
                                    field(r, "status"), num("tps", rounded), num("latency_p50_us", us),
                                    num("latency_p99_us", us), num("latency_p999_us", us), num("errors_total", whole),
                                    num("connections_established", whole), whole(field_num(r, "server_cpu_pct")),
                                    mib(field_num(r, "server_pss_peak_kb")), field(r, "server_threads_peak"),
                                    field(r, "server_processes_peak"),
                                    field(r, "generator_bottleneck") == "1" ? "yes" : ""};
    if (unanswered) row.push_back(field(r, "conns_unanswered"));
    row.push_back(field(r, "reason"));
    t.body.push_back(row);
    t.failed.push_back(field(r, "status") != "ok");
  }
  return t;
}

Table notes_table(const std::vector<NotesRow>& notes) {
  Table t{{"approach", "our model", "ours CPU-bound", "notes CPU-bound", "ours IO-bound", "notes IO-bound"}, "llrrrr"};
  for (const auto& n : notes) {
    t.body.push_back({n.approach, n.model, speedup(n.ours_cpu), speedup(n.notes_cpu), speedup(n.ours_io),
                      speedup(n.notes_io)});
  }
  return t;
}

// The deterministic per-request costs of the cases that counted them ("measure = cost"), median
// over their repetitions: the notes' select/poll/epoll/io_uring lesson in system calls.
Table cost_table(const std::vector<Row>& rows) {
  static const char* kColumns[] = {"server_syscalls_per_req", "server_instructions_per_req",
                                   "loadgen_syscalls_per_req", "loadgen_instructions_per_req"};
  Table t{{"case", "server syscalls/req", "server instructions/req", "loadgen syscalls/req", "loadgen instructions/req"},
          "lrrrr"};
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
  for (const auto& key : order) {
    std::vector<std::string> line = {key};
    for (const auto& v : values[key]) line.push_back(v.empty() ? "-" : fmt(median(v) < 100 ? "%.3f" : "%.1f", median(v)));
    t.body.push_back(line);
  }
  return t;
}

// How many characters a terminal shows for UTF-8 `text` ("µs" is two, in three bytes).
size_t shown_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
}

// A Markdown table padded to column widths: readable as plain text too.
std::string md_table(const Table& t) {
  std::vector<size_t> width(t.head.size(), 3);
  for (size_t c = 0; c < t.head.size(); ++c) width[c] = std::max(width[c], shown_width(t.head[c]));
  for (const auto& row : t.body) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], shown_width(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (size_t c = 0; c < width.size(); ++c) {
      std::string cell = c < cells.size() ? cells[c] : "";
      std::string pad(width[c] - shown_width(cell), ' ');
      out += " " + (t.align[c] == 'r' ? pad + cell : cell + pad) + " |";
    }
    return out + "\n";
  };
  std::string out = line(t.head) + "|";
  for (size_t c = 0; c < width.size(); ++c) {
    out += t.align[c] == 'r' ? " " + std::string(width[c] - 1, '-') + ": |" : " " + std::string(width[c], '-') + " |";
  }
  out += "\n";
  for (const auto& row : t.body) out += line(row);
  return out;
}

std::string html_table(const Table& t) {
  std::string out = "<table><tr>";
  for (const auto& h : t.head) out += "<th>" + html_escape(h) + "</th>";
  out += "</tr>\n";
  for (size_t i = 0; i < t.body.size(); ++i) {
    out += i < t.failed.size() && t.failed[i] ? "<tr class=\"failed\">" : "<tr>";
    for (const auto& cell : t.body[i]) out += "<td>" + html_escape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

const char* kSummaryWhat = "One row per case, by protocol, then connections, then TPS (highest first)";
const char* kSpreadWhat = "; median over the ok repetitions, with their min and max";

}  // namespace

std::string interrupted_note(const std::vector<std::string>& interrupted) {
  std::string text = "Interrupted, left out of the tables and charts (their rows stay in summary.csv):";
  for (size_t i = 0; i < interrupted.size(); ++i) text += (i ? ", " : " ") + interrupted[i];
  return text;
}

void write_markdown(const std::string& path, const std::vector<Row>& rows, const std::vector<std::string>& problems,
                    const std::vector<NotesRow>& notes, const std::vector<std::string>& interrupted) {
  std::ofstream md(path);
  const bool repeated = has_repetitions(rows);
  if (!notes.empty()) {
    md << "CPU-bound vs IO-bound, speed-up over the single server (ours: TPS; the notes: Python times)\n\n"
       << md_table(notes_table(notes)) << "\n";
  }
  md << kSummaryWhat << (repeated ? kSpreadWhat : "") << "\n\n" << md_table(summary_table(by_case(rows), repeated, ".."));
  if (auto costs = cost_table(rows); !costs.body.empty()) {
    md << "\nPer-request costs, counted over a fixed number of requests (median over repetitions)\n\n"
       << md_table(costs);
  }
  if (repeated) md << "\nEvery run\n\n" << md_table(every_run_table(rows));
  if (!interrupted.empty()) md << "\n" << interrupted_note(interrupted) << "\n";
  if (!problems.empty()) {
    md << "\nCharts that failed:\n";
    for (const auto& p : problems) md << "- " << p << "\n";
  }
}

std::string html_summary(const std::vector<Row>& rows) {
  const bool repeated = has_repetitions(rows);
  return "<h2>Summary</h2>\n<p>" + std::string(kSummaryWhat) + (repeated ? kSpreadWhat : "") +
         (repeated ? "; the charts' error bars show the same spread" : "") + ". Rows in red had a failed run.</p>\n" +
         html_table(summary_table(by_case(rows), repeated, "–"));
}

std::string html_details(const std::vector<Row>& rows, const std::vector<NotesRow>& notes) {
  std::ostringstream html;
  if (auto costs = cost_table(rows); !costs.body.empty()) {
    html << "<h2>Per-request costs</h2>\n<p>System calls (perf stat's raw_syscalls:sys_enter) and instructions "
            "(callgrind) per request, counted over a fixed number of requests as the difference of two runs; "
            "median over repetitions. They do not move with machine noise, so the gate holds them to 1%.</p>\n"
         << html_table(costs);
  }
  if (!notes.empty()) {
    html << "<h2>CPU-bound vs IO-bound, beside the notes</h2>\n<p>Speed-up over the single server: ours from "
            "TPS (iterative_tcp = 1x), the notes' from their Python times (single 8.7 s / 4.9 s, processes "
            "4.2 s / 3.5 s, threads 12.5 s / 5.2 s).</p>\n"
         << html_table(notes_table(notes));
  }
  html << "<h2>Every run</h2>\n<p>Each summary.csv row in the order it ran (all its columns are in the file).</p>\n"
       << html_table(every_run_table(rows));
  return html.str();
}

}  // namespace netlab::run
