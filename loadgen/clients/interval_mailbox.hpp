// The once-per-interval hand-off (--interval) from a load-generating thread to the main thread: the thread adds
// the interval it just finished, the main thread takes whatever has come since it last looked.
// One lock per interval per thread, never on the request path; the thread's own CPU time and the
// count of published intervals are atomics the main thread reads without the lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "loadgen/clients/metrics.hpp"

namespace netlab::loadgen {

class IntervalMailbox {
 public:
  // Driver thread: publishes `current` and resets it for the next interval, whose peak of active
  // connections starts at `active`.
  void publish(Metrics& current, int active);
  // Main thread: adds everything published since the last take() into `into`.
  void take(Metrics& into);
  uint64_t published_intervals() const { return intervals_.load(std::memory_order_acquire); }
  int64_t thread_cpu_ns() const { return cpu_ns_.load(std::memory_order_relaxed); }

 private:
  std::mutex mu_;
  Metrics published_;
  std::atomic<uint64_t> intervals_{0};
  std::atomic<int64_t> cpu_ns_{0};
};

}  // namespace netlab::loadgen
