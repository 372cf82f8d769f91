// Pacing: when each request of an open-loop run is meant to go out, and when each connection of a
// ramp is meant to open. Both are pure functions of an index, so a loop that falls behind still
// knows every intended time: latency is measured from it (coordinated omission corrected, as wrk2
// does) and sends more than kLateThresholdNs behind it are counted as late.
#pragma once

#include <cmath>
#include <cstdint>

namespace netlab::loadgen {

constexpr int64_t kLateThresholdNs = 1'000'000;  // 1 ms behind the intended time counts as late

class RateSchedule {
 public:
  RateSchedule() = default;
  // `per_second` > 0 events per second starting at `start_ns`.
  RateSchedule(int64_t start_ns, double per_second) : start_ns_(start_ns), interval_ns_(1e9 / per_second) {}

  int64_t at(uint64_t index) const {
    return start_ns_ + static_cast<int64_t>(std::llround(static_cast<double>(index) * interval_ns_));
  }
  // The next event not yet taken, and taking it.
  int64_t next() const { return at(next_); }
  uint64_t take() { return next_++; }
  uint64_t taken() const { return next_; }
  bool due(int64_t now_ns) const { return at(next_) <= now_ns; }
  void restart(int64_t start_ns) {
    start_ns_ = start_ns;
    next_ = 0;
  }

 private:
  int64_t start_ns_ = 0;
  double interval_ns_ = 0;
  uint64_t next_ = 0;
};

}  // namespace netlab::loadgen
