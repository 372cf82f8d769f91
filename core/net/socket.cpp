#include "core/net/socket.hpp"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/net/error.hpp"

namespace netlab::core {
namespace {

void set_int_option(int fd, int level, int name, int value, const char* what) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0) {
    throw_errno(std::string("setsockopt ") + what, errno);
  }
}

Fd open_socket(const Address& addr, int type, bool nonblocking) {
  int flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  Fd fd(::socket(addr.family(), type | flags, 0));
  if (!fd) {
    throw_errno("cannot create socket for " + addr.to_string(), errno);
  }
  return fd;
}

}  // namespace

Fd listen_tcp(const Address& addr, const ListenOptions& options) {
  Fd fd = open_socket(addr, SOCK_STREAM, options.nonblocking);
  set_int_option(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  if (options.reuse_port) {
    set_int_option(fd.get(), SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
  }
  if (::bind(fd.get(), addr.sockaddr_ptr(), addr.length()) != 0) {
    throw_errno("cannot bind " + addr.to_string(), errno);
  }
  if (::listen(fd.get(), options.backlog) != 0) {
    throw_errno("cannot listen on " + addr.to_string(), errno);
  }
  return fd;
}

Fd bind_udp(const Address& addr, bool reuse_port, bool nonblocking) {
  // No SO_REUSEADDR: for UDP it lets a second server bind the same port and steal datagrams.
  Fd fd = open_socket(addr, SOCK_DGRAM, nonblocking);
  if (reuse_port) {
    set_int_option(fd.get(), SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
  }
  if (::bind(fd.get(), addr.sockaddr_ptr(), addr.length()) != 0) {
    throw_errno("cannot bind " + addr.to_string(), errno);
  }
  return fd;
}

Fd connect_tcp(const Address& addr) {
  Fd fd = open_socket(addr, SOCK_STREAM, false);
  int rc;
  do {
    rc = ::connect(fd.get(), addr.sockaddr_ptr(), addr.length());
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    throw_errno("cannot connect to " + addr.to_string(), errno);
  }
  set_nodelay(fd.get());
  return fd;
}

void set_nonblocking(int fd, bool on) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK)) != 0) {
    throw_errno("fcntl O_NONBLOCK", errno);
  }
}

void set_nodelay(int fd) {
  int one = 1;
  // Best effort: fails harmlessly on non-TCP sockets.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void set_buffer_sizes(int fd, int send_bytes, int recv_bytes) {
  if (send_bytes > 0) {
    set_int_option(fd, SOL_SOCKET, SO_SNDBUF, send_bytes, "SO_SNDBUF");
  }
  if (recv_bytes > 0) {
    set_int_option(fd, SOL_SOCKET, SO_RCVBUF, recv_bytes, "SO_RCVBUF");
  }
}

}  // namespace netlab::core
