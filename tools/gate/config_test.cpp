// The gate's config: defaults as documented, overrides key by key, new and disabled metrics, and
// errors that point at the line and column.
#include "tools/gate/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace netlab::gate {
namespace {

const MetricSpec* find(const GateConfig& c, const std::string& name) {
  for (const auto& m : c.metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string error_of(const std::string& text) {
  try {
    parse_config(text, "gate.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, Defaults) {
  auto c = default_config();
  EXPECT_EQ(c.confidence, 0.95);
  EXPECT_EQ(c.min_repetitions, 5);
  EXPECT_EQ(c.max_deterministic_spread, 0.01);
  ASSERT_EQ(c.metrics.size(), 9u);
  EXPECT_TRUE(find(c, "tps")->higher_is_better);
  EXPECT_EQ(find(c, "p99")->column, "latency_p99_us");
  EXPECT_EQ(find(c, "p99")->tolerance, 0.15);
  EXPECT_EQ(find(c, "error_rate")->derived, "error_rate");
  EXPECT_TRUE(find(c, "error_rate")->absolute);
  EXPECT_TRUE(find(c, "loadgen_instructions_per_req")->deterministic);
  EXPECT_FALSE(find(c, "server_cpu_per_req")->deterministic);
}

TEST(Config, OverridesKeyByKeyAddsAndDisables) {
  auto c = parse_config(R"(
confidence = 0.99
min_repetitions = 8
[metrics.tps]
tolerance = 0.02
[metrics.p50]
enabled = false
[metrics.p999]
column = "latency_p999_us"
better = "lower"
tolerance = 0.25
)",
                        "gate.toml");
  EXPECT_EQ(c.confidence, 0.99);
  EXPECT_EQ(c.min_repetitions, 8);
  EXPECT_EQ(find(c, "tps")->tolerance, 0.02);
  EXPECT_EQ(find(c, "tps")->column, "tps");  // untouched keys keep their defaults
  EXPECT_TRUE(find(c, "tps")->higher_is_better);
  EXPECT_EQ(find(c, "p50"), nullptr);
  ASSERT_NE(find(c, "p999"), nullptr);
  EXPECT_EQ(find(c, "p999")->column, "latency_p999_us");
  EXPECT_EQ(c.metrics.back().name, "p999");
}

TEST(Config, UnknownKeysAndBadValuesNameTheirLine) {
  EXPECT_EQ(error_of("confidence = 0.95\nconfidance = 0.9\n"), "gate.toml:2:1: unknown key 'confidance'");
  EXPECT_EQ(error_of("[metrics.tps]\nbetter = \"more\"\n"), "gate.toml:2:10: 'better' must be \"higher\" or \"lower\"");
  EXPECT_NE(error_of("\n\nconfidence = 1.5\n").find("gate.toml:3:"), std::string::npos);
  EXPECT_NE(error_of("min_repetitions = 2.5\n").find("gate.toml:1:"), std::string::npos);
  EXPECT_NE(error_of("[metrics.tps]\ntolerance = -1\n").find("gate.toml:2:"), std::string::npos);
  EXPECT_NE(error_of("[metrics.tps]\ncolour = 1\n").find("unknown key 'colour' in [metrics.tps]"), std::string::npos);
  EXPECT_NE(error_of("[metrics.new_one]\ncolumn = \"x\"\n").find("needs 'column'"), std::string::npos);
  EXPECT_NE(error_of("[metrics.x]\nderived = \"magic\"\n").find("'derived' must be"), std::string::npos);
  EXPECT_NE(error_of("confidence = \n").find("gate.toml:1:"), std::string::npos);  // TOML syntax
}

TEST(Config, ShippedFileEqualsTheDefaults) {
  auto shipped = load_config(NETLAB_SOURCE_DIR "/scenarios/gate-metrics.toml");
  auto defaults = default_config();
  EXPECT_EQ(shipped.confidence, defaults.confidence);
  EXPECT_EQ(shipped.min_repetitions, defaults.min_repetitions);
  EXPECT_EQ(shipped.max_deterministic_spread, defaults.max_deterministic_spread);
  ASSERT_EQ(shipped.metrics.size(), defaults.metrics.size());
  for (size_t i = 0; i < defaults.metrics.size(); ++i) {
    const auto &a = shipped.metrics[i], &b = defaults.metrics[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.column, b.column) << a.name;
    EXPECT_EQ(a.derived, b.derived) << a.name;
    EXPECT_EQ(a.higher_is_better, b.higher_is_better) << a.name;
    EXPECT_EQ(a.tolerance, b.tolerance) << a.name;
    EXPECT_EQ(a.absolute, b.absolute) << a.name;
    EXPECT_EQ(a.deterministic, b.deterministic) << a.name;
  }
}

TEST(Config, UnreadableFile) {
  EXPECT_THROW(load_config("/nonexistent/gate.toml"), ConfigError);
}

}  // namespace
}  // namespace netlab::gate
