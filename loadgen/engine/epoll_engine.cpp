// The epoll engine (engine.hpp). Every socket is registered once, edge-triggered, for input and
// peer hang-up; write interest is on only while connecting or while a send waits for room
// (otherwise every ACK that frees send-buffer space would wake the loop for nothing), and close()
// drops the registration. On an edge the engine reads until the socket is drained: a short read
// means drained, except when the peer's FIN came with the edge, since no further edge follows it.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

#include "core/net/error.hpp"
#include "loadgen/engine/clock.hpp"
#include "loadgen/engine/engine.hpp"
#include "loadgen/engine/epoll_waiter.hpp"

namespace netlab::loadgen {
namespace {

constexpr int kMaxEvents = 1024;
constexpr size_t kReadBuffer = 64 * 1024;  // bytes per read() or recv()
constexpr uint32_t kInput = EPOLLIN | EPOLLRDHUP | EPOLLET;

class EpollEngine final : public Engine {
 public:
  EpollEngine() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_fd_ < 0) throw std::runtime_error("epoll_create1: " + core::errno_text(errno));
  }
  ~EpollEngine() override { ::close(epoll_fd_); }
  EpollEngine(const EpollEngine&) = delete;
  EpollEngine& operator=(const EpollEngine&) = delete;

  std::string_view name() const override { return "epoll"; }
  int max_ready() const override { return kMaxEvents; }

  bool add(uint32_t id, int fd, bool connecting, bool datagram) override {
    if (id >= socks_.size()) socks_.resize(id + 1);
    Sock& s = socks_[id];
    // A stream watches for writing until its connect is done (and the first stop_writable).
    s = Sock{.fd = fd, .watched = true, .connecting = connecting, .datagram = datagram, .out_armed = !datagram};
    epoll_event ev{};
    ev.events = kInput | (s.out_armed ? static_cast<uint32_t>(EPOLLOUT) : 0u);
    ev.data.u32 = id;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) return true;
    s.watched = false;
    return false;
  }

  void remove(uint32_t id) override {
    if (id < socks_.size()) socks_[id].watched = false;  // close() drops the epoll registration
  }

  int64_t send(uint32_t id, const char* data, size_t len) override {
    const Sock& s = socks_[id];
    ssize_t n = ::send(s.fd, data, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (s.datagram || (errno != EAGAIN && errno != EINTR)) return -errno;
      n = 0;
    }
    if (static_cast<size_t>(n) < len && !s.datagram && !arm(id, true)) return -errno;
    return n;
  }

  bool stop_writable(uint32_t id) override { return arm(id, false); }

  int run_once(EngineHandler& handler, int64_t wait_ns, int64_t& woke) override {
    int n = waiter_.wait(epoll_fd_, events_, kMaxEvents, wait_ns);
    woke = now_ns();
    for (int i = 0; i < n; ++i) deliver(handler, events_[i].data.u32, events_[i].events, woke);
    return n;
  }

 private:
  struct Sock {
    int fd = -1;
    bool watched = false;
    bool connecting = false;
    bool datagram = false;
    bool out_armed = false;  // EPOLLOUT in the interest set
  };

  bool arm(uint32_t id, bool on) {
    Sock& s = socks_[id];
    if (s.out_armed == on) return true;
    epoll_event ev{};
    ev.events = kInput | (on ? static_cast<uint32_t>(EPOLLOUT) : 0u);
    ev.data.u32 = id;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, s.fd, &ev) != 0) return false;
    s.out_armed = on;
    return true;
  }

  // One socket's news, in order: the end of a connect, what arrived, room to write.
  void deliver(EngineHandler& handler, uint32_t id, uint32_t events, int64_t now) {
    // A socket closed by an earlier event of this batch is stale. (A connection reopened in the
    // same batch has a new socket; its readiness comes with a later wait.)
    if (!socks_[id].watched) return;
    // No reference into socks_ across a callback: the handler may close and reopen connections.
    if (socks_[id].connecting) {
      if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
      socks_[id].connecting = false;
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(socks_[id].fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0 && (events & (EPOLLERR | EPOLLHUP))) err = ECONNREFUSED;
      if (handler.on_connect_done(id, err, now) == EngineHandler::Next::kClosed) return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
      bool open = socks_[id].datagram ? receive(handler, id)
                                      : read(handler, id, (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
      if (!open) return;
    }
    if (events & EPOLLOUT) handler.on_writable(id);
  }

  // Stream: reads until drained; false once the connection is gone.
  bool read(EngineHandler& handler, uint32_t id, bool peer_closed) {
    int fd = socks_[id].fd;
    for (;;) {
      ssize_t n = ::read(fd, buffer_, kReadBuffer);
      if (n > 0) {
        auto len = static_cast<size_t>(n);
        if (handler.on_data(id, buffer_, len, now_ns()) == EngineHandler::Next::kClosed) return false;
        if (len < kReadBuffer && !peer_closed) return true;
        continue;
      }
      if (n == 0) {
        handler.on_end_of_stream(id);
        return false;
      }
      if (errno == EAGAIN || errno == EINTR) return true;
      handler.on_read_error(id, errno);
      return false;
    }
  }

  // Datagrams: one on_data each, until none is left.
  bool receive(EngineHandler& handler, uint32_t id) {
    int fd = socks_[id].fd;
    for (;;) {
      ssize_t n = ::recv(fd, buffer_, kReadBuffer, 0);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return true;
        handler.on_read_error(id, errno);
        return false;
      }
      if (handler.on_data(id, buffer_, static_cast<size_t>(n), now_ns()) == EngineHandler::Next::kClosed) return false;
    }
  }

  int epoll_fd_;
  EpollWaiter waiter_;
  std::vector<Sock> socks_;
  char buffer_[kReadBuffer];
  epoll_event events_[kMaxEvents];
};

}  // namespace

std::unique_ptr<Engine> make_epoll_engine() { return std::make_unique<EpollEngine>(); }

}  // namespace netlab::loadgen
