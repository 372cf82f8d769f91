// EventConnection: one non-blocking TCP connection driven by readiness events, shared by every
// readiness model (select, poll, epoll, reactors, processes). It reads, feeds the protocol session,
// and sends what the session queued; what the socket cannot take now stays in the Outbox and the
// connection asks for write interest until it drains.
//
// Backpressure: a client that sends without reading would make the Outbox grow without bound, in
// bytes or in open files. While the Outbox is full() the connection stops reading (the client's own
// send buffer then fills and blocks it); once it is not, the requests the session held back go on
// (on_bytes({})), then reading resumes. A connection whose queued output made no progress for the
// send timeout is closed by the loop (stalled()).
//
// Timeouts: a RequestTimer holds the header or idle deadline; the loop checks expired() on its
// sweeps and calls time_out(), which sends HTTP's 408 where there is one and then closes.
//
// Thread contract: used only by the loop thread that owns it. Owns fd and session.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>

#include "core/net/fd.hpp"
#include "core/proto/outbox.hpp"
#include "core/proto/session.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

class EventConnection {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Step { kKeep, kClose };

  // `serial`: the order of its accept, which breaks ties between equally quiet connections.
  EventConnection(core::Fd fd, std::unique_ptr<proto::Session> session, const ServerOptions& options,
                  uint64_t serial = 0);

  int fd() const { return fd_.get(); }
  // Reads what is available into `buf` (once, or until EAGAIN when `drain`), feeds the session and
  // sends its replies. Edge-triggered loops pass drain = true.
  Step on_readable(std::span<char> buf, bool drain);
  // Sends queued output; resumes reading (through on_readable) when the queue fell below the cap.
  Step on_writable(std::span<char> buf, bool drain);
  // The readiness this connection waits for now: kReadable unless reading is paused or over,
  // kWritable while output is queued. Level-triggered loops re-register when it changes.
  uint32_t wanted() const;
  // True when queued output has made no progress since `deadline - send timeout`.
  bool stalled(Clock::time_point now, std::chrono::milliseconds timeout) const;
  // True when the header or idle deadline passed.
  bool expired(Clock::time_point now) const { return timer_.expired(now); }
  // After expired(): stops reading, queues the protocol's timeout reply (HTTP 408) and sends it.
  // kClose when nothing is left to send; else the loop waits for writability as usual.
  Step time_out();
  uint64_t pending_bytes() const { return out_.pending_bytes(); }
  // Since when it has waited quietly for a request; max() while busy (server::quiet_since).
  Clock::time_point quiet_since() const;
  uint64_t serial() const { return serial_; }
  // Best-effort last send before a stop closes the connection.
  void flush();

 private:
  Step send();
  bool done() const { return (reading_over_ || out_.wants_close()) && out_.empty(); }

  core::Fd fd_;
  std::unique_ptr<proto::Session> session_;
  proto::Outbox out_;
  RequestTimer timer_;
  uint64_t serial_;
  Clock::time_point blocked_since_{};  // when the socket last refused output we had queued
  bool reading_over_ = false;          // the peer closed, or the session asked to close
  bool paused_ = false;                // output above the cap: not reading
};

}  // namespace netlab::server
