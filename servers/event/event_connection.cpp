#include "servers/event/event_connection.hpp"

#include <sys/socket.h>

#include <cerrno>

#include "servers/common/send_outbox.hpp"
#include "servers/event/poller.hpp"

namespace netlab::server {

EventConnection::EventConnection(core::Fd fd, std::unique_ptr<proto::Session> session,
                                 const ServerOptions& options, uint64_t serial)
    : fd_(std::move(fd)), session_(std::move(session)), timer_(options), serial_(serial) {}

EventConnection::Step EventConnection::on_readable(std::span<char> buf, bool drain) {
  // A readiness with nothing behind it (edge-triggered loops read every new connection once at
  // accept, and report it writable) must not touch the timer: it would turn a silent new
  // connection's header deadline into the longer idle one.
  bool took_input = false;
  while (!reading_over_ && !out_.wants_close()) {
    if (out_.full()) {
      paused_ = true;  // backpressure: let the socket drain before reading more
      break;
    }
    if (out_.input_held()) {
      took_input = true;
      session_->on_bytes({}, out_);  // requests kept back while the outbox was full come first
      if (send() == Step::kClose) {
        return Step::kClose;
      }
      continue;
    }
    ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
    took_input = took_input || n >= 0;
    if (n > 0) {
      session_->on_bytes({buf.data(), static_cast<size_t>(n)}, out_);
    } else if (n == 0) {
      reading_over_ = true;
      session_->on_peer_closed(out_);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      break;
    } else if (errno == EINTR) {
      continue;
    } else {
      return Step::kClose;  // reset by the peer
    }
    if (send() == Step::kClose) {
      return Step::kClose;
    }
    if (!drain && !out_.input_held()) {
      break;
    }
  }
  if (took_input) {
    timer_.update(*session_, out_);
  }
  return done() ? Step::kClose : Step::kKeep;
}

EventConnection::Step EventConnection::on_writable(std::span<char> buf, bool drain) {
  const bool had_output = !out_.empty();  // else a bare writability (edge-triggered: at accept)
  if (send() == Step::kClose) {
    return Step::kClose;
  }
  if (had_output) {
    timer_.update(*session_, out_);
  }
  if (paused_ && !out_.full()) {
    paused_ = false;
    // Requests held back go on now; and edge-triggered, the data that arrived while paused raised
    // no new edge, so read it now.
    if (drain || out_.input_held()) {
      return on_readable(buf, drain);
    }
  }
  return done() ? Step::kClose : Step::kKeep;
}

EventConnection::Step EventConnection::time_out() {
  reading_over_ = true;
  server::time_out(*session_, out_);
  return send();
}

EventConnection::Step EventConnection::send() {
  if (out_.empty()) {
    return done() ? Step::kClose : Step::kKeep;
  }
  uint64_t before = out_.pending_bytes();
  switch (send_outbox(fd_.get(), out_)) {
    case SendResult::kDone:
      blocked_since_ = {};
      return done() ? Step::kClose : Step::kKeep;
    case SendResult::kWouldBlock:
      // Progress (or a fresh refusal) restarts the stall clock; one clock read per refusal, not
      // per request: a connection that keeps up never gets here.
      if (out_.pending_bytes() != before || blocked_since_ == Clock::time_point{}) {
        blocked_since_ = Clock::now();
      }
      return Step::kKeep;
    case SendResult::kError:
      break;
  }
  return Step::kClose;
}

uint32_t EventConnection::wanted() const {
  uint32_t want = (reading_over_ || paused_ || out_.wants_close()) ? 0 : kReadable;
  return out_.empty() ? want : want | kWritable;
}

bool EventConnection::stalled(Clock::time_point now, std::chrono::milliseconds timeout) const {
  return !out_.empty() && blocked_since_ != Clock::time_point{} && now - blocked_since_ > timeout;
}

EventConnection::Clock::time_point EventConnection::quiet_since() const {
  return server::quiet_since(timer_, *session_, out_, reading_over_);
}

void EventConnection::flush() {
  if (!out_.empty()) {
    send_outbox(fd_.get(), out_);
  }
}

}  // namespace netlab::server
