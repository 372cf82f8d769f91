#include "bench/multitask/coroutine_loop.hpp"

#include <sys/epoll.h>

#include <cerrno>
#include <stdexcept>
#include <string>

#include "core/net/error.hpp"

namespace netlab::bench {

CoroutineLoop::CoroutineLoop() : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_) throw std::runtime_error("epoll_create1: " + core::errno_text(errno));
}

void CoroutineLoop::Readable::await_suspend(std::coroutine_handle<> waiter) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.ptr = waiter.address();
  if (epoll_ctl(loop.epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    throw std::runtime_error("epoll_ctl: " + core::errno_text(errno));
  }
  ++loop.waiting_;
}

void CoroutineLoop::run() {
  epoll_event events[64];
  while (waiting_ > 0) {
    int n = epoll_wait(epoll_.get(), events, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("epoll_wait: " + core::errno_text(errno));
    }
    for (int i = 0; i < n; ++i) {
      --waiting_;
      // The coroutine closes its descriptor before it ends, which also removes it from epoll.
      std::coroutine_handle<>::from_address(events[i].data.ptr).resume();
    }
  }
}

}  // namespace netlab::bench
