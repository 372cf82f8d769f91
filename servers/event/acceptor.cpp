#include "servers/event/acceptor.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/net/socket.hpp"
#include "servers/common/accept.hpp"

namespace netlab::server {
namespace {

int open_spare() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

}  // namespace

Acceptor::Acceptor(const ServerContext& ctx, int listener) : ctx_(ctx), listener_(listener), spare_(open_spare()) {}

AcceptResult Acceptor::accept(core::Fd& conn) {
  for (;;) {
    int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      if (exhausted_) {
        exhausted_ = false;
        log(ctx_, "descriptors available again, accepting");
      }
      core::set_nodelay(fd);
      conn.reset(fd);
      return AcceptResult::kAccepted;
    }
    switch (errno) {
      case EINTR:
      case ECONNABORTED:
      case EPROTO:
        continue;
      default:
        return on_accept_error(errno);
    }
  }
}

AcceptResult Acceptor::on_accept_error(int err) {
  if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM) {
    return AcceptResult::kAgain;  // EAGAIN, or EINVAL once the listener was shut down
  }
  if (!exhausted_) {
    exhausted_ = true;
    log(ctx_, std::string("accept: ") + std::strerror(err) +
                  "; refusing new connections with a busy reply until descriptors free up");
  }
  if (!spare_) {
    spare_.reset(open_spare());  // a descriptor freed since the last episode becomes the spare
    if (!spare_) {
      return AcceptResult::kOutOfFds;
    }
  }
  spare_.reset();
  int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  int accept_errno = errno;
  if (fd >= 0) {
    ++refused_;
    refuse(ctx_, core::Fd(fd), "out of file descriptors");  // closes it: the slot is free again
  }
  spare_.reset(open_spare());
  if (fd >= 0) {
    return spare_ ? AcceptResult::kRefused : AcceptResult::kOutOfFds;
  }
  return accept_errno == EAGAIN ? AcceptResult::kAgain : AcceptResult::kOutOfFds;
}

void raise_fd_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace netlab::server
