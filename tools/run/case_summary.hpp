// A run's rows per case: summary.csv's rows as maps, and each case's repetitions collapsed into
// median and min-max spreads, in the order people read a summary (protocol, connections, then
// TPS best first).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tools/run/chart_maker.hpp"

namespace netlab::run {

using Row = std::map<std::string, std::string>;

// A column of `r`: as text ("" when absent) and as a number (0 when absent or not a number).
std::string field(const Row& r, const std::string& key);
double field_num(const Row& r, const std::string& key);

// One case over its repetitions; the spreads cover the ok repetitions only.
struct CaseSpread {
  std::string key;  // the case id without -rep<n>, plus "@build" in A/B runs
  std::string protocol;
  int connections = 0;
  int repetitions = 0;
  int ok = 0;
  int generator_bound = 0;  // ok repetitions where the load generator was the bottleneck
  double errors = 0;        // summed over the ok repetitions
  Spread tps, p50_us, p99_us, cpu_pct, pss_kb;
  std::string note;  // why repetitions failed, connections never answered
};

// Timed cases (cost-only cases have their own table), sorted by protocol, connections, then median
// TPS, highest first (ties in order of first appearance).
std::vector<CaseSpread> by_case(const std::vector<Row>& rows);
// Whether any case was run more than once (spreads and the per-run table are worth showing).
bool has_repetitions(const std::vector<Row>& rows);

}  // namespace netlab::run
