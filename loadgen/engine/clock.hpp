// The load generator's one clock: CLOCK_MONOTONIC in nanoseconds, and the unit conversions every
// driver needs. Latencies are recorded in microseconds, rounded to the nearest.
#pragma once

#include <time.h>

#include <cstdint>

namespace netlab::loadgen {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kMillisecond = 1'000'000;

inline int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * kSecond + ts.tv_nsec;
}

// Nanoseconds to whole microseconds, rounded; a negative span (clock skew between threads) is 0.
inline uint64_t to_us(int64_t ns) { return ns > 0 ? static_cast<uint64_t>((ns + 500) / 1000) : 0; }

}  // namespace netlab::loadgen
