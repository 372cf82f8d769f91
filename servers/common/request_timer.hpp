// RequestTimer: the read-side deadline of one connection, one rule for every TCP model (nginx's
// client_header_timeout and keepalive_timeout):
//   - a new connection, and a request whose start has arrived (Session::partial_request()), must
//     complete within --header-timeout of its first byte (of the accept, for the first request).
//     The clock does not restart on each byte: a slowloris trickle of one byte a second is cut.
//   - a connection with no request in progress and nothing to send is closed after
//     --idle-timeout without a new byte (keep-alive).
//   - while output is queued there is no read deadline: --send-timeout governs (the models close
//     a connection whose queued output made no progress that long).
//
// Clock reads use CLOCK_MONOTONIC_COARSE (a few ns, a few ms of resolution), so calling update()
// per request costs nothing worth measuring.
//
// Thread contract: one per connection, used by the thread serving it.
#pragma once

#include <chrono>

#include "core/proto/outbox.hpp"
#include "core/proto/session.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

class RequestTimer {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Kind { kNone, kHeader, kIdle };

  // The coarse monotonic clock, comparable with Clock::now().
  static Clock::time_point now();

  // Starts the wait for the first request (header timeout from now).
  explicit RequestTimer(const ServerOptions& options, Clock::time_point now = RequestTimer::now());

  // After the session took input, or after its output drained: recomputes the deadline.
  void update(const proto::Session& session, const proto::Outbox& out, Clock::time_point now = RequestTimer::now());
  // What the deadline is for; kNone while output is queued.
  Kind kind() const { return kind_; }
  // Clock::time_point::max() when there is none.
  Clock::time_point deadline() const { return deadline_; }
  bool expired(Clock::time_point now) const { return now >= deadline_; }
  // Since when the connection has waited for a request with nothing begun and nothing to send: its
  // accept, or the moment its last reply drained. max() otherwise. Call only when the session has
  // no partial request (a header deadline is then the first request's, counted from the accept).
  Clock::time_point quiet_since() const;

 private:
  void arm(bool output_queued, Clock::time_point now);

  std::chrono::milliseconds header_;
  std::chrono::milliseconds idle_;
  Clock::time_point header_started_;
  Clock::time_point deadline_;
  Kind kind_ = Kind::kHeader;
  bool in_header_ = true;
};

// Since when a connection has waited quietly for a request (RequestTimer::quiet_since), or max()
// while it is busy: a request begun, output queued, or reading over. At --max-conns an event model
// closes the connection quiet the longest to admit a new one (nginx's reusable connections).
RequestTimer::Clock::time_point quiet_since(const RequestTimer& timer, const proto::Session& session,
                                            const proto::Outbox& out, bool reading_over);

// A deadline passed: the session answers a partial request (HTTP: 408), and the outbox asks to
// close once that is sent. The model calls the session no more.
void time_out(proto::Session& session, proto::Outbox& out);

// How often a loop should look for expired deadlines: a quarter of the shortest timeout, between
// 5 ms and 1 s, so a connection is closed at most about 25% late.
std::chrono::milliseconds sweep_interval(const ServerOptions& options);

}  // namespace netlab::server
