// The verdict table branch by branch, on constructed samples whose answer is known, then whole
// comparisons from summary rows (missing and failed cases, A/B pairing) and the exit codes.
#include "tools/gate/judge.hpp"

#include <gtest/gtest.h>

namespace netlab::gate {
namespace {

GateConfig config() { return default_config(); }

MetricSpec spec(const std::string& name) {
  for (const auto& m : default_config().metrics) {
    if (m.name == name) return m;
  }
  throw std::runtime_error("no metric " + name);
}

// `n` samples around `centre`, spread evenly over +-`noise` (a fraction of centre).
std::vector<double> around(double centre, double noise, int n = 7) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(centre * (1 + noise * (2.0 * i / (n - 1) - 1)));
  // Interleave so order carries no information.
  std::vector<double> out;
  for (int i = 0; i < n; i += 2) out.push_back(v[static_cast<size_t>(i)]);
  for (int i = 1; i < n; i += 2) out.push_back(v[static_cast<size_t>(i)]);
  return out;
}

TEST(JudgeMetric, TenPercentLessThroughputRegresses) {
  auto j = judge_metric(spec("tps"), around(1000, 0.01), around(900, 0.01), false, config());
  EXPECT_EQ(j.verdict, Verdict::regressed) << j.note;
  EXPECT_NEAR(j.change, -0.10, 0.005);
  EXPECT_LT(j.ci_high, 0);
  EXPECT_LT(j.p_value, 0.01);
  EXPECT_EQ(j.method, "mann-whitney");
  EXPECT_EQ(j.direction, "higher");
}

TEST(JudgeMetric, TenPercentMoreThroughputImproves) {
  auto j = judge_metric(spec("tps"), around(1000, 0.01), around(1100, 0.01), false, config());
  EXPECT_EQ(j.verdict, Verdict::improved) << j.note;
}

TEST(JudgeMetric, LowerIsBetterLatencyRegressesWhenItGrows) {
  auto j = judge_metric(spec("p99"), around(500, 0.02), around(600, 0.02), false, config());
  EXPECT_EQ(j.verdict, Verdict::regressed) << j.note;
  EXPECT_GT(j.change, 0.15);
  j = judge_metric(spec("p99"), around(500, 0.02), around(400, 0.02), false, config());
  EXPECT_EQ(j.verdict, Verdict::improved) << j.note;
}

// A/A: the same noisy samples on both sides, noise well within tolerance: unchanged, not noisy.
TEST(JudgeMetric, IdenticalNoisySamplesAreUnchanged) {
  auto v = around(1000, 0.015);
  auto j = judge_metric(spec("tps"), v, v, false, config());
  EXPECT_EQ(j.verdict, Verdict::unchanged) << j.note;
  EXPECT_NEAR(j.change, 0, 1e-12);
  EXPECT_GE(j.ci_low, -0.05);
  EXPECT_LE(j.ci_high, 0.05);
}

TEST(JudgeMetric, RealChangeWithinToleranceIsUnchanged) {
  auto j = judge_metric(spec("tps"), around(1000, 0.002), around(980, 0.002), false, config());
  EXPECT_EQ(j.verdict, Verdict::unchanged);
  EXPECT_LT(j.ci_high, 0);  // the change is real...
  EXPECT_NE(j.note.find("within tolerance"), std::string::npos) << j.note;  // ...and small
}

// A clear shift whose estimate is within the 5% tolerance but whose interval reaches past it: the
// gate cannot say the change is small enough, so it says too noisy rather than unchanged.
TEST(JudgeMetric, RealChangeWhoseIntervalPassesTheToleranceIsTooNoisy) {
  std::vector<double> base = {1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007};
  std::vector<double> current = {900, 935, 960, 975, 985, 990, 995, 999};
  auto j = judge_metric(spec("tps"), base, current, false, config());
  EXPECT_LT(j.ci_high, 0) << "the change is real";
  EXPECT_GE(j.change, -0.05) << "its estimate is within tolerance";
  EXPECT_LT(j.ci_low, -0.05) << "its interval is not";
  EXPECT_EQ(j.verdict, Verdict::too_noisy);
  EXPECT_NE(j.note.find("reaches beyond the tolerance"), std::string::npos) << j.note;
}

TEST(JudgeMetric, WideNoiseStraddlingTheToleranceIsTooNoisy) {
  auto j = judge_metric(spec("tps"), around(1000, 0.3), around(1000, 0.3), false, config());
  EXPECT_EQ(j.verdict, Verdict::too_noisy);
  EXPECT_NE(j.note.find("straddles"), std::string::npos) << j.note;
}

TEST(JudgeMetric, FewerThanMinRepetitionsIsTooNoisy) {
  auto j = judge_metric(spec("tps"), around(1000, 0.01, 4), around(900, 0.01, 4), false, config());
  EXPECT_EQ(j.verdict, Verdict::too_noisy);
  EXPECT_EQ(j.note, "4 repetitions cannot reach 95% confidence; need 5 (min_repetitions)");
}

TEST(JudgeMetric, FivePairsCannotReachNinetyFivePercent) {
  GateConfig c = config();
  c.min_repetitions = 2;
  auto j = judge_metric(spec("tps"), around(1000, 0.01, 5), around(800, 0.01, 5), true, c);
  EXPECT_EQ(j.verdict, Verdict::too_noisy);
  EXPECT_EQ(j.note, "5 repetitions cannot reach 95% confidence; need 6");
  EXPECT_EQ(j.method, "wilcoxon-paired");
}

TEST(JudgeMetric, PairedRemovesSharedDrift) {
  // Both builds drift together over time (+-20%) while new is consistently 10% slower: unpaired
  // that is noise, paired it is a clear regression.
  std::vector<double> drift = {800, 1200, 900, 1100, 1000, 850, 1150};
  std::vector<double> slower;
  for (double d : drift) slower.push_back(d * 0.9);
  EXPECT_EQ(judge_metric(spec("tps"), drift, slower, false, config()).verdict, Verdict::too_noisy);
  auto j = judge_metric(spec("tps"), drift, slower, true, config());
  EXPECT_EQ(j.verdict, Verdict::regressed) << j.note;
  EXPECT_NEAR(j.change, -0.10, 1e-9);
}

TEST(JudgeMetric, NonPositiveValuesHaveNoRelativeChange) {
  auto j = judge_metric(spec("p50"), {0, 1, 2, 3, 4}, {1, 2, 3, 4, 5}, false, config());
  EXPECT_EQ(j.verdict, Verdict::too_noisy);
  EXPECT_NE(j.note.find("<= 0"), std::string::npos);
}

TEST(JudgeMetric, AbsoluteErrorRate) {
  std::vector<double> zeros(5, 0.0);
  auto j = judge_metric(spec("error_rate"), zeros, zeros, false, config());
  EXPECT_EQ(j.verdict, Verdict::unchanged) << j.note;
  EXPECT_TRUE(j.absolute);
  j = judge_metric(spec("error_rate"), zeros, {0.01, 0.011, 0.012, 0.009, 0.01}, false, config());
  EXPECT_EQ(j.verdict, Verdict::regressed) << j.note;
  EXPECT_NEAR(j.change, 0.01, 0.001);
}

TEST(JudgeMetric, DeterministicByMedianRatio) {
  auto s = spec("server_syscalls_per_req");
  auto j = judge_metric(s, {2.0}, {2.04}, false, config());  // one sample per side is fine
  EXPECT_EQ(j.verdict, Verdict::regressed);
  EXPECT_EQ(j.method, "deterministic");
  EXPECT_NEAR(j.change, 0.02, 1e-12);
  EXPECT_EQ(judge_metric(s, {2.0, 2.001}, {2.01, 2.011}, false, config()).verdict, Verdict::unchanged);
  EXPECT_EQ(judge_metric(s, {2.0}, {1.9}, false, config()).verdict, Verdict::improved);
  EXPECT_EQ(judge_metric(s, {0.0}, {0.0}, false, config()).verdict, Verdict::unchanged);
}

TEST(JudgeMetric, DeterministicSpreadBeyondLimitIsTooNoisy) {
  auto j = judge_metric(spec("server_syscalls_per_req"), {2.0, 2.0}, {2.0, 2.02}, false, config());
  EXPECT_EQ(j.verdict, Verdict::too_noisy);
  EXPECT_NE(j.note.find("current"), std::string::npos) << j.note;
}

TEST(JudgeMetric, OneSideWithoutSamples) {
  auto j = judge_metric(spec("tps"), {}, around(1000, 0.01), false, config());
  EXPECT_EQ(j.verdict, Verdict::too_noisy);
  EXPECT_EQ(j.note, "no samples in base");
}

Row row(const std::string& id, int rep, const std::string& status, double tps, const std::string& build = "") {
  return {{"case", id + "-rep" + std::to_string(rep)},
          {"repetition", std::to_string(rep)},
          {"status", status},
          {"reason", status == "ok" ? "" : "server exited 1"},
          {"build", build},
          {"tps", status == "ok" ? std::to_string(tps) : ""},
          {"errors_total", "0"},
          {"responses_ok", "1000"}};
}

std::vector<Row> rows(const std::string& id, const std::vector<double>& tps, const std::string& status = "ok",
                      const std::string& build = "") {
  std::vector<Row> out;
  for (size_t i = 0; i < tps.size(); ++i) out.push_back(row(id, static_cast<int>(i + 1), status, tps[i], build));
  return out;
}

const MetricJudgement* find(const GateResult& r, const std::string& key, const std::string& metric) {
  for (const auto& j : r.judgements) {
    if (j.case_key == key && j.metric == metric) return &j;
  }
  return nullptr;
}

TEST(JudgeRows, GroupsRepetitionsAndSkipsUnmeasuredMetrics) {
  auto r = judge_rows(rows("epoll-echo-c10", around(1000, 0.01)), rows("epoll-echo-c10", around(1000, 0.01)), false,
                      config());
  ASSERT_EQ(r.judgements.size(), 2u);  // tps and error_rate; p50, p99, per-request columns absent
  ASSERT_NE(find(r, "epoll-echo-c10", "tps"), nullptr);
  EXPECT_EQ(find(r, "epoll-echo-c10", "tps")->base.size(), 7u);
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.exit_code(), 0);
}

