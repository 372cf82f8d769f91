// Time axes for people. Latency charts plot microseconds (summary.csv's unit) on log scales, and
// gnuplot would label them 1e+06; instead the tics are chosen here from the values a chart plots
// and labelled "50 µs", "2 ms", "1 s". 1, 2 and 5 per decade; past three decades only the powers
// of ten, so labels never crowd. The axis runs from the tic at or below the smallest value to the
// tic at or above the largest, so every value is inside and every end is labelled.
#pragma once

#include <string>

namespace netlab::run {

// The span of the (positive) values one axis shows.
class TimeRange {
 public:
  void add(double us);  // ignores 0, negatives and NaN (a log axis cannot show them)
  bool empty() const { return lo_ > hi_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }

 private:
  double lo_ = 1e300, hi_ = 0;
};

// "50 µs", "2 ms", "1 s": a tic value in microseconds.
std::string time_label(double us);

// Gnuplot assignments for ChartMaker::make's `extra`: tlo and thi (the range, µs) and ttics (a tic
// list for `set ytics`), which common.gp's time_axis() applies. Empty when `range` is empty.
std::string time_axis(const TimeRange& range);

}  // namespace netlab::run
