// A connected pair of non-blocking Unix stream sockets, for unit tests of loops and pollers.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/net/fd.hpp"

namespace netlab::test {

struct SocketPair {
  core::Fd a, b;
};

inline SocketPair socket_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  }
  return {core::Fd(fds[0]), core::Fd(fds[1])};
}

}  // namespace netlab::test