TEST(JudgeRows, MissingCaseIsAProblem) {
  auto base = rows("a", around(1000, 0.01));
  auto more = rows("b", around(1000, 0.01));
  base.insert(base.end(), more.begin(), more.end());
  auto r = judge_rows(base, rows("a", around(1000, 0.01)), false, config());
  ASSERT_NE(find(r, "b", "case"), nullptr);
  EXPECT_EQ(find(r, "b", "case")->verdict, Verdict::missing);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("absent from current"), std::string::npos);
  EXPECT_EQ(r.exit_code(), 2);
}

TEST(JudgeRows, FailedCaseRegressesOnStatus) {
  auto r = judge_rows(rows("a", around(1000, 0.01)), rows("a", {0, 0, 0}, "failed"), false, config());
  auto* j = find(r, "a", "status");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->verdict, Verdict::regressed);
  EXPECT_EQ(j->note, "failed: server exited 1");
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.exit_code(), 1);
}

// Two of seven repetitions fail in the new build: the five left are fine samples, but the failures
// are a regression of their own.
TEST(JudgeRows, SomeRepetitionsFailingIsARegression) {
  auto current = rows("a", around(1000, 0.01, 5));
  auto failed = rows("a", {0, 0}, "failed");
  current.insert(current.end(), failed.begin(), failed.end());
  auto r = judge_rows(rows("a", around(1000, 0.01)), current, false, config());
  auto* j = find(r, "a", "status");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->verdict, Verdict::regressed);
  EXPECT_EQ(j->note, "2 of 7 repetitions failed (base: 0), first: server exited 1");
  ASSERT_NE(find(r, "a", "tps"), nullptr);  // what ran is still judged
  EXPECT_EQ(r.exit_code(), 1);
}

