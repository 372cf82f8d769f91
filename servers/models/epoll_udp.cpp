// epoll_udp: an event loop for datagrams. One epoll Poller watches the UDP socket, the stop eventfd
// and the housekeeping descriptors (the protocol's once-a-second tick, the operator's standard
// input for chat notices); nothing blocks but epoll_wait. Datagrams come in batches with recvmmsg
// (up to 32 per syscall) and replies leave in batches with sendmmsg, which is what it gains over
// iterative_udp's three syscalls per datagram when many peers talk at once. It still saturates one
// core, and a slow handler (--cpu-work, --io-delay) stalls every peer: it runs in the loop.
//
// Usage:     netlab-server-epoll_udp --listen 127.0.0.1:9000 --proto chat
// Test with: strace -c -e trace=recvmmsg,sendmmsg,recvfrom,sendto -p "$(pgrep -f netlab-server-epoll_udp)" &
//            netlab-loadgen --target 127.0.0.1:9000 --transport udp --connections 64 --duration 3s; kill %1
//            # fewer recvmmsg/sendmmsg calls than datagrams: many peers' datagrams per syscall
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/net/socket.hpp"
#include "core/net/stop.hpp"
#include "servers/common/datagram_housekeeping.hpp"
#include "servers/common/server.hpp"
#include "servers/event/poller.hpp"

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

// One batch of datagrams, its buffers and headers allocated once.
class ReceiveBatch {
 public:
  ReceiveBatch() : buffers_(kBatch * kDatagramMax) {}

  // Level-triggered: one batch per wake-up; a socket with more waiting stays ready.
  void receive(int sock, proto::DatagramService& service, proto::DatagramOut& out) {
    for (unsigned i = 0; i < kBatch; ++i) {
      iov_[i] = {&buffers_[i * kDatagramMax], kDatagramMax};
      msgs_[i] = {};
      msgs_[i].msg_hdr.msg_name = &peers_[i];
      msgs_[i].msg_hdr.msg_namelen = sizeof peers_[i];
      msgs_[i].msg_hdr.msg_iov = &iov_[i];
      msgs_[i].msg_hdr.msg_iovlen = 1;
    }
    int got = ::recvmmsg(sock, msgs_, kBatch, MSG_DONTWAIT, nullptr);
    for (int i = 0; i < got; ++i) {
      auto from = core::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&peers_[i]), msgs_[i].msg_hdr.msg_namelen);
      service.on_datagram(from, {&buffers_[static_cast<size_t>(i) * kDatagramMax], msgs_[i].msg_len}, out);
    }
  }

 private:
  std::vector<char> buffers_;
  iovec iov_[kBatch];
  sockaddr_storage peers_[kBatch];
  mmsghdr msgs_[kBatch];
};

}  // namespace

int serve(server::ServerContext& ctx) {
  const int sock = ctx.listener();
  core::set_nonblocking(sock);
  auto service = ctx.make_datagram_service();
  server::DatagramHousekeeping housekeeping(ctx, *service);  // the tick and the operator's notices
  auto poller = server::make_poller(server::Backend::kEpoll);
  proto::DatagramOut out;
  for (int fd : {sock, core::stop_fd(), housekeeping.timer_fd(), housekeeping.admin_fd()}) {
    if (fd < 0 || poller->add(fd, server::kReadable)) continue;
    if (fd == housekeeping.admin_fd() && errno == EPERM) {
      // Standard input is a regular file (or /dev/null), which epoll cannot watch: it is always
      // readable, so deliver all of it now.
      while (housekeeping.watches(fd)) housekeeping.handle(fd, out);
      continue;
    }
    server::log(ctx, "cannot watch descriptor " + std::to_string(fd) + ": " + std::strerror(errno));
    return 1;
  }
  send_batched(sock, out);
  ReceiveBatch batch;
  server::ReadyEvent events[4];
  while (!core::stop_requested()) {
    int ready = poller->wait(events, -1);
    for (int e = 0; e < ready; ++e) {
      const int fd = events[e].fd;
      if (fd == sock) {
        batch.receive(sock, *service, out);
      } else if (housekeeping.handle(fd, out) && !housekeeping.watches(fd)) {
        poller->remove(fd);  // standard input ended
      }
      send_batched(sock, out);
    }
  }
  return 0;
}
