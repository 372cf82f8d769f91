// EpollWaiter: waits with nanosecond precision (epoll_pwait2, Linux 5.11) where the kernel has it,
// otherwise with epoll_wait's milliseconds rounded up. The first ENOSYS is remembered, so an older
// kernel, or valgrind (whose 3.19 does not know epoll_pwait2), costs one system call per wait, not
// two, and the gate's per-request cost counts are not inflated by failed calls.
//
// Thread contract: one per event loop thread.
#pragma once

#include <errno.h>
#include <sys/epoll.h>

#include <cstdint>

namespace netlab::loadgen {

class EpollWaiter {
 public:
  int wait(int epoll_fd, epoll_event* events, int max, int64_t wait_ns) {
    if (pwait2_) {
      timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000), static_cast<long>(wait_ns % 1'000'000'000)};
      int n = epoll_pwait2(epoll_fd, events, max, &ts, nullptr);
      if (n >= 0 || errno != ENOSYS) return n;
      pwait2_ = false;
    }
    return epoll_wait(epoll_fd, events, max, static_cast<int>((wait_ns + 999'999) / 1'000'000));
  }

 private:
  bool pwait2_ = true;
};

}  // namespace netlab::loadgen
