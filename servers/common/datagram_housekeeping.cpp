#include "servers/common/datagram_housekeeping.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "core/net/error.hpp"

namespace netlab::server {

DatagramHousekeeping::DatagramHousekeeping(const ServerContext& ctx, proto::DatagramService& service)
    : service_(service), admin_(ctx), tick_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
  itimerspec every_second{{1, 0}, {1, 0}};
  if (!tick_ || ::timerfd_settime(tick_.get(), 0, &every_second, nullptr) != 0) {
    core::throw_errno("timerfd", errno);
  }
}

bool DatagramHousekeeping::handle(int fd, proto::DatagramOut& out) {
  if (fd == tick_.get()) {
    uint64_t expirations;
    if (::read(fd, &expirations, sizeof expirations) > 0) {
      service_.on_tick(out);  // once, however many seconds passed: the service reads its own clock
    }
    return true;
  }
  if (admin_.active() && fd == admin_.fd()) {
    admin_.deliver(service_, out);
    return true;
  }
  return false;
}

}  // namespace netlab::server
