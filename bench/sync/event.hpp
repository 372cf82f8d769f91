// Event: the notes' threading.Event in C++. One flag, set by one thread, waited for by many:
// set() wakes every waiter, clear() re-arms it, wait() returns at once while the flag is set.
// Built from a mutex and a condition variable; the predicate loop in wait() absorbs spurious
// wake-ups, and set() notifies after releasing the mutex so a woken waiter does not block on it.
// Thread-safe: every member may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace netlab::bench {

class Event {
 public:
  void set();
  void clear();
  bool is_set() const;
  void wait();
  // Returns whether the flag was set before `timeout` passed.
  bool wait_for(std::chrono::nanoseconds timeout);

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool set_ = false;
};

}  // namespace netlab::bench
