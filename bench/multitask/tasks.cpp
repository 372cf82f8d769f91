#include "bench/multitask/tasks.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>

#include "core/net/error.hpp"

namespace netlab::bench {

std::uint64_t cpu_task(std::uint64_t seed) {
  std::uint64_t x = seed | 1;
  for (std::uint64_t i = 0; i < kCpuTaskSteps; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

int arm_timer(std::chrono::nanoseconds after) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error("timerfd_create: " + core::errno_text(errno));
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(after.count() / 1'000'000'000);
  spec.it_value.tv_nsec = static_cast<long>(after.count() % 1'000'000'000);
  if (timerfd_settime(fd, 0, &spec, nullptr) != 0) {
    int err = errno;
    close(fd);
    throw std::runtime_error("timerfd_settime: " + core::errno_text(err));
  }
  return fd;
}

void finish_timer(int timer_fd) {
  std::uint64_t expirations = 0;
  while (read(timer_fd, &expirations, sizeof expirations) < 0 && errno == EINTR) {
  }
  close(timer_fd);
}

}  // namespace netlab::bench
