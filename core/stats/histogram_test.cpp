#include "core/stats/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace netlab::stats {
namespace {

// The exact value at a percentile: the ceil(p * n)-th smallest, as value_at_percentile defines it.
uint64_t exact_percentile(std::vector<uint64_t> sorted, double p) {
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

TEST(HistogramTest, EmptyReportsZeros) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.value_at_percentile(99), 0u);
  EXPECT_DOUBLE_EQ(h.mean(), 0.0);
}

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 0; v < 2048; ++v) h.record(v);
  EXPECT_EQ(h.count(), 2048u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 2047u);
  EXPECT_EQ(h.value_at_percentile(50), 1023u);
  EXPECT_EQ(h.value_at_percentile(100), 2047u);
  EXPECT_DOUBLE_EQ(h.mean(), 1023.5);
}

TEST(HistogramTest, BucketsCoverEveryValueWithoutGapsOrOverlap) {
  for (size_t i = 1; i < Histogram::bucket_count(); ++i) {
    ASSERT_EQ(Histogram::lowest_equivalent(i), Histogram::highest_equivalent(i - 1) + 1) << i;
    ASSERT_EQ(Histogram::index_of(Histogram::lowest_equivalent(i)), i);
    ASSERT_EQ(Histogram::index_of(Histogram::highest_equivalent(i)), i);
  }
  EXPECT_EQ(Histogram::highest_equivalent(Histogram::bucket_count() - 1), Histogram::kMaxValue);
}

TEST(HistogramTest, PercentilesMatchExactSortedValuesWithinPrecision) {
  std::mt19937_64 rng(42);
  // Log-normal-ish latencies from 1 µs to minutes.
  std::lognormal_distribution<double> dist(5.0, 2.5);
  std::vector<uint64_t> values;
  Histogram h;
  for (int i = 0; i < 200000; ++i) {
    auto v = static_cast<uint64_t>(std::min(dist(rng), 3.0e8));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {0.0, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 99.999, 100.0}) {
    uint64_t exact = exact_percentile(values, p);
    uint64_t got = h.value_at_percentile(p);
    EXPECT_GE(got, exact) << "p" << p;
    EXPECT_LE(static_cast<double>(got - exact), static_cast<double>(exact) / 1024.0) << "p" << p;
  }
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
  double sum = 0;
  for (auto v : values) sum += static_cast<double>(v);
  EXPECT_NEAR(h.mean(), sum / static_cast<double>(values.size()), 1e-6 * h.mean());
}

TEST(HistogramTest, HugeValuesClampToTheTrackedMaximum) {
  Histogram h;
  h.record(UINT64_MAX);
  EXPECT_EQ(h.max(), Histogram::kMaxValue);
  EXPECT_EQ(h.value_at_percentile(50), Histogram::kMaxValue);
}

TEST(HistogramTest, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<uint64_t> dist(0, 5'000'000);
  Histogram all, a, b, c;
  for (int i = 0; i < 30000; ++i) {
    uint64_t v = dist(rng);
    all.record(v);
    (i % 3 == 0 ? a : i % 3 == 1 ? b : c).record(v);
  }
  Histogram merged;
  merged.add(a);
  merged.add(b);
  merged.add(c);
  merged.add(Histogram{});
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  EXPECT_NEAR(merged.mean(), all.mean(), 1e-9 * all.mean());
  for (double p = 0; p <= 100.0; p += 0.5) EXPECT_EQ(merged.value_at_percentile(p), all.value_at_percentile(p));
  std::ostringstream x, y;
  merged.write_hgrm(x);
  all.write_hgrm(y);
  EXPECT_EQ(x.str(), y.str());
}

TEST(HistogramTest, ResetForgetsEverything) {
  Histogram h;
  h.record(5000, 3);
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  h.record(7);
  EXPECT_EQ(h.min(), 7u);
  EXPECT_EQ(h.max(), 7u);
  EXPECT_EQ(h.value_at_percentile(100), 7u);
}

TEST(HistogramTest, HgrmHasHdrHistogramLayoutAndFooter) {
  Histogram h;
  for (uint64_t v = 1; v <= 1000; ++v) h.record(v);
  std::ostringstream out;
  h.write_hgrm(out);
  std::istringstream in(out.str());
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "       Value     Percentile TotalCount 1/(1-Percentile)");
  std::getline(in, line);
  EXPECT_EQ(line, "");
  std::vector<std::string> rows;
  while (std::getline(in, line) && line.rfind("#[", 0) != 0) rows.push_back(line);
  ASSERT_GT(rows.size(), 20u);
  EXPECT_EQ(rows.front(), "       1.000 0.000000000000          1           1.00");
  EXPECT_EQ(rows[5], "     500.000 0.500000000000        500           2.00");
  EXPECT_EQ(rows.back(), "    1000.000 1.000000000000       1000");
  double last_percentile = -1;
  for (const auto& row : rows) {
    std::istringstream fields(row);
    double value, percentile;
    uint64_t total;
    fields >> value >> percentile >> total;
    EXPECT_GE(percentile, last_percentile);
    last_percentile = percentile;
  }
  EXPECT_EQ(line, "#[Mean    =      500.500, StdDeviation   =      288.675]");
  std::getline(in, line);
  EXPECT_EQ(line, "#[Max     =     1000.000, Total count    =         1000]");
  std::getline(in, line);
  EXPECT_EQ(line, "#[Buckets =           26, SubBuckets     =         2048]");
}

}  // namespace
}  // namespace netlab::stats
