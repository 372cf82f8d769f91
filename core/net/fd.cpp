#include "core/net/fd.hpp"

#include <unistd.h>

namespace netlab::core {

void Fd::reset(int fd) {
  if (fd_ >= 0) {
    // close() must not be retried on EINTR on Linux: the descriptor is gone either way.
    ::close(fd_);
  }
  fd_ = fd;
}

}  // namespace netlab::core
