// Worker set-up, the loop, timers and connection life cycle. Reading, checking and sending
// requests are in worker_io.cpp.
#include "loadgen/worker.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/net/error.hpp"

namespace netlab::loadgen {
namespace {

constexpr int kMaxEvents = 1024;
constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kRetryDelayNs = 10'000'000;   // a failed connection tries again after 10 ms
constexpr int64_t kMaxDrainNs = 1'000'000'000;  // answers still in flight at the end: wait ≤ 1 s

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

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * kSecond + ts.tv_nsec;
}

Worker::Worker(const Options& options, int index, int first, int count)
    : options_(options),
      index_(index),
      first_(first),
      pipeline_(static_cast<uint32_t>(options.pipeline)),
      udp_(options.transport == Transport::kUdp),
      coalescing_(options.coalesce_auto ? Coalescing::Policy::kAuto : Coalescing::Policy::kOn,
                  options.mode == Mode::kClosed && options.think_ns == 0 ? options.coalesce_ns : 0),
      conns_(static_cast<size_t>(count)),
      slots_(static_cast<size_t>(count) * pipeline_),
      paced_connect_(options.mode == Mode::kConnect && options.rate > 0),
      request_(build_request(options)),
      buffer_(64 * 1024),
      request_budget_(options.requests == 0 ? 0
                      : options.requests * static_cast<uint64_t>(first + count) / static_cast<uint64_t>(options.connections) -
                            options.requests * static_cast<uint64_t>(first) / static_cast<uint64_t>(options.connections)),
      budget_left_(request_budget_) {
  free_list_.reserve(conns_.size());
  retry_.ring.resize(conns_.size());
  think_.ring.resize(2 * conns_.size() * pipeline_);
  for (uint32_t i = 0; i < pipeline_; ++i) request_run_ += request_;
}

void Worker::start(const Timeline& timeline) {
  timeline_ = timeline;
  double share = static_cast<double>(conns_.size()) / options_.connections;
  if (options_.rate > 0) rate_ = RateSchedule(timeline.start_ns, options_.rate * share);
  // Ramp: connection i of the whole run opens at i / ramp seconds; this worker's share keeps its pace.
  ramp_ = RateSchedule(timeline.start_ns, options_.ramp > 0 ? options_.ramp * share : 1e12);
  go_.store(true, std::memory_order_release);
  go_.notify_one();
}

Worker::~Worker() {
  for (auto& c : conns_) {
    if (c.fd >= 0) ::close(c.fd);
  }
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

std::string Worker::fatal() const { return fatal_; }

void Worker::run() {
  // Open-loop pacing needs timers that fire when asked: the default 50 µs slack would smear them;
  // so would it stretch a coalescing nap past its bound.
  if (options_.rate > 0 || coalescing_.enabled()) prctl(PR_SET_TIMERSLACK, 1000UL);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  int err = errno;
  ready_.store(true, std::memory_order_release);
  go_.wait(false, std::memory_order_acquire);
  if (epoll_fd_ < 0) {
    fatal_ = "epoll_create1: " + core::errno_text(err);
  } else {
    loop();
  }
  for (auto& c : conns_) {
    if (c.fd >= 0) {
      ::close(c.fd);
      c.fd = -1;
    }
  }
  active_.store(0, std::memory_order_relaxed);
  finished_.store(true, std::memory_order_release);
}

void Worker::loop() {
  epoll_event events[kMaxEvents];
  next_flush_ = timeline_.measure_start_ns;
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
    if (measuring_over_ && (now >= drain_until_ || active_.load(std::memory_order_relaxed) == 0)) return;
    if (measuring_over_) {
      bool waiting = false;
      for (const auto& c : conns_) waiting = waiting || (c.state == State::kOpen && c.in_flight > 0);
      if (!waiting) return;
    }
    int64_t deadline = next_deadline(now);
    int64_t wait = std::max<int64_t>(0, deadline - now);
    int n = -1;
    int64_t nap = coalescing_.nap_ns(static_cast<int64_t>(active_.load(std::memory_order_relaxed)) * pipeline_);
    if (nap > 0 && nap < wait) {
      // Let answers pile up without asking the server's side to wake us (coalescing.hpp); if
      // none came, wait as usual.
      timespec nap_ts{0, static_cast<long>(nap)};
      clock_nanosleep(CLOCK_MONOTONIC, 0, &nap_ts, nullptr);
      ++metrics_.counters.coalescing_naps;
      n = wait_for_events(events, 0);
      if (n == 0) n = wait_for_events(events, std::max<int64_t>(0, deadline - now_ns()));
    } else {
      n = wait_for_events(events, wait);
    }
    int64_t before = now;
    now = now_ns();
    // Loop lag: how far the wait overshot what was asked (the thread was not scheduled, or the
    // timer fired late). A deadline already past when the wait began is backlog, not lag.
    if (now > std::max(deadline, before)) {
      auto lag_us = static_cast<uint64_t>((now - std::max(deadline, before)) / 1000);
      metrics_.counters.loop_lag_max_us = std::max(metrics_.counters.loop_lag_max_us, lag_us);
    }
    if (n > 0) ++metrics_.counters.loop_wakeups;
    for (int i = 0; i < n; ++i) on_event(events[i].data.u32, events[i].events, now);
    if (n == kMaxEvents) now = now_ns();
  }
}

int Worker::wait_for_events(epoll_event* events, int64_t wait_ns) {
  return waiter_.wait(epoll_fd_, events, kMaxEvents, wait_ns);
}

int64_t Worker::next_deadline(int64_t now) const {
  int64_t d = std::min(next_flush_, next_timeout_scan_);
  if (measuring_over_) d = std::min(d, drain_until_);
  if (stop_.load(std::memory_order_relaxed)) return now;
  if (next_initial_ < conns_.size() && connecting_ < timeline_.connect_cap) d = std::min(d, ramp_.next());
  if (retry_.size > 0) d = std::min(d, retry_.front().due);
  if (think_.size > 0) d = std::min(d, think_.front().due);
  if (rate_started_ && !free_list_.empty() && !measuring_over_) d = std::min(d, rate_.next());
  // Poll at least every 50 ms so a stop request is seen promptly.
  return std::min(d, now + 50'000'000);
}

void Worker::run_timers(int64_t now) {
  if (stop_.load(std::memory_order_relaxed) && !measuring_over_) {
    flush(now);
    measuring_over_ = true;
    drain_until_ = now;
    return;
  }
  if (now >= next_flush_ && !measuring_over_) flush(now);
  if (measuring_over_) {
    if (now >= next_timeout_scan_) check_timeouts(now);
    return;
  }
  while (next_initial_ < conns_.size() && connecting_ < timeline_.connect_cap && ramp_.due(now)) {
    ramp_.take();
    open_conn(next_initial_++, now);
  }
  while (retry_.size > 0 && retry_.front().due <= now && connecting_ < timeline_.connect_cap) {
    Timer t = retry_.front();
    retry_.pop();
    if (conns_[t.conn].generation == t.generation && conns_[t.conn].state == State::kClosed) open_conn(t.conn, now);
  }
  while (think_.size > 0 && think_.front().due <= now) {
    Timer t = think_.front();
    think_.pop();
    Conn& c = conns_[t.conn];
    if (c.generation == t.generation && c.state == State::kOpen) {
      --c.think_queued;
      if (udp_) {
        send_udp(c, t.conn, now, now);
      } else {
        send_requests(c, t.conn, 1, now, now);
      }
    }
  }
  // Paced by --rate: the next scheduled request goes to a free connection (open loop), or opens a
  // free slot's connection (paced connect). Latency runs from the scheduled time, so a slow server
  // (or no free connection) shows in full.
  auto take_scheduled = [&] {
    int64_t intended = rate_.next();
    rate_.take();
    if (now - intended > kLateThresholdNs) ++metrics_.counters.late_sends;
    return intended;
  };
  if (rate_started_) {
    while (!free_list_.empty() && rate_.due(now)) {
      uint32_t id = free_list_.back();
      Conn& c = conns_[id];
      if (paced_connect_) {
        free_list_.pop_back();
        c.in_free_list = false;
        c.intended = take_scheduled();
        open_conn(id, now);
        continue;
      }
      if (c.state != State::kOpen || c.in_flight >= pipeline_) {
        free_list_.pop_back();
        c.in_free_list = false;
        continue;
      }
      int64_t intended = take_scheduled();
      if (udp_) {
        send_udp(c, id, intended, now);
      } else {
        send_requests(c, id, 1, intended, now);
      }
      if (c.in_flight >= pipeline_ && c.in_free_list && !free_list_.empty() && free_list_.back() == id) {
        free_list_.pop_back();
        c.in_free_list = false;
      }
    }
  }
  if (now >= next_timeout_scan_) check_timeouts(now);
}

// Publishes this interval's metrics; the boundary at measure_end (or a stop) ends the measurement.
void Worker::flush(int64_t now) {
  ++flush_index_;
  next_flush_ = std::min(timeline_.measure_start_ns + flush_index_ * kSecond, timeline_.measure_end_ns);
  if (now >= timeline_.measure_end_ns || stop_.load(std::memory_order_relaxed)) {
    measuring_over_ = true;
    drain_until_ = now + std::min(options_.timeout_ns, kMaxDrainNs);
    next_flush_ = INT64_MAX;
  }
  mailbox_.publish(metrics_, active_.load(std::memory_order_relaxed));
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
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET | (udp_ ? 0u : static_cast<uint32_t>(EPOLLOUT));
  ev.data.u32 = id;
  c.out_armed = !udp_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c.fd, &ev) != 0) return fail(c, id, ErrorKind::kConnect, errno, "epoll_ctl");
  if (::connect(c.fd, target.sockaddr_ptr(), target.length()) == 0) {
    return on_connected(c, id, now);
  }
  if (errno != EINPROGRESS) return fail(c, id, ErrorKind::kConnect, errno, "connect");
  c.state = State::kConnecting;
  ++connecting_;
}

