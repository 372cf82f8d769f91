#include "servers/common/acceptor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/net/socket.hpp"
#include "core/net/stop.hpp"

namespace netlab::server {
namespace {

int open_spare() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

bool out_of_descriptors(int err) { return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM; }

}  // namespace

Acceptor::Acceptor(const ServerContext& ctx, int listener, AcceptMode mode)
    : ctx_(ctx), listener_(listener), mode_(mode), spare_(open_spare()) {}

AcceptResult Acceptor::accept(core::Fd& conn) {
  const int flags = SOCK_CLOEXEC | (mode_ == AcceptMode::kNonBlocking ? SOCK_NONBLOCK : 0);
  bool waited = false;
  restore_spare();
  for (;;) {
    int fd = ::accept4(listener_, nullptr, nullptr, flags);
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
        if (mode_ == AcceptMode::kBlocking) {
          interrupted_ = true;  // next() runs on_interrupt and looks for a stop
          return AcceptResult::kAgain;
        }
        continue;
      case ECONNABORTED:
      case EPROTO:
        continue;
      default:
        if (mode_ == AcceptMode::kBlocking && out_of_descriptors(errno) && !waited) {
          // A blocking accept takes the descriptor before it looks for a connection, so it fails
          // at once even with nobody waiting. Wait for someone, then try again: descriptors may
          // have freed up meanwhile; if not, the second failure refuses that client.
          if (!wait_for_listener(-1)) return AcceptResult::kAgain;
          waited = true;
          continue;
        }
        return on_accept_error(errno);
    }
  }
}

core::Fd Acceptor::next(const std::function<void()>& on_interrupt) {
  while (!core::stop_requested()) {
    core::Fd conn;
    switch (accept(conn)) {
      case AcceptResult::kAccepted:
        return conn;
      case AcceptResult::kRefused:
        continue;
      case AcceptResult::kAgain:
        if (listener_gone_) {
          return {};  // EINVAL after shutdown(listener): the stop handler (ours or a parent's) closed the door
        }
        if (std::exchange(interrupted_, false) && on_interrupt) on_interrupt();
        continue;
      case AcceptResult::kOutOfFds: {
        pollfd stop{core::stop_fd(), POLLIN, 0};
        ::poll(&stop, 1, 100);  // let descriptors free up, waking at once for a stop
        continue;
      }
    }
  }
  return {};
}

bool Acceptor::wait_for_listener(int timeout_ms) {
  pollfd fds[2] = {{listener_, POLLIN, 0}, {core::stop_fd(), POLLIN, 0}};
  if (::poll(fds, 2, timeout_ms) < 0) {
    interrupted_ = errno == EINTR;
    return false;
  }
  return fds[0].revents != 0 && fds[1].revents == 0;
}

AcceptResult Acceptor::on_accept_error(int err) {
  if (!out_of_descriptors(err)) {
    listener_gone_ = err != EAGAIN && err != EWOULDBLOCK;  // EINVAL once the listener was shut down
    return AcceptResult::kAgain;
  }
  if (!exhausted_) {
    exhausted_ = true;
    log(ctx_, std::string("accept: ") + std::strerror(err) +
                  "; refusing new connections with a busy reply until descriptors free up");
  }
  restore_spare();
  if (!spare_) {
    return AcceptResult::kOutOfFds;
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
  interrupted_ = accept_errno == EINTR;
  return accept_errno == EAGAIN || accept_errno == EINTR ? AcceptResult::kAgain : AcceptResult::kOutOfFds;
}

void Acceptor::restore_spare() {
  if (!spare_) {
    spare_.reset(open_spare());  // a descriptor freed since the spare was lost becomes the spare
  }
}

void refuse(const ServerContext& ctx, core::Fd conn, std::string_view reason) {
  std::string reply = proto::busy_reply(ctx.options().protocol.protocol, reason);
  // Best effort and never blocking: a refused client must not hold the accepting thread.
  [[maybe_unused]] auto n = ::send(conn.get(), reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

void raise_fd_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace netlab::server