TEST(JudgeRows, CaseFailedInBaseIsMissing) {
  auto r = judge_rows(rows("a", {0, 0}, "failed"), rows("a", around(1000, 0.01)), false, config());
  ASSERT_EQ(r.judgements.size(), 1u);
  EXPECT_EQ(r.judgements[0].verdict, Verdict::missing);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0], "case a: no ok rows in base");
  EXPECT_EQ(r.exit_code(), 2);
}

TEST(JudgeRows, ABWithoutSharedRepetitionIsMissing) {
  auto old_rows = rows("a", around(1000, 0.01), "ok", "old");
  auto new_rows = rows("a", around(1000, 0.01), "ok", "new");
  for (auto& row : new_rows) row["repetition"] = "9" + row["repetition"];
  auto r = judge_rows(old_rows, new_rows, true, config());
  ASSERT_EQ(r.judgements.size(), 1u);
  EXPECT_EQ(r.judgements[0].verdict, Verdict::missing);
  EXPECT_EQ(r.exit_code(), 2);
}

TEST(JudgeRows, PairsABRowsByRepetition) {
  std::vector<double> drift = {800, 1200, 900, 1100, 1000, 850, 1150};
  std::vector<double> slower;
  for (double d : drift) slower.push_back(d * 0.9);
  auto old_rows = rows("a", drift, "ok", "old");
  auto new_rows = rows("a", slower, "ok", "new");
  std::reverse(new_rows.begin(), new_rows.end());  // file order must not matter
  auto r = judge_rows(old_rows, new_rows, true, config());
  auto* j = find(r, "a", "tps");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->verdict, Verdict::regressed) << j->note;
  EXPECT_EQ(j->base.size(), 7u);
  EXPECT_EQ(r.exit_code(), 1);
}

