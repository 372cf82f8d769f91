#include "core/work/workload.hpp"

#include <time.h>

#include <atomic>
#include <cerrno>

#include "core/net/stop.hpp"

namespace netlab::core {
namespace {

std::atomic<unsigned long> g_burn_result{0};

int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

unsigned long burn_cpu(std::chrono::microseconds amount) {
  // Thread CPU time, not wall time: a burn that is preempted still does its full share of work,
  // which is what makes it CPU-bound rather than a disguised sleep.
  const int64_t until = thread_cpu_ns() + amount.count() * 1000;
  unsigned long x = 0x9e3779b97f4a7c15UL;
  do {
    for (int i = 0; i < 256; ++i) {  // about a microsecond between clock reads
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
    }
  } while (thread_cpu_ns() < until);
  return x;
}

unsigned long spin_steps(uint64_t steps) {
  unsigned long x = 0x9e3779b97f4a7c15UL;
  for (uint64_t i = 0; i < steps; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

void block_for(std::chrono::microseconds amount) {
  timespec left{static_cast<time_t>(amount.count() / 1000000), static_cast<long>(amount.count() % 1000000) * 1000};
  while (nanosleep(&left, &left) != 0 && errno == EINTR && !stop_requested()) {
  }
}

void Workload::run() const {
  if (cpu.count() > 0) {
    // Publishing the result keeps the optimiser from deleting the burn.
    g_burn_result.store(burn_cpu(cpu), std::memory_order_relaxed);
  }
  if (spin > 0) g_burn_result.store(spin_steps(spin), std::memory_order_relaxed);
  if (io.count() > 0) {
    block_for(io);
  }
}

}  // namespace netlab::core
