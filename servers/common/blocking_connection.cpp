#include "servers/common/blocking_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "core/net/stop.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/common/send_outbox.hpp"

namespace netlab::server {
namespace {

void set_timeout(int fd, int option, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

// The read deadline is the socket's SO_RCVTIMEO, so the common case, a whole request per read,
// costs one read() and no poll() (a poll per request cost thread_pool 10% of its HTTP requests/s in
// the gate's A/B). The timeout is set only when it changes: between requests it is the constant
// idle timeout; while a request is due (the first one, from the accept, or one that arrived in
// pieces) it is the time left until its header deadline, which does not restart on each byte.
class ReadDeadline {
 public:
  ReadDeadline(int fd, const ServerOptions& options) : fd_(fd), idle_(options.idle_timeout) {}

  // Arms the socket for the next read; false when the deadline has already passed. `slice` caps
  // a header wait (to look at the listener's queue between slices).
  bool arm(const RequestTimer& timer, std::chrono::milliseconds slice = std::chrono::milliseconds::max()) {
    std::chrono::milliseconds want{0};  // 0: no timeout (output queued: the send timeout governs)
    if (timer.kind() == RequestTimer::Kind::kIdle) {
      want = idle_;
    } else if (timer.kind() == RequestTimer::Kind::kHeader) {
      want = std::chrono::ceil<std::chrono::milliseconds>(timer.deadline() - RequestTimer::now());
      if (want.count() <= 0) return false;
      want = std::min(want, slice);
    }
    if (want != armed_ || timer.kind() == RequestTimer::Kind::kHeader) {
      set_timeout(fd_, SO_RCVTIMEO, want);
      armed_ = want;
    }
    return true;
  }

 private:
  int fd_;
  std::chrono::milliseconds idle_;
  std::chrono::milliseconds armed_{-1};
};

// How long the connection has received nothing: since its last data, or since its handshake when
// it sent none (the kernel counts time spent in the listen backlog too).
std::chrono::milliseconds quiet_for(int fd) {
  tcp_info info{};
  socklen_t len = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return std::chrono::milliseconds{0};
  return std::chrono::milliseconds{info.tcpi_last_data_recv};
}

// Nothing more has arrived than was read.
bool nothing_readable(int fd) {
  int pending = 0;
  return ::ioctl(fd, FIONREAD, &pending) == 0 && pending == 0;
}

constexpr uint64_t kShedAtOnceBytes = 4096;

}  // namespace

bool listener_has_waiting(int listener) {
  tcp_info info{};
  socklen_t len = sizeof info;
  return ::getsockopt(listener, IPPROTO_TCP, TCP_INFO, &info, &len) == 0 && info.tcpi_unacked > 0;
}

void serve_blocking_connection(int fd, proto::Session& session, const ServerOptions& options,
                               RequestTimer::Clock::time_point accepted_at,
                               const std::function<bool()>& others_waiting) {
  set_timeout(fd, SO_SNDTIMEO, options.send_timeout);
  RequestTimer timer(options, accepted_at);
  ReadDeadline deadline(fd, options);
  proto::Outbox out;
  // A request begun but not finished, on a connection gone quiet, while others wait: cut. One that
  // sent nothing yet keeps its header timeout: a client may connect first and speak later.
  // Judged at once (no wait since our last read) only while the connection has sent less than any
  // receive window, so that flow control cannot have held the rest back: a slowloris head is a few
  // hundred bytes. A large request is judged only after a slice passed with nothing new.
  uint64_t received = 0;
  auto shed = [&](bool at_once) {
    return others_waiting && timer.kind() == RequestTimer::Kind::kHeader && session.partial_request() &&
           (!at_once || (received <= kShedAtOnceBytes && nothing_readable(fd))) && quiet_for(fd) >= kShedQuiet &&
           others_waiting();
  };
  const auto slice = others_waiting ? kShedQuiet : std::chrono::milliseconds::max();
  char buf[16384];
  for (;;) {
    // Past the deadline (a connection that waited its turn in a queue) what has already arrived is
    // still taken, without waiting: a whole request is served, a partial one timed out.
    const bool late = !deadline.arm(timer, slice);
    const bool sliced = others_waiting && timer.kind() == RequestTimer::Kind::kHeader;
    ssize_t n;
    bool cut = false;
    if (late) {
      n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    } else if (sliced) {
      // While others wait, what has arrived is taken first and only then is quiet judged: a whole
      // request that sat in the backlog is served, an unfinished one that went quiet is cut at once.
      n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0 && errno == EAGAIN) {
        cut = shed(true);
        if (!cut) n = ::read(fd, buf, sizeof buf);  // waits one slice at most
      }
    } else {
      n = ::read(fd, buf, sizeof buf);
    }
    // SO_RCVTIMEO passed: EAGAIN. A signal on this thread: EINTR (go on unless stopping).
    if (!cut && n < 0 && errno == EINTR && !core::stop_requested()) continue;
    const bool timed_out = cut || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
    if (timed_out && !cut && sliced && !timer.expired(RequestTimer::now()) && !shed(false)) {
      continue;  // a slice ended, not the deadline, and nobody needs this worker
    }
    if (timed_out) {
      time_out(session, out);
      send_outbox(fd, out);  // HTTP's 408, bounded by the send timeout
      return;
    }
    if (n < 0) {
      return;  // reset, or a stop interrupted or shut down the read
    }
    if (n == 0) {
      session.on_peer_closed(out);
      send_outbox(fd, out);  // a last reply to a half-closed peer, if the protocol has one
      return;
    }
    received += static_cast<uint64_t>(n);
    session.on_bytes({buf, static_cast<size_t>(n)}, out);
    for (;;) {
      // kWouldBlock here means SO_SNDTIMEO passed with nothing sent: the client stopped reading.
      if (send_outbox(fd, out) != SendResult::kDone || out.wants_close()) {
        return;
      }
      if (!out.input_held()) break;
      session.on_bytes({}, out);  // requests held back while the outbox was full (Outbox flow control)
    }
    timer.update(session, out);
    if (shed(true)) {  // what arrived left the request unfinished, and it arrived a while ago
      time_out(session, out);
      send_outbox(fd, out);
      return;
    }
  }
}

}  // namespace netlab::server