void Worker::on_connected(Conn& c, uint32_t id, int64_t now) {
  c.state = State::kOpen;
  int active = active_.load(std::memory_order_relaxed) + 1;
  active_.store(active, std::memory_order_relaxed);
  metrics_.counters.active_peak = std::max<int64_t>(metrics_.counters.active_peak, active);
  established_total_.store(established_total_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  ++metrics_.counters.connections_established;
  // A connection that lives for many requests drops write interest (one epoll_ctl per
  // connection); in connect mode it lives for one request and keeps it.
  if (c.out_armed && options_.mode != Mode::kConnect) arm_out(c, id, false);
  if (!udp_) metrics_.connect.record(static_cast<uint64_t>((now - c.connect_start + 500) / 1000));
  if (measuring_over_) return;
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
  if (udp_) {
    for (uint32_t i = 0; i < pipeline_ && c.state == State::kOpen; ++i) send_udp(c, id, intended, now);
  } else {
    send_requests(c, id, pipeline_, intended, now);
  }
}

void Worker::on_event(uint32_t id, uint32_t events, int64_t now) {
  Conn& c = conns_[id];
  if (c.state == State::kConnecting) {
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    --connecting_;
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
      c.state = State::kClosed;  // not yet counted as active
      return fail(c, id, ErrorKind::kConnect, err ? err : ECONNREFUSED, "connect");
    }
    on_connected(c, id, now);
    if (c.state != State::kOpen) return;
  }
  if (c.state != State::kOpen) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
    if (udp_) {
      read_udp(c, id);
    } else {
      read_tcp(c, id, (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
    }
  }
  if (c.state == State::kOpen && (events & EPOLLOUT) && c.unsent > 0) {
    write_pending(c, id);
    if (c.state == State::kOpen && c.unsent == 0 && c.out_armed && options_.mode != Mode::kConnect) {
      arm_out(c, id, false);
    }
  }
}

void Worker::arm_out(Conn& c, uint32_t id, bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET | (on ? static_cast<uint32_t>(EPOLLOUT) : 0u);
  ev.data.u32 = id;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev) != 0) return fail(c, id, ErrorKind::kWrite, errno, "epoll_ctl");
  c.out_armed = on;
}

