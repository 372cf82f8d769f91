#include "servers/common/accept.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/net/socket.hpp"
#include "core/net/stop.hpp"

namespace netlab::server {

core::Fd accept_blocking(const ServerContext& ctx, const std::function<void()>& on_interrupt) {
  bool out_of_fds = false;
  while (!core::stop_requested()) {
    int fd = ::accept4(ctx.listener(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      if (out_of_fds) {
        log(ctx, "descriptors available again, accepting");
      }
      core::set_nodelay(fd);
      return core::Fd(fd);
    }
    switch (errno) {
      case EINTR:
        if (on_interrupt) on_interrupt();
        continue;
      case ECONNABORTED:
      case EPROTO:
        continue;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        if (!out_of_fds) {
          log(ctx, std::string("accept: ") + std::strerror(errno) + "; backing off until descriptors free up");
          out_of_fds = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      default:
        // EINVAL after shutdown(listener): the stop handler (ours or a parent's) closed the door.
        return {};
    }
  }
  return {};
}

void refuse(const ServerContext& ctx, core::Fd conn, std::string_view reason) {
  std::string reply = proto::busy_reply(ctx.options().protocol.protocol, reason);
  // Best effort and never blocking: a refused client must not hold the accepting thread.
  [[maybe_unused]] auto n = ::send(conn.get(), reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace netlab::server