TEST(JudgeRows, BadNumberIsAProblem) {
  auto current = rows("a", around(1000, 0.01));
  current[0]["tps"] = "fast";
  auto r = judge_rows(rows("a", around(1000, 0.01)), current, false, config());
  ASSERT_FALSE(r.problems.empty());
  EXPECT_NE(r.problems[0].find("'fast' is not a number"), std::string::npos);
}

TEST(ExitCode, FromVerdictsAndProblems) {
  GateResult r;
  EXPECT_EQ(r.exit_code(), 0);
  r.judgements.push_back({});
  r.judgements.back().verdict = Verdict::unchanged;
  EXPECT_EQ(r.exit_code(), 0);
  r.judgements.back().verdict = Verdict::too_noisy;
  EXPECT_EQ(r.exit_code(), 2);
  r.judgements.push_back({});
  r.judgements.back().verdict = Verdict::regressed;
  EXPECT_EQ(r.exit_code(), 1);
  r.problems.push_back("bad");
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_STREQ(verdict_name(Verdict::too_noisy), "too noisy");
}

TEST(ExitCode, ToleratedNoiseExcusesOnlyTimedMetrics) {
  GateResult r;
  r.tolerate_noise = true;
  r.judgements.push_back({});
  r.judgements.back().verdict = Verdict::too_noisy;
  EXPECT_EQ(r.exit_code(), 0);
  r.judgements.back().deterministic = true;  // an exact count that spreads is a broken measurement
  EXPECT_EQ(r.exit_code(), 2);
  r.judgements.back().deterministic = false;
  r.judgements.push_back({});
  r.judgements.back().verdict = Verdict::missing;
  EXPECT_EQ(r.exit_code(), 2);
}

}  // namespace
}  // namespace netlab::gate
