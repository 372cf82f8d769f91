// Histogram: a log-linear latency histogram in the style of HdrHistogram.
//
// Values are unsigned integers (the load generator records microseconds). Values below 2048 are
// counted exactly; above that each power-of-two range is split into 1024 equal sub-buckets, so any
// recorded value is reported within 1/1024 of itself (three significant digits). Values up to
// kMaxValue (2^36 - 1 µs, about 19 hours) are tracked; larger ones are clamped to it. The count
// array has a fixed size (27,648 counters, 216 KiB), so memory never grows with the number of
// records. Min, max and the sum are kept exactly.
//
// Thread contract: none. Each thread records into its own histogram; another thread merges them
// with add() under whatever synchronisation the caller uses.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <vector>

namespace netlab::stats {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 11;  // 2048 sub-buckets in the first, exact range
  static constexpr uint64_t kSubBucketCount = uint64_t{1} << kSubBucketBits;
  static constexpr uint64_t kSubBucketHalf = kSubBucketCount / 2;
  static constexpr int kMaxBits = 36;
  static constexpr uint64_t kMaxValue = (uint64_t{1} << kMaxBits) - 1;

  Histogram();

  void record(uint64_t value, uint64_t count = 1);
  // Adds every count of `other`: merging loses nothing.
  void add(const Histogram& other);
  void reset();

  uint64_t count() const { return total_; }
  uint64_t min() const { return total_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const;
  double stddev() const;
  // The value at or below which `percentile` percent (0..100) of the records fall, reported as the
  // highest value its bucket holds (never above max()). 0 when empty.
  uint64_t value_at_percentile(double percentile) const;

  // HdrHistogram's percentile distribution text (as HistogramLogProcessor and the online plotter
  // read it): Value, Percentile, TotalCount, 1/(1-Percentile), then the #[Mean ...] footer.
  // Values are divided by `value_scale` (1.0 keeps microseconds).
  void write_hgrm(std::ostream& out, int ticks_per_half_distance = 5, double value_scale = 1.0) const;

  // Bucket arithmetic, public for tests.
  static size_t index_of(uint64_t value);
  static uint64_t lowest_equivalent(size_t index);
  static uint64_t highest_equivalent(size_t index);
  static size_t bucket_count();

 private:
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t min_ = 0;
  uint64_t max_ = 0;
  double sum_ = 0;
  double sum_squares_ = 0;
  size_t highest_index_ = 0;  // highest index with a count, so scans stop early
};

}  // namespace netlab::stats
