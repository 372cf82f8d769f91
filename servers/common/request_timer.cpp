#include "servers/common/request_timer.hpp"

#include <time.h>

#include <algorithm>

namespace netlab::server {

RequestTimer::Clock::time_point RequestTimer::now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(ts.tv_sec) +
                                                                       std::chrono::nanoseconds(ts.tv_nsec)));
}

RequestTimer::RequestTimer(const ServerOptions& options, Clock::time_point now)
    : header_(options.header_timeout), idle_(options.idle_timeout), header_started_(now) {
  arm(false, now);
}

void RequestTimer::update(const proto::Session& session, const proto::Outbox& out, Clock::time_point now) {
  if (session.partial_request()) {
    if (!in_header_) {
      in_header_ = true;
      header_started_ = now;  // the first byte of this request: the clock starts once, here
    }
  } else {
    in_header_ = false;
  }
  arm(!out.empty(), now);
}

void RequestTimer::arm(bool output_queued, Clock::time_point now) {
  if (output_queued) {
    kind_ = Kind::kNone;
    deadline_ = Clock::time_point::max();
  } else if (in_header_) {
    kind_ = Kind::kHeader;
    deadline_ = header_started_ + header_;
  } else {
    kind_ = Kind::kIdle;
    deadline_ = now + idle_;
  }
}

RequestTimer::Clock::time_point RequestTimer::quiet_since() const {
  switch (kind_) {
    case Kind::kIdle: return deadline_ - idle_;
    case Kind::kHeader: return header_started_;
    case Kind::kNone: break;
  }
  return Clock::time_point::max();
}

RequestTimer::Clock::time_point quiet_since(const RequestTimer& timer, const proto::Session& session,
                                            const proto::Outbox& out, bool reading_over) {
  if (reading_over || !out.empty() || out.wants_close() || session.partial_request()) {
    return RequestTimer::Clock::time_point::max();
  }
  return timer.quiet_since();
}

void time_out(proto::Session& session, proto::Outbox& out) {
  if (session.partial_request()) {
    session.on_request_timeout(out);
  }
  out.close_after_send();
}

std::chrono::milliseconds sweep_interval(const ServerOptions& options) {
  auto shortest = std::min({options.header_timeout, options.idle_timeout, options.send_timeout});
  return std::clamp(shortest / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(1000));
}

}  // namespace netlab::server
