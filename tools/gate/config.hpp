// What netlab-gate judges and how strictly: one MetricSpec per metric, and the statistical knobs.
// Built-in defaults (default_config) match scenarios/gate-metrics.toml; a --config file overrides
// them key by key.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace netlab::gate {

struct MetricSpec {
  std::string name;           // "tps", "p99", ...
  std::string column;         // summary.csv column; empty when `derived` is set
  std::string derived;        // "error_rate" = errors_total / (responses_ok + errors_total)
  bool higher_is_better = false;
  double tolerance = 0;       // relative (0.05 = 5%) unless `absolute`
  bool absolute = false;
  bool deterministic = false; // near-exact counts: compared by median ratio, no test
  // Judged against a run or baseline from the same CPU model only (an A/B run always is). For a
  // fleet whose CPUs change a figure: instruction counts can follow the CPU (glibc picks its string
  // functions by CPU features), though between this workplace's AMD EPYC and Intel Xeon VMs they
  // differed by 0.16% at most (docs/gating.md), so no default metric sets it.
  bool same_cpu = false;
};

struct GateConfig {
  double confidence = 0.95;
  int min_repetitions = 5;               // per side, for noisy (non-deterministic) metrics
  // max/min - 1 on one side before it counts as noisy: 1%, the deterministic tolerance. The load
  // generator's system calls include its main thread's 5 ms polling, so a loaded machine spreads
  // them by up to 0.7% (docs/gating.md).
  double max_deterministic_spread = 0.01;
  std::vector<MetricSpec> metrics;
};

// A config file error, "file:line:column: message".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

GateConfig default_config();
// Defaults overridden by the TOML text; throws ConfigError on unknown keys or bad values.
GateConfig parse_config(const std::string& text, const std::string& source);
GateConfig load_config(const std::string& path);

}  // namespace netlab::gate
