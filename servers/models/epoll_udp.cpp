// epoll_udp: an event loop for datagrams. One epoll instance watches the UDP socket, the
// operator's standard input (chat notices), a timerfd for the protocol's once-a-second tick and the
// stop eventfd; nothing blocks but epoll_wait. Datagrams come in batches with recvmmsg (up to 32
// per syscall) and replies leave in batches with sendmmsg, which is what it gains over
// iterative_udp's two syscalls per datagram when many peers talk at once. It still saturates one
// core, and a slow handler (--cpu-work, --io-delay) stalls every peer: it runs in the loop.
//
// Usage:     netlab-server-epoll_udp --listen 127.0.0.1:9000 --proto chat
// Test with: echo hello | nc -u -w1 127.0.0.1 9000
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/net/socket.hpp"
#include "core/net/stop.hpp"
#include "servers/common/admin_input.hpp"
#include "servers/common/server.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "epoll_udp",
    .transport = server::Transport::kUdp,
    .summary = "Event-driven UDP server: epoll with recvmmsg/sendmmsg batches.",
};

namespace {

constexpr unsigned kBatch = 32;
constexpr size_t kDatagramMax = 65536;

// Sends every queued datagram, kBatch per sendmmsg. A full socket buffer loses the rest of this
// batch's replies only: that is UDP, and blocking here would stall every peer.
void send_batched(int fd, proto::DatagramOut& out) {
  auto& items = out.items();
  for (size_t first = 0; first < items.size(); first += kBatch) {
    mmsghdr msgs[kBatch] = {};
    iovec iov[kBatch];
    unsigned n = 0;
    for (size_t i = first; i < items.size() && n < kBatch; ++i, ++n) {
      iov[n] = {items[i].bytes.data(), items[i].bytes.size()};
      msgs[n].msg_hdr.msg_name = const_cast<sockaddr*>(items[i].to.sockaddr_ptr());
      msgs[n].msg_hdr.msg_namelen = items[i].to.length();
      msgs[n].msg_hdr.msg_iov = &iov[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
    }
    while (::sendmmsg(fd, msgs, n, MSG_DONTWAIT) < 0 && errno == EINTR) {
    }
  }
  out.clear();
}

void watch(int epoll_fd, int fd) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

}  // namespace

int serve(server::ServerContext& ctx) {
  const int sock = ctx.listener();
  core::set_nonblocking(sock);
  auto service = ctx.make_datagram_service();
  server::AdminInput admin(ctx);

  core::Fd epoll_fd(::epoll_create1(EPOLL_CLOEXEC));
  core::Fd tick(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  itimerspec every_second{{1, 0}, {1, 0}};
  ::timerfd_settime(tick.get(), 0, &every_second, nullptr);
  watch(epoll_fd.get(), sock);
  watch(epoll_fd.get(), tick.get());
  watch(epoll_fd.get(), core::stop_fd());
  if (admin.active()) watch(epoll_fd.get(), admin.fd());

  // Receive buffers and headers for one batch, allocated once.
  std::vector<char> buffers(kBatch * kDatagramMax);
  iovec iov[kBatch];
  sockaddr_storage peers[kBatch];
  mmsghdr msgs[kBatch];
  proto::DatagramOut out;

  while (!core::stop_requested()) {
    epoll_event events[4];
    int ready = ::epoll_wait(epoll_fd.get(), events, 4, -1);
    for (int e = 0; e < ready; ++e) {
      const int fd = events[e].data.fd;
      if (fd == sock) {
        for (unsigned i = 0; i < kBatch; ++i) {
          iov[i] = {&buffers[i * kDatagramMax], kDatagramMax};
          msgs[i] = {};
          msgs[i].msg_hdr.msg_name = &peers[i];
          msgs[i].msg_hdr.msg_namelen = sizeof peers[i];
          msgs[i].msg_hdr.msg_iov = &iov[i];
          msgs[i].msg_hdr.msg_iovlen = 1;
        }
        // Level-triggered: one batch per wake-up; a socket with more waiting stays ready.
        int got = ::recvmmsg(sock, msgs, kBatch, MSG_DONTWAIT, nullptr);
        for (int i = 0; i < got; ++i) {
          auto from = core::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&peers[i]), msgs[i].msg_hdr.msg_namelen);
          service->on_datagram(from, {&buffers[static_cast<size_t>(i) * kDatagramMax], msgs[i].msg_len}, out);
        }
      } else if (fd == tick.get()) {
        uint64_t expirations;
        [[maybe_unused]] auto n = ::read(fd, &expirations, sizeof expirations);
        service->on_tick(out);
      } else if (fd == admin.fd()) {
        admin.deliver(*service, out);
        if (!admin.active()) ::epoll_ctl(epoll_fd.get(), EPOLL_CTL_DEL, fd, nullptr);
      }
      send_batched(sock, out);
    }
  }
  return 0;
}