void Worker::count_error(ErrorKind kind, int err, const char* detail) {
  auto k = static_cast<size_t>(kind);
  ++metrics_.counters.errors[k];
  metrics_.counters.last_errno[k] = err;
  metrics_.counters.last_detail[k] = detail;
}

void Worker::fail(Conn& c, uint32_t id, ErrorKind kind, int err, const char* detail) {
  if (!measuring_over_) count_error(kind, err, detail);
  close_conn(c, id, true);
}

void Worker::close_conn(Conn& c, uint32_t id, bool retry_later) {
  if (c.fd >= 0) ::close(c.fd);  // close() also removes it from the epoll set
  if (c.state == State::kOpen) active_.store(active_.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
  if (c.state == State::kConnecting) --connecting_;
  c.fd = -1;
  c.state = State::kClosed;
  c.in_flight = c.head = c.unsent = c.resp_off = c.think_queued = 0;
  c.out_armed = false;
  c.http.reset();
  ++c.generation;
  for (uint32_t i = 0; i < pipeline_; ++i) slots(id)[i].used = false;
  if (measuring_over_) return;
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

void Worker::check_timeouts(int64_t now) {
  next_timeout_scan_ = now + std::clamp<int64_t>(options_.timeout_ns / 10, 1'000'000, 100'000'000);
  for (uint32_t id = 0; id < conns_.size(); ++id) {
    Conn& c = conns_[id];
    if (c.state == State::kConnecting && now - c.connect_start > options_.timeout_ns) {
      fail(c, id, ErrorKind::kConnect, ETIMEDOUT, "connect timed out (--timeout)");
    } else if (c.state == State::kOpen && c.in_flight > 0) {
      if (!udp_) {
        if (now - slots(id)[c.head].sent > options_.timeout_ns) {
          fail(c, id, ErrorKind::kTimeout, 0, "no answer within --timeout");
        }
        continue;
      }
      for (uint32_t i = 0; i < pipeline_; ++i) {
        Slot& s = slots(id)[i];
        if (!s.used || now - s.sent <= options_.timeout_ns) continue;
        s.used = false;
        --c.in_flight;
        c.lost[c.lost_next++ % c.lost.size()] = s.seq;
        if (!measuring_over_) {
          ++metrics_.counters.udp_lost;
          count_error(ErrorKind::kTimeout, 0, "datagram lost: no answer within --timeout");
        }
        after_answer(c, id, now);
      }
    }
  }
}

void Worker::push_free(Conn& c, uint32_t id) {
  if (!c.in_free_list && c.in_flight < pipeline_) {
    c.in_free_list = true;
    free_list_.push_back(id);
  }
}

}  // namespace netlab::loadgen
