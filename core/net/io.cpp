#include "core/net/io.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "core/net/stop.hpp"

namespace netlab::core {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR && !stop_requested()) {
        continue;
      }
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

ssize_t read_some(int fd, char* buf, size_t len) {
  for (;;) {
    ssize_t n = ::read(fd, buf, len);
    if (n < 0 && errno == EINTR && !stop_requested()) {
      continue;
    }
    return n;
  }
}

}  // namespace netlab::core
