#include "tools/gate/config.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace netlab::gate {
namespace {

[[noreturn]] void fail(const std::string& source, const toml::source_region& where, const std::string& message) {
  throw ConfigError(source + ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column) + ": " +
                    message);
}

double number(const std::string& source, const toml::node& n, const std::string& key, double min, double max) {
  std::optional<double> v = n.value<double>();  // integers convert too
  if (!n.is_number() || !v || *v < min || *v > max) {
    fail(source, n.source(), "'" + key + "' must be a number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return *v;
}

bool boolean(const std::string& source, const toml::node& n, const std::string& key) {
  if (!n.is_boolean()) fail(source, n.source(), "'" + key + "' must be true or false");
  return n.as_boolean()->get();
}

std::string string(const std::string& source, const toml::node& n, const std::string& key) {
  if (!n.is_string()) fail(source, n.source(), "'" + key + "' must be a string");
  return n.as_string()->get();
}

// Applies one [metrics.<name>] table to `spec` (a default being overridden, or a new metric).
// Returns false when the table says enabled = false.
bool apply_metric(const std::string& source, const toml::table& t, MetricSpec& spec) {
  bool enabled = true;
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (k == "column") {
      spec.column = string(source, node, k);
      spec.derived.clear();
    } else if (k == "derived") {
      spec.derived = string(source, node, k);
      if (spec.derived != "error_rate") fail(source, node.source(), "'derived' must be \"error_rate\"");
      spec.column.clear();
    } else if (k == "better") {
      std::string b = string(source, node, k);
      if (b != "higher" && b != "lower") fail(source, node.source(), "'better' must be \"higher\" or \"lower\"");
      spec.higher_is_better = b == "higher";
    } else if (k == "tolerance") {
      spec.tolerance = number(source, node, k, 0, 1e12);
    } else if (k == "absolute") {
      spec.absolute = boolean(source, node, k);
    } else if (k == "deterministic") {
      spec.deterministic = boolean(source, node, k);
    } else if (k == "same_cpu") {
      spec.same_cpu = boolean(source, node, k);
    } else if (k == "enabled") {
      enabled = boolean(source, node, k);
    } else {
      fail(source, key.source(), "unknown key '" + k + "' in [metrics." + spec.name + "]");
    }
  }
  return enabled;
}

MetricSpec metric(std::string name, std::string column, bool higher, double tolerance, bool deterministic = false) {
  MetricSpec m;
  m.name = std::move(name);
  m.column = std::move(column);
  m.higher_is_better = higher;
  m.tolerance = tolerance;
  m.deterministic = deterministic;
  return m;
}

}  // namespace

GateConfig default_config() {
  GateConfig c;
  c.metrics.push_back(metric("tps", "tps", true, 0.05));
  c.metrics.push_back(metric("p50", "latency_p50_us", false, 0.10));
  c.metrics.push_back(metric("p99", "latency_p99_us", false, 0.15));
  MetricSpec errors = metric("error_rate", "", false, 0.001);
  errors.derived = "error_rate";
  errors.absolute = true;
  c.metrics.push_back(errors);
  c.metrics.push_back(metric("server_cpu_per_req", "server_cpu_us_per_req", false, 0.05));
  for (const char* name : {"server_syscalls_per_req", "server_instructions_per_req", "loadgen_syscalls_per_req",
                           "loadgen_instructions_per_req"}) {
    c.metrics.push_back(metric(name, name, false, 0.01, true));
  }
  return c;
}

GateConfig parse_config(const std::string& text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    fail(source, e.source(), std::string(e.description()));
  }
  GateConfig config = default_config();
  std::set<std::string> disabled;
  for (const auto& [key, node] : root) {
    const std::string k(key.str());
    if (k == "confidence") {
      config.confidence = number(source, node, k, 0.5, 0.9999);
    } else if (k == "min_repetitions") {
      if (!node.is_integer()) fail(source, node.source(), "'min_repetitions' must be an integer from 1 to 1000");
      config.min_repetitions = static_cast<int>(number(source, node, k, 1, 1000));
    } else if (k == "max_deterministic_spread") {
      config.max_deterministic_spread = number(source, node, k, 0, 1e6);
    } else if (k == "metrics") {
      if (!node.is_table()) fail(source, node.source(), "'metrics' must be a table of [metrics.<name>] tables");
      for (const auto& [mkey, mnode] : *node.as_table()) {
        const std::string name(mkey.str());
        if (!mnode.is_table()) fail(source, mnode.source(), "'metrics." + name + "' must be a table");
        auto it = std::find_if(config.metrics.begin(), config.metrics.end(),
                               [&](const MetricSpec& m) { return m.name == name; });
        bool is_new = it == config.metrics.end();
        MetricSpec spec;
        if (is_new) {
          spec.name = name;
        } else {
          spec = *it;
        }
        const toml::table& t = *mnode.as_table();
        if (!apply_metric(source, t, spec)) disabled.insert(name);
        if (is_new && ((!t.contains("column") && !t.contains("derived")) || !t.contains("better") ||
                       !t.contains("tolerance"))) {
          fail(source, mnode.source(), "new metric '" + name + "' needs 'column' (or 'derived'), 'better' and 'tolerance'");
        }
        if (is_new) {
          config.metrics.push_back(spec);
        } else {
          *it = spec;
        }
      }
    } else {
      fail(source, key.source(), "unknown key '" + k + "'");
    }
  }
  std::erase_if(config.metrics, [&](const MetricSpec& m) { return disabled.count(m.name) > 0; });
  return config;
}

GateConfig load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot read the config file");
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

}  // namespace netlab::gate
