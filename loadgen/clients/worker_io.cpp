// Worker: what the engine reports, answers checked and counted, requests sent. This is the hot
// path: per answer one checker call and a histogram record; per batch of requests one send.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "loadgen/clients/worker.hpp"
#include "loadgen/engine/clock.hpp"

namespace netlab::loadgen {

EngineHandler::Next Worker::on_connect_done(uint32_t id, int err, int64_t now) {
  Conn& c = conns_[id];
  --connecting_;
  if (err != 0) {
    c.state = State::kClosed;  // not yet counted as active
    fail(c, id, ErrorKind::kConnect, err, "connect");
    return Next::kClosed;
  }
  on_connected(c, id, now);
  return c.state == State::kOpen ? Next::kGoOn : Next::kClosed;
}

EngineHandler::Next Worker::on_data(uint32_t id, const char* data, size_t len, int64_t now) {
  Conn& c = conns_[id];
  if (c.state != State::kOpen) return Next::kClosed;
  metrics_.counters.bytes_received += len;
  return udp_ ? on_datagram(c, id, data, len, now) : on_stream_data(c, id, data, len, now);
}

void Worker::on_end_of_stream(uint32_t id) {
  Conn& c = conns_[id];
  if (c.in_flight > 0 || c.echo.partial()) {
    return fail(c, id, ErrorKind::kRead, 0, "server closed the connection with requests outstanding");
  }
  close_conn(c, id, false);  // an idle close is the server's right: reconnect
}

void Worker::on_read_error(uint32_t id, int err) {
  Conn& c = conns_[id];
  if (udp_) {
    // ECONNREFUSED: an ICMP port unreachable answered an earlier datagram.
    return fail(c, id, err == ECONNREFUSED ? ErrorKind::kConnect : ErrorKind::kRead, err, "recv datagram");
  }
  fail(c, id, err == ECONNRESET ? ErrorKind::kReset : ErrorKind::kRead, err, "read");
}

void Worker::on_writable(uint32_t id) {
  Conn& c = conns_[id];
  if (c.state != State::kOpen || c.unsent == 0) return;
  write_pending(c, id);
  if (c.state == State::kOpen && c.unsent == 0 && options_.mode != Mode::kConnect && !engine_->stop_writable(id)) {
    fail(c, id, ErrorKind::kWrite, errno, "epoll_ctl");
  }
}

// TCP: answers come in the order of the requests; each checker call ends at most one of them.
EngineHandler::Next Worker::on_stream_data(Conn& c, uint32_t id, const char* data, size_t len, int64_t now) {
  const bool echo = options_.proto == ClientProto::kEcho;
  bool close_after = false;
  while (len > 0) {
    if (c.in_flight == 0) {
      fail(c, id, ErrorKind::kBadResponse, 0,
           echo ? "echo: bytes arrived with no request outstanding" : "http: bytes arrived with no request outstanding");
      return Next::kClosed;
    }
    size_t used = 0;
    Answer answer = echo ? c.echo.feed(request_, data, len, used) : c.http.feed(data, len, used);
    data += used;
    len -= used;
    switch (answer) {
      case Answer::kMore: break;
      case Answer::kBad:
        fail(c, id, ErrorKind::kBadResponse, 0, echo ? EchoCheck::bad_reason() : c.http.bad_reason());
        return Next::kClosed;
      case Answer::kAnsweredThenClose: close_after = true; [[fallthrough]];
      case Answer::kAnswered: answered(c, id, now); break;
    }
  }
  if (close_after) {
    // The server ends keep-alive (nginx after keepalive_requests): requests pipelined behind that
    // answer were never served, which is the server's right, not an error. Reconnect at once.
    close_conn(c, id, false);
    return Next::kClosed;
  }
  after_answer(c, id, now);
  return c.state == State::kOpen ? Next::kGoOn : Next::kClosed;
}

// The oldest request in flight on `c` was answered. HTTP: 2xx is an answer, and so is 3xx unless
// --fail-on-3xx; any other status is an error, but its latency counts like any answer's (as in
// wrk): a server answering 404 fast is still measured.
void Worker::answered(Conn& c, uint32_t id, int64_t now) {
  Slot& slot = slots(id)[c.head];
  c.head = (c.head + 1) % pipeline_;
  --c.in_flight;
  if (options_.proto != ClientProto::kHttp) return complete(c, slot, now, true);
  int status = c.http.status();
  bool ok = (status >= 200 && status < 300) || (status >= 300 && status < 400 && !options_.fail_on_3xx);
  if (!measuring_over()) {
    metrics_.counters.count_status(status);
    if (!ok) {
      ++metrics_.counters.responses_failed_status;
      count_error(ErrorKind::kBadResponse, 0,
                  status >= 300 && status < 400 ? "http: 3xx status (--fail-on-3xx)" : "http: status other than 2xx or 3xx");
    }
  }
  complete(c, slot, now, ok);
}

void Worker::complete(Conn& c, const Slot& slot, int64_t now, bool ok) {
  coalescing_.record_answer(now - slot.sent);
  // --requests: the last answer ends the run as a stop request would (flush, then drain).
  if (request_budget_ > 0 && ++budget_answered_ == request_budget_) request_stop();
  if (measuring_over()) return;
  metrics_.latency.record(to_us(now - slot.intended));
  metrics_.service.record(to_us(now - slot.sent));
  if (measuring()) ++c.answers_measured;  // served, whatever the status
  if (ok) ++metrics_.counters.responses_ok;
}

// After answers were taken off a connection: refill it according to the mode.
void Worker::after_answer(Conn& c, uint32_t id, int64_t now) {
  if (c.state != State::kOpen || measuring_over()) return;
  uint32_t room = pipeline_ - c.in_flight;
  if (room == 0) return;
  switch (options_.mode) {
    case Mode::kOpen:
      push_free(c, id);
      return;
    case Mode::kConnect:
      if (c.in_flight == 0) close_conn(c, id, false);
      return;
    case Mode::kClosed:
      if (options_.think_ns > 0) {
        // Each answered request waits its think time before the next one goes out.
        for (; c.think_queued < room; ++c.think_queued) think_.push({now + options_.think_ns, id, c.generation});
        return;
      }
      send_next(c, id, room, now, now);
      return;
  }
}

// Up to `count` more requests on `c`: one run of them on a stream, one datagram each over UDP.
void Worker::send_next(Conn& c, uint32_t id, uint32_t count, int64_t intended, int64_t now) {
  if (!udp_) return send_requests(c, id, count, intended, now);
  for (uint32_t i = 0; i < count && c.state == State::kOpen; ++i) send_udp(c, id, intended, now);
}

void Worker::send_requests(Conn& c, uint32_t id, uint32_t count, int64_t intended, int64_t now) {
  count = take_budget(count);
  if (count == 0) return;
  Slot* s = slots(id);
  for (uint32_t i = 0; i < count; ++i) {
    Slot& slot = s[(c.head + c.in_flight + i) % pipeline_];
    slot.intended = intended;
    slot.sent = now;
  }
  c.in_flight += count;
  c.asked_measured = c.asked_measured || measuring();
  auto bytes = static_cast<uint32_t>(count * request_.size());
  metrics_.counters.requests_sent += count;
  if (c.unsent > 0) {  // still waiting for room from an earlier write: queue behind it
    c.unsent += bytes;
    return;
  }
  c.unsent = bytes;
  write_pending(c, id);
}

uint32_t Worker::take_budget(uint32_t wanted) {
  if (request_budget_ == 0) return wanted;
  auto n = static_cast<uint32_t>(std::min<uint64_t>(wanted, budget_left_));
  budget_left_ -= n;
  return n;
}

// The unsent tail of the requests (a suffix of request_run_); the rest goes out on_writable.
void Worker::write_pending(Conn& c, uint32_t id) {
  const char* from = request_run_.data() + (request_run_.size() - c.unsent);
  int64_t sent = engine_->send(id, from, c.unsent);
  if (sent >= 0) {
    metrics_.counters.bytes_sent += static_cast<uint64_t>(sent);
    c.unsent -= static_cast<uint32_t>(sent);
    return;
  }
  int err = static_cast<int>(-sent);
  fail(c, id, (err == ECONNRESET || err == EPIPE) ? ErrorKind::kReset : ErrorKind::kWrite, err, "write");
}

void Worker::send_udp(Conn& c, uint32_t id, int64_t intended, int64_t now) {
  Slot* s = slots(id);
  uint32_t i = 0;
  while (i < pipeline_ && s[i].used) ++i;
  if (i == pipeline_ || take_budget(1) == 0) return;
  uint64_t seq = c.next_seq++;
  DatagramCheck::write(request_, seq, datagram_.data());
  s[i] = Slot{intended, now, seq, true};
  ++c.in_flight;
  c.asked_measured = c.asked_measured || measuring();
  ++metrics_.counters.requests_sent;
  int64_t sent = engine_->send(id, datagram_.data(), datagram_.size());
  if (sent >= 0) {
    metrics_.counters.bytes_sent += static_cast<uint64_t>(sent);
    return;
  }
  // The slot stays in flight: with no answer it is counted lost at the timeout.
  if (!measuring_over()) count_error(ErrorKind::kWrite, static_cast<int>(-sent), "send datagram");
}

// UDP: answers may come in any order, so the slot is found by sequence number.
EngineHandler::Next Worker::on_datagram(Conn& c, uint32_t id, const char* data, size_t len, int64_t now) {
  uint64_t seq = 0;
  if (!DatagramCheck::read(request_, data, len, c.next_seq, seq)) {
    if (!measuring_over()) count_error(ErrorKind::kBadResponse, 0, DatagramCheck::bad_reason());
    return Next::kGoOn;
  }
  Slot* s = slots(id);
  uint32_t i = 0;
  while (i < pipeline_ && !(s[i].used && s[i].seq == seq)) ++i;
  if (i < pipeline_) {
    s[i].used = false;
    --c.in_flight;
    complete(c, s[i], now, true);
    after_answer(c, id, now);
    return c.state == State::kOpen ? Next::kGoOn : Next::kClosed;
  }
  if (measuring_over()) return Next::kGoOn;
  auto late = std::find(c.lost.begin(), c.lost.end(), seq);
  if (late != c.lost.end()) {
    *late = UINT64_MAX;  // a second copy of it is a duplicate
    ++metrics_.counters.udp_late;
  } else {
    ++metrics_.counters.udp_duplicate;
  }
  return Next::kGoOn;
}

}  // namespace netlab::loadgen
