// The statistics against values derived independently: null distributions counted by hand and by
// brute-force enumeration, R's documented wilcox.test examples (p-values, Hodges–Lehmann
// estimates and intervals, computed by enumeration), and interval coverage on simulated data.
#include "tools/gate/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace netlab::gate {
namespace {

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

double choose(int n, int k) {
  double c = 1;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

TEST(MannWhitneyNull, SmallTablesByHand) {
  EXPECT_EQ(mann_whitney_null_counts(2, 2), (std::vector<double>{1, 1, 2, 1, 1}));
  EXPECT_EQ(mann_whitney_null_counts(3, 3), (std::vector<double>{1, 1, 2, 3, 3, 3, 3, 2, 1, 1}));
  EXPECT_EQ(mann_whitney_null_counts(1, 4), (std::vector<double>{1, 1, 1, 1, 1}));
}

TEST(MannWhitneyNull, SumsToBinomialAndIsSymmetric) {
  for (auto [n, m] : {std::pair{5, 5}, {10, 7}, {3, 12}, {30, 30}, {100, 100}}) {
    auto counts = mann_whitney_null_counts(n, m);
    ASSERT_EQ(counts.size(), static_cast<size_t>(n * m + 1));
    EXPECT_NEAR(sum(counts) / choose(n + m, n), 1.0, 1e-12) << n << "x" << m;
    for (size_t u = 0; u < counts.size(); ++u) EXPECT_DOUBLE_EQ(counts[u], counts[counts.size() - 1 - u]);
    EXPECT_EQ(counts, mann_whitney_null_counts(m, n));
  }
}

TEST(SignedRankNull, SmallTableByHandAndSumsToPowerOfTwo) {
  EXPECT_EQ(signed_rank_null_counts(3), (std::vector<double>{1, 1, 1, 2, 1, 1, 1}));
  for (int n : {1, 9, 20, 60}) {
    auto counts = signed_rank_null_counts(n);
    EXPECT_NEAR(sum(counts) / std::ldexp(1.0, n), 1.0, 1e-12);
    for (size_t v = 0; v < counts.size(); ++v) EXPECT_DOUBLE_EQ(counts[v], counts[counts.size() - 1 - v]);
  }
}

// R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE) on the depression scores of ?wilcox.test
// (V = 40, one-sided p 0.01953). Here base = x, current = y, so the shift has the opposite sign.
TEST(WilcoxonSignedRank, MatchesRDepressionExample) {
  std::vector<double> x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
  std::vector<double> y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
  std::vector<double> d;
  for (size_t i = 0; i < x.size(); ++i) d.push_back(y[i] - x[i]);
  auto s = wilcoxon_signed_rank(d, 0.95);
  EXPECT_TRUE(s.exact);
  EXPECT_TRUE(s.reaches_confidence);
  EXPECT_NEAR(s.p_value, 20.0 / 512.0, 1e-12);
  EXPECT_NEAR(s.estimate, -0.46, 1e-9);
  EXPECT_NEAR(s.ci_low, -0.786, 1e-9);
  EXPECT_NEAR(s.ci_high, -0.010, 1e-9);
  EXPECT_NEAR(s.achieved_confidence, 1.0 - 20.0 / 512.0, 1e-12);
}

// R: wilcox.test(x, y, alternative = "greater") on ?wilcox.test's x and y gives W = 35,
// p = 0.1272; two-sided it is twice that.
TEST(MannWhitney, MatchesRExample) {
  std::vector<double> base = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  std::vector<double> current = {1.15, 0.88, 0.90, 0.74, 1.21};
  auto s = mann_whitney(base, current, 0.95);
  EXPECT_TRUE(s.exact);
  EXPECT_NEAR(s.p_value, 0.2544122544122544, 1e-12);
  EXPECT_NEAR(s.estimate, -0.305, 1e-9);
  EXPECT_NEAR(s.ci_low, -0.76, 1e-9);
  EXPECT_NEAR(s.ci_high, 0.15, 1e-9);
  EXPECT_NEAR(s.achieved_confidence, 0.9600399600399601, 1e-12);
}

TEST(MannWhitney, CompleteSeparationGivesTheSmallestPValue) {
  auto s = mann_whitney({1, 2, 3, 4, 5}, {11, 12, 13, 14, 15}, 0.95);
  EXPECT_NEAR(s.p_value, 2.0 / 252.0, 1e-15);
  EXPECT_NEAR(s.estimate, 10, 1e-12);
  EXPECT_GT(s.ci_low, 0);
}

TEST(MannWhitney, IdenticalSamplesAreCentredOnZero) {
  std::vector<double> v = {10, 11, 9, 10.5, 9.5, 10.2};
  auto s = mann_whitney(v, v, 0.95);
  EXPECT_NEAR(s.estimate, 0, 1e-12);
  EXPECT_NEAR(s.ci_low, -s.ci_high, 1e-12);
  EXPECT_LT(s.ci_low, 0);
  EXPECT_GT(s.p_value, 0.9);
}

TEST(MinimumSizes, ForNinetyFivePercent) {
  // C(6,3) = 20 arrangements give P(U=0) = 0.05 > 0.025; C(8,4) = 70 is enough.
  EXPECT_EQ(min_samples_mann_whitney(0.95), 4);
  EXPECT_FALSE(mann_whitney({1, 2, 3}, {4, 5, 6}, 0.95).reaches_confidence);
  EXPECT_TRUE(mann_whitney({1, 2, 3, 4}, {5, 6, 7, 8}, 0.95).reaches_confidence);
  // 2^-5 = 0.031 > 0.025, 2^-6 = 0.0156.
  EXPECT_EQ(min_pairs_signed_rank(0.95), 6);
  EXPECT_EQ(min_pairs_signed_rank(0.99), 8);
  EXPECT_FALSE(wilcoxon_signed_rank({1, 2, 3, 4, 5}, 0.95).reaches_confidence);
  EXPECT_TRUE(wilcoxon_signed_rank({1, 2, 3, 4, 5, 6}, 0.95).reaches_confidence);
}

TEST(NormalApproximation, AgreesWithExactNearTheLimit) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> a, b;
  for (int i = 0; i < 101; ++i) a.push_back(noise(rng));
  for (int i = 0; i < 101; ++i) b.push_back(noise(rng) + 0.3);
  auto approx = mann_whitney(a, b, 0.95);
  a.pop_back();
  b.pop_back();
  auto exact = mann_whitney(a, b, 0.95);
  EXPECT_FALSE(approx.exact);
  EXPECT_TRUE(exact.exact);
  EXPECT_NEAR(approx.p_value, exact.p_value, 0.02);
  EXPECT_NEAR(approx.ci_low, exact.ci_low, 0.05);
}

// Over many simulated comparisons with a known shift, the 95% intervals must cover it at least
// about 95% of the time (they are conservative by construction), and not nearly always.
TEST(Coverage, IntervalsCoverTheTrueShift) {
  std::mt19937 rng(12345);
  std::normal_distribution<double> noise(0, 1);
  const double shift = 0.7;
  int mw_covered = 0, sr_covered = 0;
  const int trials = 1000;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> base, current, d;
    for (int i = 0; i < 8; ++i) {
      base.push_back(noise(rng));
      current.push_back(noise(rng) + shift);
      d.push_back(current.back() - base.back());
    }
    auto mw = mann_whitney(base, current, 0.95);
    auto sr = wilcoxon_signed_rank(d, 0.95);
    mw_covered += mw.ci_low <= shift && shift <= mw.ci_high;
    sr_covered += sr.ci_low <= shift && shift <= sr.ci_high;
  }
  EXPECT_GE(mw_covered, 930);
  EXPECT_LE(mw_covered, 990);
  EXPECT_GE(sr_covered, 930);
  EXPECT_LE(sr_covered, 990);
}

TEST(Median, OddEvenAndEmpty) {
  EXPECT_EQ(median({3, 1, 2}), 2);
  EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(median({}), 0);
}

}  // namespace
}  // namespace netlab::gate
