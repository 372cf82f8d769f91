// Worker set-up, the loop, and the connection life cycle. The deadlines are in
// worker_schedule.cpp; answers and requests in worker_io.cpp.
#include "loadgen/clients/worker.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "loadgen/engine/clock.hpp"

namespace netlab::loadgen {
namespace {

constexpr int64_t kRetryDelayNs = 10 * kMillisecond;  // a failed connection tries again after 10 ms

std::string build_request(const Options& o) {
  if (o.proto == ClientProto::kHttp) {
    return "GET " + o.path + " HTTP/1.1\r\nHost: " + o.host_header +
           "\r\nUser-Agent: netlab-loadgen\r\nAccept: */*\r\n\r\n";
  }
  // Printable bytes that vary, so a server answering with the wrong offset or stale data is caught.
  std::string payload(static_cast<size_t>(o.payload), '\n');
  for (size_t i = 0; i + 1 < payload.size(); ++i) payload[i] = static_cast<char>('a' + (i * 7) % 26);
  return payload;
}

}  // namespace

Worker::Worker(const Options& options, int, int first, int count)
    : BasicDriver(options),
      first_(first),
      pipeline_(static_cast<uint32_t>(options.pipeline)),
      udp_(options.transport == Transport::kUdp),
      coalescing_(options.coalesce_auto ? Coalescing::Policy::kAuto : Coalescing::Policy::kOn,
                  options.mode == Mode::kClosed && options.think_ns == 0 ? options.coalesce_ns : 0),
      conns_(static_cast<size_t>(count)),
      slots_(static_cast<size_t>(count) * pipeline_),
      paced_connect_(options.mode == Mode::kConnect && options.rate > 0),
      request_(build_request(options)),
      datagram_(udp_ ? request_.size() : 0),
      request_budget_(options.requests == 0 ? 0
                      : options.requests * static_cast<uint64_t>(first + count) / static_cast<uint64_t>(options.connections) -
                            options.requests * static_cast<uint64_t>(first) / static_cast<uint64_t>(options.connections)),
      budget_left_(request_budget_) {
  free_list_.reserve(conns_.size());
  retry_.ring.resize(conns_.size());
  think_.ring.resize(2 * conns_.size() * pipeline_);
  for (uint32_t i = 0; i < pipeline_; ++i) request_run_ += request_;
}

Worker::~Worker() { teardown(); }

void Worker::setup() {
  // Open-loop pacing needs timers that fire when asked: the default 50 µs slack would smear them;
  // so would it stretch a coalescing nap past its bound.
  if (options_.rate > 0 || coalescing_.enabled()) prctl(PR_SET_TIMERSLACK, 1000UL);
  engine_ = make_epoll_engine();
}

void Worker::teardown() {
  for (auto& c : conns_) {
    if (c.fd >= 0) ::close(c.fd);
    c.fd = -1;
  }
}

void Worker::body() {
  double share = static_cast<double>(conns_.size()) / options_.connections;
  if (options_.rate > 0) rate_ = RateSchedule(timeline_.start_ns, options_.rate * share);
  // Ramp: connection i of the whole run opens at i / ramp seconds; this worker's share keeps its pace.
  ramp_ = RateSchedule(timeline_.start_ns, options_.ramp > 0 ? options_.ramp * share : 1e12);
  int64_t now = now_ns();
  next_timeout_scan_ = now;
  if (paced_connect_) {
    // No connection is held: each slot waits in free_list_ for the schedule to open it.
    for (uint32_t id = static_cast<uint32_t>(conns_.size()); id-- > 0;) push_free(conns_[id], id);
    next_initial_ = static_cast<uint32_t>(conns_.size());
    rate_started_ = true;
    rate_.restart(now);
  }
  for (;;) {
    run_timers(now);
    coalescing_.tick(now);
    if (measuring_over() && (now >= drain_until_ || active() == 0)) return;
    if (measuring_over()) {
      bool waiting = false;
      for (const auto& c : conns_) waiting = waiting || (c.state == State::kOpen && c.in_flight > 0);
      if (!waiting) return;
    }
    int64_t deadline = next_deadline(now);
    int64_t wait = std::max<int64_t>(0, deadline - now);
    int64_t before = now;
    int n = -1;
    int64_t nap = coalescing_.nap_ns(static_cast<int64_t>(active()) * pipeline_);
    if (nap > 0 && nap < wait) {
      // Let answers pile up without asking the server's side to wake us (coalescing.hpp); if
      // none came, wait as usual.
      timespec nap_ts{0, static_cast<long>(nap)};
      clock_nanosleep(CLOCK_MONOTONIC, 0, &nap_ts, nullptr);
      ++metrics_.counters.coalescing_naps;
      n = engine_->run_once(*this, 0, now);
      if (n == 0) n = engine_->run_once(*this, std::max<int64_t>(0, deadline - now_ns()), now);
    } else {
      n = engine_->run_once(*this, wait, now);
    }
    // Loop lag: how far the wait overshot what was asked (the thread was not scheduled, or the
    // timer fired late). A deadline already past when the wait began is backlog, not lag.
    if (now > std::max(deadline, before)) {
      auto lag_us = static_cast<uint64_t>((now - std::max(deadline, before)) / 1000);
      metrics_.counters.loop_lag_max_us = std::max(metrics_.counters.loop_lag_max_us, lag_us);
    }
    if (n > 0) ++metrics_.counters.loop_wakeups;
    if (n == engine_->max_ready()) now = now_ns();
  }
}

void Worker::open_conn(uint32_t id, int64_t now) {
  Conn& c = conns_[id];
  const core::Address& target = options_.target;
  int type = (udp_ ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;
  c.fd = ::socket(target.family(), type, 0);
  if (c.fd < 0) return fail(c, id, ErrorKind::kConnect, errno, "socket");
  c.connect_start = now;
  if (!udp_) {
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (!options_.sources.empty()) {
    const auto& source = options_.sources[static_cast<size_t>(first_ + static_cast<int>(id)) % options_.sources.size()];
    int one = 1;
    // The port is picked at connect() time, per destination: many sources × the port range.
    setsockopt(c.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (::bind(c.fd, source.sockaddr_ptr(), source.length()) != 0) {
      return fail(c, id, ErrorKind::kConnect, errno, "bind to --source address");
    }
  }
  int done = ::connect(c.fd, target.sockaddr_ptr(), target.length());
  int err = errno;
  if (done != 0 && err != EINPROGRESS) return fail(c, id, ErrorKind::kConnect, err, "connect");
  if (done != 0) {
    c.state = State::kConnecting;
    ++connecting_;
  }
  if (!engine_->add(id, c.fd, done != 0, udp_)) return fail(c, id, ErrorKind::kConnect, errno, "epoll_ctl");
  if (done == 0) on_connected(c, id, now);
}

void Worker::on_connected(Conn& c, uint32_t id, int64_t now) {
  c.state = State::kOpen;
  int active_now = active() + 1;
  set_active(active_now);
  metrics_.counters.active_peak = std::max<int64_t>(metrics_.counters.active_peak, active_now);
  add_established(1);
  ++metrics_.counters.connections_established;
  // A connection that lives for many requests drops write interest (one epoll_ctl per
  // connection); in connect mode it lives for one request and keeps it.
  if (!udp_ && options_.mode != Mode::kConnect && !engine_->stop_writable(id)) {
    return fail(c, id, ErrorKind::kWrite, errno, "epoll_ctl");
  }
  if (!udp_) metrics_.connect.record(to_us(now - c.connect_start));
  if (measuring_over()) return;
  if (options_.mode == Mode::kOpen) {
    if (!rate_started_) {
      rate_started_ = true;  // pacing starts with this worker's first connection, not before
      rate_.restart(now);
    }
    push_free(c, id);
    return;
  }
  // Closed loop and connect-per-request: fill the pipeline at once. In connect mode the latency
  // runs from the connect() call: a transaction is connect + request + answer, as in TCP_CRR;
  // paced by --rate, from the transaction's scheduled time.
  int64_t intended = options_.mode != Mode::kConnect ? now : paced_connect_ ? c.intended : c.connect_start;
  send_next(c, id, pipeline_, intended, now);
}

void Worker::fail(Conn& c, uint32_t id, ErrorKind kind, int err, const char* detail) {
  if (!measuring_over()) count_error(kind, err, detail);
  close_conn(c, id, true);
}

void Worker::close_conn(Conn& c, uint32_t id, bool retry_later) {
  if (c.fd >= 0) {
    engine_->remove(id);
    ::close(c.fd);
  }
  if (c.state == State::kOpen) set_active(active() - 1);
  if (c.state == State::kConnecting) --connecting_;
  c.fd = -1;
  c.state = State::kClosed;
  c.in_flight = c.head = c.unsent = c.think_queued = 0;
  c.echo.reset();
  c.http.reset();
  ++c.generation;
  for (uint32_t i = 0; i < pipeline_; ++i) slots(id)[i].used = false;
  if (measuring_over()) return;
  if (paced_connect_) {
    push_free(c, id);  // the schedule opens it again, failed or not
    return;
  }
  if (retry_later) {
    retry_.push({now_ns() + kRetryDelayNs, id, c.generation});
  } else {
    open_conn(id, now_ns());
  }
}

void Worker::add_answer_spread(AnswerSpread& into) const {
  // In connect mode each connection lives for one request: the spread says nothing there.
  if (options_.mode == Mode::kConnect) return;
  // Only connections that had something to answer: asked in the window, or still waiting for an
  // answer (a request sent in the warm-up to a server that never took the connection). An open
  // loop at a low rate leaves some connections unasked, and those are not the server's fault.
  for (const auto& c : conns_) {
    if (c.asked_measured || c.in_flight > 0 || c.answers_measured > 0) into.add(c.answers_measured);
  }
}

void Worker::push_free(Conn& c, uint32_t id) {
  if (!c.in_free_list && c.in_flight < pipeline_) {
    c.in_free_list = true;
    free_list_.push_back(id);
  }
}

}  // namespace netlab::loadgen
