#include "servers/common/blocking_connection.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "core/net/io.hpp"
#include "core/net/stop.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/common/send_outbox.hpp"

namespace netlab::server {
namespace {

void set_send_timeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// Waits until fd is readable or the deadline passes. False on timeout or a stop.
bool wait_readable(int fd, RequestTimer::Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - RequestTimer::now()).count();
    if (left <= 0) {
      return false;
    }
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (n > 0) {
      return true;
    }
    if (n < 0 && (errno != EINTR || core::stop_requested())) {
      return false;
    }
  }
}

}  // namespace

void serve_blocking_connection(int fd, proto::Session& session, const ServerOptions& options) {
  set_send_timeout(fd, options.send_timeout);
  RequestTimer timer(options);
  proto::Outbox out;
  char buf[16384];
  for (;;) {
    if (!wait_readable(fd, timer.deadline())) {
      if (!core::stop_requested()) {
        time_out(session, out);
        send_outbox(fd, out);  // HTTP's 408, bounded by the send timeout
      }
      return;
    }
    ssize_t n = core::read_some(fd, buf, sizeof buf);
    if (n < 0) {
      return;  // reset, or a stop interrupted the read
    }
    if (n == 0) {
      session.on_peer_closed(out);
      send_outbox(fd, out);  // a last reply to a half-closed peer, if the protocol has one
      return;
    }
    session.on_bytes({buf, static_cast<size_t>(n)}, out);
    // kWouldBlock here means SO_SNDTIMEO passed with nothing sent: the client stopped reading.
    if (send_outbox(fd, out) != SendResult::kDone || out.wants_close()) {
      return;
    }
    timer.update(session, out);
  }
}

}  // namespace netlab::server
