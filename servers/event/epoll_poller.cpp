// epoll(7): the interest set lives in the kernel; epoll_wait returns only the ready descriptors, so
// its cost follows activity, not the number of connections. Level-triggered (the default) reports
// a descriptor for as long as it is ready; edge-triggered (EPOLLET) once per change, so the caller
// drains until EAGAIN and, here, registers read and write interest once and never calls
// epoll_ctl again for that connection.
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>

#include "core/net/error.hpp"
#include "core/net/fd.hpp"
#include "servers/event/poller.hpp"

namespace netlab::server {
namespace {

constexpr int kMaxBatch = 512;

class EpollPoller final : public Poller {
 public:
  explicit EpollPoller(bool edge) : epfd_(::epoll_create1(EPOLL_CLOEXEC)), edge_(edge) {
    if (!epfd_) {
      core::throw_errno("epoll_create1", errno);
    }
  }

  bool add(int fd, uint32_t interest) override { return ctl(EPOLL_CTL_ADD, fd, interest); }
  void modify(int fd, uint32_t interest) override { ctl(EPOLL_CTL_MOD, fd, interest); }
  void remove(int fd) override { ::epoll_ctl(epfd_.get(), EPOLL_CTL_DEL, fd, nullptr); }

  int wait(std::span<ReadyEvent> out, int timeout_ms) override {
    epoll_event events[kMaxBatch];
    int max = static_cast<int>(std::min<size_t>(out.size(), kMaxBatch));
    int n = ::epoll_wait(epfd_.get(), events, max, timeout_ms);
    for (int i = 0; i < n; ++i) {
      uint32_t e = events[i].events;
      out[i] = {events[i].data.fd, ((e & EPOLLIN) ? kReadable : 0) | ((e & EPOLLOUT) ? kWritable : 0) |
                                       ((e & (EPOLLERR | EPOLLHUP)) ? kHangup : 0)};
    }
    return n < 0 ? 0 : n;
  }

  bool edge_triggered() const override { return edge_; }
  std::string_view name() const override { return edge_ ? "epoll (edge-triggered)" : "epoll (level-triggered)"; }

 private:
  bool ctl(int op, int fd, uint32_t interest) {
    epoll_event ev{};
    ev.events = (edge_ ? (EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP)
                       : (((interest & kReadable) ? EPOLLIN : 0u) | ((interest & kWritable) ? EPOLLOUT : 0u)));
    ev.data.fd = fd;
    return ::epoll_ctl(epfd_.get(), op, fd, &ev) == 0;
  }

  core::Fd epfd_;
  bool edge_;
};

}  // namespace

std::unique_ptr<Poller> make_epoll_poller(bool edge) { return std::make_unique<EpollPoller>(edge); }

}  // namespace netlab::server
