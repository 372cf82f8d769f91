// E-divisive change points on synthetic benchmark histories: noise alone gives none, planted
// steps are found where they were planted, short series give none, and answers are repeatable.
#include "tools/gate/change_points.hpp"

#include <gtest/gtest.h>

#include <random>

namespace netlab::gate {
namespace {

// `n` points of level `level` with Gaussian noise of relative size `noise` (fixed seed).
std::vector<double> noisy(size_t n, double level, double noise, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0, noise * level);
  std::vector<double> v;
  for (size_t i = 0; i < n; ++i) v.push_back(level + dist(rng));
  return v;
}

std::vector<double> concat(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ChangePoints, FlatNoisySeriesHasNone) {
  // Several seeds: one lucky seed would prove little.
  for (unsigned seed = 1; seed <= 5; ++seed) {
    EXPECT_TRUE(find_change_points(noisy(40, 10000, 0.03, seed)).empty()) << "seed " << seed;
  }
}

TEST(ChangePoints, ConstantSeriesHasNone) { EXPECT_TRUE(find_change_points(std::vector<double>(30, 5.0)).empty()); }

TEST(ChangePoints, TenPercentStepFoundAtItsIndex) {
  auto series = concat(noisy(20, 10000, 0.02, 7), noisy(20, 9000, 0.02, 8));
  auto cps = find_change_points(series);
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_EQ(cps[0].index, 20);
  EXPECT_NEAR(cps[0].mean_before, 10000, 150);
  EXPECT_NEAR(cps[0].mean_after, 9000, 150);
  EXPECT_NEAR(cps[0].relative_shift(), -0.10, 0.02);
  EXPECT_LE(cps[0].p_value, 0.01);
  EXPECT_GE(cps[0].p_value, 1.0 / 500);  // the smallest a 499-shuffle test can give
}

TEST(ChangePoints, TwoStepsBothFound) {
  auto series = concat(concat(noisy(15, 100, 0.02, 3), noisy(15, 115, 0.02, 4)), noisy(15, 95, 0.02, 5));
  auto cps = find_change_points(series);
  ASSERT_EQ(cps.size(), 2u);
  EXPECT_EQ(cps[0].index, 15);
  EXPECT_EQ(cps[1].index, 30);
  EXPECT_NEAR(cps[0].mean_before, 100, 2);
  EXPECT_NEAR(cps[0].mean_after, 115, 2);  // the segment between the two change points
  EXPECT_NEAR(cps[1].mean_before, 115, 2);
  EXPECT_NEAR(cps[1].mean_after, 95, 2);
}

TEST(ChangePoints, TooShortSeriesHasNone) {
  ChangePointOptions o;
  o.min_segment = 4;
  EXPECT_TRUE(find_change_points({}, o).empty());
  EXPECT_TRUE(find_change_points({1, 1, 1, 9, 9, 9, 9}, o).empty());  // 7 < 2 * 4
  // A clean step with six points a side is long enough for the permutation test to be sure.
  EXPECT_EQ(find_change_points({1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9}, o).size(), 1u);
}

TEST(ChangePoints, SameSeriesSameAnswer) {
  auto series = concat(noisy(12, 50, 0.05, 11), noisy(12, 56, 0.05, 12));
  auto a = find_change_points(series), b = find_change_points(series);
  ASSERT_FALSE(a.empty());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].index, b[i].index);
    EXPECT_EQ(a[i].p_value, b[i].p_value);
  }
}

TEST(ChangePoints, MinShiftDropsSmallSignificantSteps) {
  // A noiseless 0.5% step is significant but below a 2% floor.
  std::vector<double> series(10, 200.0);
  series.insert(series.end(), 10, 201.0);
  EXPECT_EQ(find_change_points(series).size(), 1u);
  ChangePointOptions o;
  o.min_shift = 0.02;
  EXPECT_TRUE(find_change_points(series, o).empty());
}

}  // namespace
}  // namespace netlab::gate
