// Spinlock: a lock that never sleeps. A waiter burns its core re-reading the flag until the holder
// lets go, so it wins only when critical sections are a few instructions long and every contender
// has a core of its own. On 2 shared vCPUs a preempted holder leaves its waiters spinning for a
// whole scheduler slice, which bench/sync_bench.cpp shows against std::mutex (which sleeps in a
// futex after a short spin). Satisfies Lockable, so std::lock_guard and std::scoped_lock work.
#pragma once

#include <atomic>

namespace netlab::bench {

// Tells the core we are spinning (x86 PAUSE): saves power and lets a hyper-thread sibling run.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class Spinlock {
 public:
  void lock() noexcept {
    // Test-and-test-and-set: spin on a plain load, which keeps the cache line shared, and only
    // attempt the exchange (which takes the line exclusive) when the lock looks free.
    while (locked_.exchange(true, std::memory_order_acquire)) {
      while (locked_.load(std::memory_order_relaxed)) {
        cpu_relax();
      }
    }
  }
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace netlab::bench
