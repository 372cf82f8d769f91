#include "bench/sync/event.hpp"

namespace netlab::bench {

void Event::set() {
  {
    std::lock_guard lock(mutex_);
    set_ = true;
  }
  cv_.notify_all();
}

void Event::clear() {
  std::lock_guard lock(mutex_);
  set_ = false;
}

bool Event::is_set() const {
  std::lock_guard lock(mutex_);
  return set_;
}

void Event::wait() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [this] { return set_; });
}

bool Event::wait_for(std::chrono::nanoseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [this] { return set_; });
}

}  // namespace netlab::bench
