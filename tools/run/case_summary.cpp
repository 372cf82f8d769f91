#include "tools/run/case_summary.hpp"

#include <algorithm>

#include "tools/run/suite.hpp"

namespace netlab::run {
namespace {

// Connections that got no answer in the measured window: a server that starves some clients
// while serving others looks healthy by TPS alone.
std::string unanswered_note(const Row& r) {
  if (field_num(r, "conns_unanswered") <= 0) return "";
  return field(r, "conns_unanswered") + " of " + field(r, "connections_established") + " connections never answered";
}

void add_note(std::string& note, const std::string& more) {
  if (!more.empty() && note.find(more) == std::string::npos) note += (note.empty() ? "" : "; ") + more;
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
    c.protocol = field(*groups[key].front(), "protocol");
    c.connections = static_cast<int>(field_num(*groups[key].front(), "connections"));
    std::vector<double> tps, p50, p99, cpu, pss;
    for (const Row* r : groups[key]) {
      ++c.repetitions;
      add_note(c.note, unanswered_note(*r));
      if (field(*r, "status") != "ok") {
        add_note(c.note, field(*r, "status") + (field(*r, "reason").empty() ? "" : ": " + field(*r, "reason")));
        continue;
      }
      ++c.ok;
      c.generator_bound += field(*r, "generator_bottleneck") == "1";
      c.errors += field_num(*r, "errors_total");
      tps.push_back(field_num(*r, "tps"));
      p50.push_back(field_num(*r, "latency_p50_us"));
      p99.push_back(field_num(*r, "latency_p99_us"));
      cpu.push_back(field_num(*r, "server_cpu_pct"));
      pss.push_back(field_num(*r, "server_pss_peak_kb"));
    }
    c.tps = spread(tps), c.p50_us = spread(p50), c.p99_us = spread(p99);
    c.cpu_pct = spread(cpu), c.pss_kb = spread(pss);
    out.push_back(c);
  }
  std::stable_sort(out.begin(), out.end(), [](const CaseSpread& a, const CaseSpread& b) {
    if (a.protocol != b.protocol) return a.protocol < b.protocol;
    if (a.connections != b.connections) return a.connections < b.connections;
    return a.tps.median > b.tps.median;
  });
  return out;
}

bool has_repetitions(const std::vector<Row>& rows) {
  for (const auto& c : by_case(rows)) {
    if (c.repetitions > 1) return true;
  }
  return false;
}

}  // namespace netlab::run
