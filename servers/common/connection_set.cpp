#include "servers/common/connection_set.hpp"

#include <sys/socket.h>

namespace netlab::server {

bool ConnectionSet::try_add(int fd, size_t cap) {
  std::lock_guard lock(mutex_);
  if (closing_ || fds_.size() >= cap) {
    return false;
  }
  fds_.insert(fd);
  return true;
}

void ConnectionSet::remove(int fd) {
  std::lock_guard lock(mutex_);
  fds_.erase(fd);
  if (fds_.empty()) {
    emptied_.notify_all();
  }
}

size_t ConnectionSet::size() const {
  std::lock_guard lock(mutex_);
  return fds_.size();
}

void ConnectionSet::shutdown_all() {
  std::lock_guard lock(mutex_);
  closing_ = true;
  for (int fd : fds_) {
    ::shutdown(fd, SHUT_RDWR);
  }
}

bool ConnectionSet::wait_empty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_for(lock, timeout, [this] { return fds_.empty(); });
}

}  // namespace netlab::server
