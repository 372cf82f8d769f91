// iterative_udp: the notes' UDP loop server. One socket, one loop: receive a datagram, let the
// protocol answer, send the replies, repeat. UDP has no connections, so "iterative" costs little
// here: every client is served in turn per datagram, never per session. Saturates when one core
// is spent on recvfrom/sendto (about two syscalls per request).
//
// Usage:     netlab-server-iterative_udp --listen 127.0.0.1:9000
//            netlab-server-iterative_udp --proto chat --listen 127.0.0.1:9000  (type notices on stdin)
// Test with: echo hello | nc -u -w1 127.0.0.1 9000
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <chrono>

#include "core/net/stop.hpp"
#include "servers/common/admin_input.hpp"
#include "servers/common/server.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "iterative_udp",
    .transport = server::Transport::kUdp,
    .summary = "Iterative UDP server: one socket, one datagram at a time.",
};

namespace {

void send_all(int fd, proto::DatagramOut& out) {
  for (const auto& d : out.items()) {
    // A full socket buffer or an unreachable peer loses this datagram only: that is UDP.
    ::sendto(fd, d.bytes.data(), d.bytes.size(), MSG_DONTWAIT, d.to.sockaddr_ptr(), d.to.length());
  }
  out.clear();
}

}  // namespace

int serve(server::ServerContext& ctx) {
  const int fd = ctx.listener();
  core::ShutdownOnStop wake_recv(fd);  // shutdown() wakes recvfrom even on an unconnected socket
  auto service = ctx.make_datagram_service();
  // Wake at least once a second so the protocol's timers run (chat drops silent members).
  timeval tick{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
  auto next_tick = std::chrono::steady_clock::now() + std::chrono::seconds(1);

  proto::DatagramOut out;
  server::AdminInput admin(ctx);  // the operator's notices (chat); inactive for other protocols
  static char buf[65536];
  while (!core::stop_requested()) {
    int flags = 0;
    if (admin.active()) {
      // Wait for a datagram or an operator's line, whichever comes first.
      pollfd fds[2] = {{fd, POLLIN, 0}, {admin.fd(), POLLIN, 0}};
      ::poll(fds, 2, 1000);
      if (fds[1].revents != 0) {
        admin.deliver(*service, out);
        send_all(fd, out);
      }
      flags = MSG_DONTWAIT;
    }
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    ssize_t n = ::recvfrom(fd, buf, sizeof buf, flags, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n >= 0 && from.ss_family != AF_UNSPEC) {  // unset after a shutdown wake-up
      service->on_datagram(core::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&from), from_len),
                           {buf, static_cast<size_t>(n)}, out);
      send_all(fd, out);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED) {
      break;
    }
    if (auto now = std::chrono::steady_clock::now(); now >= next_tick) {
      service->on_tick(out);
      send_all(fd, out);
      next_tick = now + std::chrono::seconds(1);
    }
  }
  return 0;
}
