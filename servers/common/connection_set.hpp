// ConnectionSet: the connections a threaded blocking model is serving, so a stop can wake every
// thread blocked in read() (shutdown makes it return 0) and wait until all of them have finished.
// Thread-safe: every member may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <unordered_set>

namespace netlab::server {

class ConnectionSet {
 public:
  // Adds fd unless the set already holds `cap` connections or is shutting down; false when refused.
  bool try_add(int fd, size_t cap);
  void remove(int fd);
  size_t size() const;
  // Shuts down every connection in the set; later try_add calls fail.
  void shutdown_all();
  // Waits until the set is empty or the timeout passes; true when empty.
  bool wait_empty(std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_set<int> fds_;
  bool closing_ = false;
};

}  // namespace netlab::server
