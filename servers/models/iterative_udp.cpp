// iterative_udp: the notes' UDP loop server. One socket, one loop: receive a datagram, let the
// protocol answer, send the replies, repeat. UDP has no connections, so "iterative" costs little
// here: every client is served in turn per datagram, never per session. It waits in poll(2) for
// the socket, the once-a-second tick and the operator's stdin (chat) at once, then receives one
// datagram: three syscalls per request (poll, recvfrom, sendto), and it saturates when one core is
// spent on them.
//
// Usage:     netlab-server-iterative_udp --listen 127.0.0.1:9000
//            netlab-server-iterative_udp --proto chat --listen 127.0.0.1:9000  (type notices on stdin)
// Test with: echo hello | nc -u -w1 127.0.0.1 9000   # one datagram in, one out; no connection
//            with --proto chat: printf 'JOIN ann\n' | nc -u 127.0.0.1 9000, then type a line on the
//            server's terminal: ann's nc prints it as an admin notice
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/net/stop.hpp"
#include "servers/common/datagram_housekeeping.hpp"
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
  auto service = ctx.make_datagram_service();
  server::DatagramHousekeeping housekeeping(ctx, *service);  // the tick and the operator's notices
  proto::DatagramOut out;
  static char buf[65536];
  while (!core::stop_requested()) {
    // Wait for a datagram, the tick, an operator's line or a stop, whichever comes first.
    pollfd fds[4] = {{fd, POLLIN, 0},
                     {core::stop_fd(), POLLIN, 0},
                     {housekeeping.timer_fd(), POLLIN, 0},
                     {housekeeping.admin_fd(), POLLIN, 0}};
    if (::poll(fds, 4, -1) < 0) {
      continue;  // EINTR: a stop is checked above
    }
    for (const pollfd& p : {fds[2], fds[3]}) {
      if (p.revents != 0) housekeeping.handle(p.fd, out);
    }
    if (fds[0].revents != 0) {
      sockaddr_storage from{};
      socklen_t from_len = sizeof from;
      ssize_t n = ::recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n >= 0) {
        service->on_datagram(core::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&from), from_len),
                             {buf, static_cast<size_t>(n)}, out);
      } else if (errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED) {
        break;
      }
    }
    send_all(fd, out);
  }
  return 0;
}
