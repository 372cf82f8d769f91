#include "loadgen/clients/interval_mailbox.hpp"

#include <time.h>

namespace netlab::loadgen {

void IntervalMailbox::publish(Metrics& current, int active) {
  timespec cpu;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
  cpu_ns_.store(int64_t{cpu.tv_sec} * 1'000'000'000 + cpu.tv_nsec, std::memory_order_relaxed);
  current.counters.active_at_end = active;
  {
    std::lock_guard lock(mu_);
    published_.add(current);
  }
  current.reset();
  current.counters.active_peak = active;
  intervals_.fetch_add(1, std::memory_order_release);
}

void IntervalMailbox::take(Metrics& into) {
  std::lock_guard lock(mu_);
  into.add(published_);
  published_.reset();
}

}  // namespace netlab::loadgen
