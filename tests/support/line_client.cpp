#include "tests/support/line_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/net/socket.hpp"

namespace netlab::test {

core::Fd connect_with_timeout(const core::Address& addr, std::chrono::milliseconds timeout) {
  core::Fd fd = core::connect_tcp(addr);
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000) * 1000};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

core::Fd connect_never_reading(const core::Address& addr, int receive_buffer) {
  core::Fd fd(::socket(addr.sockaddr_ptr()->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  if (::connect(fd.get(), addr.sockaddr_ptr(), addr.length()) != 0) {
    throw std::runtime_error("connect " + addr.to_string() + ": " + std::strerror(errno));
  }
  timeval tv{2, 0};  // when the test reads at last, a server that neither sends nor closes fails it
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

ssize_t read_retrying(int fd, char* buf, size_t len) {
  ssize_t n;
  while ((n = ::read(fd, buf, len)) < 0 && errno == EINTR) {
  }
  return n;
}

std::string read_exactly(int fd, size_t count) {
  std::string out(count, '\0');
  size_t got = 0;
  while (got < count) {
    ssize_t n = read_retrying(fd, out.data() + got, count - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

std::string read_line(int fd) {
  std::string line;
  char c;
  while (read_retrying(fd, &c, 1) == 1) {
    line += c;
    if (c == '\n') break;
  }
  return line;
}

bool peer_closed(int fd) {
  char c;
  for (;;) {
    ssize_t n = read_retrying(fd, &c, 1);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

std::string make_line(size_t size, unsigned seed) {
  std::string line(size, ' ');
  unsigned x = seed * 2654435761u + 1;
  for (auto& ch : line) {
    x = x * 1103515245u + 12345u;
    ch = static_cast<char>(' ' + (x >> 16) % 95);  // printable ASCII, never '\n'
  }
  return line;
}

}  // namespace netlab::test
