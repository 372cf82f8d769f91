// The descriptor-based channels: pipe, Unix stream and datagram sockets, TCP and UDP on loopback.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>

#include "bench/ipc/makers.hpp"
#include "core/net/address.hpp"
#include "core/net/error.hpp"
#include "core/net/fd.hpp"
#include "core/net/socket.hpp"

namespace netlab::bench {
namespace {

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string(what) + ": " + core::errno_text(errno)); }

// A byte stream: a message may arrive in pieces, so recv loops until it has all of it.
class StreamEndpoint : public Endpoint {
 public:
  StreamEndpoint(core::Fd in, core::Fd out) : in_(std::move(in)), out_(std::move(out)) {}
  explicit StreamEndpoint(core::Fd both) : in_(std::move(both)) {}

  void send(const char* data, std::size_t len) override {
    const int fd = out_ ? out_.get() : in_.get();
    while (len > 0) {
      ssize_t n = write(fd, data, len);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("write");
      data += n;
      len -= static_cast<std::size_t>(n);
    }
  }

  void recv(char* data, std::size_t len) override {
    while (len > 0) {
      ssize_t n = read(in_.get(), data, len);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) throw std::runtime_error("read: peer closed the channel");
      if (n < 0) fail("read");
      data += n;
      len -= static_cast<std::size_t>(n);
    }
  }

 private:
  core::Fd in_;
  core::Fd out_;  // invalid for sockets: one descriptor carries both directions
};

// Message boundaries are kept by the kernel: one send, one recv, whole or not at all.
class DatagramEndpoint : public Endpoint {
 public:
  explicit DatagramEndpoint(core::Fd fd) : fd_(std::move(fd)) {}

  void send(const char* data, std::size_t len) override {
    ssize_t n;
    while ((n = ::send(fd_.get(), data, len, 0)) < 0 && errno == EINTR) {
    }
    if (n != static_cast<ssize_t>(len)) fail("send");
  }

  void recv(char* data, std::size_t len) override {
    ssize_t n;
    while ((n = ::recv(fd_.get(), data, len, MSG_TRUNC)) < 0 && errno == EINTR) {
    }
    if (n != static_cast<ssize_t>(len)) fail("recv (short or oversized datagram)");
  }

 private:
  core::Fd fd_;
};

Channel socket_pair(int type, std::size_t message_size) {
  int sv[2];
  if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) != 0) fail("socketpair");
  core::Fd a(sv[0]), b(sv[1]);
  if (type == SOCK_STREAM) return {std::make_unique<StreamEndpoint>(std::move(a)), std::make_unique<StreamEndpoint>(std::move(b))};
  // A Unix datagram must fit in the sender's buffer: raise it (within net.core.wmem_max).
  const int wanted = static_cast<int>(message_size) + 65536;
  core::set_buffer_sizes(a.get(), wanted, 0);
  core::set_buffer_sizes(b.get(), wanted, 0);
  return {std::make_unique<DatagramEndpoint>(std::move(a)), std::make_unique<DatagramEndpoint>(std::move(b))};
}

Channel pipes() {
  int down[2], up[2];
  if (pipe2(down, O_CLOEXEC) != 0) fail("pipe2");
  core::Fd down_r(down[0]), down_w(down[1]);
  if (pipe2(up, O_CLOEXEC) != 0) fail("pipe2");
  core::Fd up_r(up[0]), up_w(up[1]);
  return {std::make_unique<StreamEndpoint>(std::move(up_r), std::move(down_w)),
          std::make_unique<StreamEndpoint>(std::move(down_r), std::move(up_w))};
}

Channel tcp_loopback() {
  core::Fd listener = core::listen_tcp(core::Address::parse("127.0.0.1:0"));
  core::Fd client = core::connect_tcp(core::Address::local_of(listener.get()));
  core::Fd server(accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!server) fail("accept4");
  core::set_nodelay(server.get());
  return {std::make_unique<StreamEndpoint>(std::move(client)), std::make_unique<StreamEndpoint>(std::move(server))};
}

Channel udp_loopback() {
  const auto any = core::Address::parse("127.0.0.1:0");
  core::Fd a = core::bind_udp(any), b = core::bind_udp(any);
  const auto addr_a = core::Address::local_of(a.get()), addr_b = core::Address::local_of(b.get());
  if (connect(a.get(), addr_b.sockaddr_ptr(), addr_b.length()) != 0) fail("connect");
  if (connect(b.get(), addr_a.sockaddr_ptr(), addr_a.length()) != 0) fail("connect");
  return {std::make_unique<DatagramEndpoint>(std::move(a)), std::make_unique<DatagramEndpoint>(std::move(b))};
}

}  // namespace

Channel make_fd_channel(Transport t, std::size_t message_size) {
  switch (t) {
    case Transport::kPipe: return pipes();
    case Transport::kUnixStream: return socket_pair(SOCK_STREAM, message_size);
    case Transport::kUnixDatagram: return socket_pair(SOCK_DGRAM, message_size);
    case Transport::kTcp: return tcp_loopback();
    case Transport::kUdp: return udp_loopback();
    default: throw std::logic_error("not a descriptor channel");
  }
}

}  // namespace netlab::bench
