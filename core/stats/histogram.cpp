#include "core/stats/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace netlab::stats {
namespace {

constexpr int kHalfBits = Histogram::kSubBucketBits - 1;

// Shift of the power-of-two range a value falls in: 0 for the exact range (below 2048).
int shift_of(uint64_t value) {
  int msb = 63 - std::countl_zero(value | (Histogram::kSubBucketCount - 1));
  return msb - kHalfBits;
}

}  // namespace

Histogram::Histogram() : counts_(bucket_count(), 0) {}

size_t Histogram::bucket_count() { return index_of(kMaxValue) + 1; }

// Layout: indexes 0..2047 hold values 0..2047 exactly. Range r >= 1 (values with shift r) holds
// 1024 sub-buckets of width 2^r starting at index 2048 + (r - 1) * 1024.
size_t Histogram::index_of(uint64_t value) {
  value = std::min(value, kMaxValue);
  int shift = shift_of(value);
  if (shift == 0) return static_cast<size_t>(value);
  uint64_t sub = (value >> shift) - kSubBucketHalf;
  return static_cast<size_t>(kSubBucketCount + static_cast<uint64_t>(shift - 1) * kSubBucketHalf + sub);
}

uint64_t Histogram::lowest_equivalent(size_t index) {
  if (index < kSubBucketCount) return index;
  uint64_t offset = index - kSubBucketCount;
  int shift = static_cast<int>(offset / kSubBucketHalf) + 1;
  return (kSubBucketHalf + offset % kSubBucketHalf) << shift;
}

uint64_t Histogram::highest_equivalent(size_t index) {
  if (index < kSubBucketCount) return index;
  int shift = static_cast<int>((index - kSubBucketCount) / kSubBucketHalf) + 1;
  return lowest_equivalent(index) + (uint64_t{1} << shift) - 1;
}

void Histogram::record(uint64_t value, uint64_t count) {
  if (count == 0) return;
  value = std::min(value, kMaxValue);
  size_t index = index_of(value);
  counts_[index] += count;
  highest_index_ = std::max(highest_index_, index);
  if (total_ == 0 || value < min_) min_ = value;
  max_ = std::max(max_, value);
  total_ += count;
  double v = static_cast<double>(value);
  double c = static_cast<double>(count);
  sum_ += v * c;
  sum_squares_ += v * v * c;
}

void Histogram::add(const Histogram& other) {
  if (other.total_ == 0) return;
  for (size_t i = 0; i <= other.highest_index_; ++i) counts_[i] += other.counts_[i];
  highest_index_ = std::max(highest_index_, other.highest_index_);
  min_ = total_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  total_ += other.total_;
  sum_ += other.sum_;
  sum_squares_ += other.sum_squares_;
}

void Histogram::reset() {
  if (total_ == 0) return;
  std::fill(counts_.begin(), counts_.begin() + static_cast<std::ptrdiff_t>(highest_index_ + 1), 0);
  total_ = min_ = max_ = 0;
  sum_ = sum_squares_ = 0;
  highest_index_ = 0;
}

double Histogram::mean() const { return total_ ? sum_ / static_cast<double>(total_) : 0.0; }

double Histogram::stddev() const {
  if (total_ == 0) return 0.0;
  double m = mean();
  double variance = sum_squares_ / static_cast<double>(total_) - m * m;
  return variance > 0 ? std::sqrt(variance) : 0.0;
}

uint64_t Histogram::value_at_percentile(double percentile) const {
  if (total_ == 0) return 0;
  percentile = std::clamp(percentile, 0.0, 100.0);
  auto target = static_cast<uint64_t>(std::ceil(percentile / 100.0 * static_cast<double>(total_)));
  target = std::clamp<uint64_t>(target, 1, total_);
  uint64_t seen = 0;
  for (size_t i = 0; i <= highest_index_; ++i) {
    seen += counts_[i];
    if (seen >= target) return std::min(highest_equivalent(i), max_);
  }
  return max_;
}

void Histogram::write_hgrm(std::ostream& out, int ticks_per_half_distance, double value_scale) const {
  char line[160];
  out << "       Value     Percentile TotalCount 1/(1-Percentile)\n\n";
  auto emit = [&](uint64_t value, double level, uint64_t cumulative, bool last) {
    double v = static_cast<double>(value) / value_scale;
    if (last) {
      std::snprintf(line, sizeof line, "%12.3f %14.12f %10llu\n", v, 1.0,
                    static_cast<unsigned long long>(cumulative));
    } else {
      std::snprintf(line, sizeof line, "%12.3f %14.12f %10llu %14.2f\n", v, level / 100.0,
                    static_cast<unsigned long long>(cumulative), 1.0 / (1.0 - level / 100.0));
    }
    out << line;
  };
  if (total_ > 0) {
    // HdrHistogram's percentile iteration: ticks per half distance to 100%, so each halving of
    // the remaining distance (50%, 75%, 87.5%, ...) gets the same number of lines.
    double level = 0.0;
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= highest_index_; ++i) {
      if (counts_[i] == 0) continue;
      cumulative += counts_[i];
      uint64_t value = std::min(highest_equivalent(i), max_);
      double reached = 100.0 * static_cast<double>(cumulative) / static_cast<double>(total_);
      while (level <= reached) {
        if (cumulative == total_) {
          if (level < 100.0) emit(value, level, cumulative, false);
          emit(value, 100.0, cumulative, true);
          level = 101.0;
          break;
        }
        emit(value, level, cumulative, false);
        double halvings = std::floor(std::log2(100.0 / (100.0 - level))) + 1;
        level += 100.0 / (ticks_per_half_distance * std::pow(2.0, halvings));
      }
    }
  }
  std::snprintf(line, sizeof line, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", mean() / value_scale,
                stddev() / value_scale);
  out << line;
  std::snprintf(line, sizeof line, "#[Max     = %12.3f, Total count    = %12llu]\n",
                static_cast<double>(max_) / value_scale, static_cast<unsigned long long>(total_));
  out << line;
  std::snprintf(line, sizeof line, "#[Buckets = %12d, SubBuckets     = %12llu]\n", kMaxBits - kHalfBits,
                static_cast<unsigned long long>(kSubBucketCount));
  out << line;
}

}  // namespace netlab::stats
