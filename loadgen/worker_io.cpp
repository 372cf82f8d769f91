// Worker: reading and checking answers, sending requests. This is the hot path: one read() per
// readiness edge (a second only when the buffer filled), one write() per batch of requests.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "loadgen/worker.hpp"

namespace netlab::loadgen {
namespace {

constexpr size_t kSeqDigits = 16;

uint64_t to_us(int64_t ns) { return static_cast<uint64_t>((ns + 500) / 1000); }

void put_seq(char* out, uint64_t seq) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = kSeqDigits; i-- > 0; seq >>= 4) out[i] = kHex[seq & 15];
}

bool get_seq(const char* in, uint64_t& seq) {
  seq = 0;
  for (size_t i = 0; i < kSeqDigits; ++i) {
    char c = in[i];
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (v < 0) return false;
    seq = seq << 4 | static_cast<uint64_t>(v);
  }
  return true;
}

}  // namespace

void Worker::read_tcp(Conn& c, uint32_t id, bool peer_closed) {
  for (;;) {
    ssize_t n = ::read(c.fd, buffer_.data(), buffer_.size());
    if (n > 0) {
      metrics_.counters.bytes_received += static_cast<uint64_t>(n);
      int64_t now = now_ns();
      auto len = static_cast<size_t>(n);
      bool ok = options_.proto == ClientProto::kEcho ? consume_echo(c, id, buffer_.data(), len, now)
                                                     : consume_http(c, id, buffer_.data(), len, now);
      if (!ok || c.state != State::kOpen) return;
      // A short read drained the socket and the next edge wakes us; but when the peer's FIN came
      // with this edge no other edge follows, so read on to the end of the stream.
      if (len < buffer_.size() && !peer_closed) return;
      continue;
    }
    if (n == 0) {
      if (c.in_flight > 0 || c.resp_off > 0) {
        return fail(c, id, ErrorKind::kRead, 0, "server closed the connection with requests outstanding");
      }
      return close_conn(c, id, false);  // an idle close is the server's right: reconnect
    }
    if (errno == EAGAIN || errno == EINTR) return;
    int err = errno;
    return fail(c, id, err == ECONNRESET ? ErrorKind::kReset : ErrorKind::kRead, err, "read");
  }
}

bool Worker::consume_echo(Conn& c, uint32_t id, const char* data, size_t len, int64_t now) {
  const size_t size = request_.size();
  while (len > 0) {
    if (c.in_flight == 0) {
      fail(c, id, ErrorKind::kBadResponse, 0, "echo: bytes arrived with no request outstanding");
      return false;
    }
    size_t take = std::min(len, size - c.resp_off);
    if (std::memcmp(data, request_.data() + c.resp_off, take) != 0) {
      fail(c, id, ErrorKind::kBadResponse, 0, "echo: answer differs from the request");
      return false;
    }
    data += take;
    len -= take;
    c.resp_off += static_cast<uint32_t>(take);
    if (c.resp_off == size) {
      c.resp_off = 0;
      Slot& slot = slots(id)[c.head];
      c.head = (c.head + 1) % pipeline_;
      --c.in_flight;
      complete(c, id, slot, now);
    }
  }
  after_answer(c, id, now);
  return c.state == State::kOpen;
}

bool Worker::consume_http(Conn& c, uint32_t id, const char* data, size_t len, int64_t now) {
  bool close_after = false;
  while (len > 0) {
    if (c.in_flight == 0) {
      fail(c, id, ErrorKind::kBadResponse, 0, "http: bytes arrived with no request outstanding");
      return false;
    }
    size_t used = 0;
    auto result = c.http.feed(data, len, used);
    data += used;
    len -= used;
    if (result == HttpResponseParser::Result::kBad) {
      fail(c, id, ErrorKind::kBadResponse, 0, c.http.error());
      return false;
    }
    if (result == HttpResponseParser::Result::kComplete) {
      Slot& slot = slots(id)[c.head];
      c.head = (c.head + 1) % pipeline_;
      --c.in_flight;
      if (c.http.status() >= 200 && c.http.status() < 300) {
        complete(c, id, slot, now);
      } else if (!measuring_over_) {
        count_error(ErrorKind::kBadResponse, 0, "http: status other than 2xx");
      }
      close_after = close_after || c.http.close_after();
    }
  }
  if (close_after) {
    // The server ends keep-alive (nginx after keepalive_requests): requests pipelined behind that
    // answer were never served, which is the server's right, not an error. Reconnect at once.
    close_conn(c, id, false);
    return false;
  }
  after_answer(c, id, now);
  return c.state == State::kOpen;
}

void Worker::complete(Conn& c, uint32_t, const Slot& slot, int64_t now) {
  (void)c;
  coalescing_.record_answer(now - slot.sent);
  // --requests: the last answer ends the run as a stop request would (flush, then drain).
  if (request_budget_ > 0 && ++budget_answered_ == request_budget_) stop_.store(true, std::memory_order_relaxed);
  if (measuring_over_) return;
  metrics_.latency.record(to_us(now - slot.intended));
  metrics_.service.record(to_us(now - slot.sent));
  ++metrics_.counters.responses_ok;
}

// After answers were taken off a connection: refill it according to the mode.
void Worker::after_answer(Conn& c, uint32_t id, int64_t now) {
  if (c.state != State::kOpen || measuring_over_) return;
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
      if (udp_) {
        for (uint32_t i = 0; i < room && c.state == State::kOpen; ++i) send_udp(c, id, now, now);
      } else {
        send_requests(c, id, room, now, now);
      }
      return;
  }
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

void Worker::write_pending(Conn& c, uint32_t id) {
  const char* from = request_run_.data() + (request_run_.size() - c.unsent);
  ssize_t n = ::send(c.fd, from, c.unsent, MSG_NOSIGNAL);
  if (n >= 0) {
    metrics_.counters.bytes_sent += static_cast<uint64_t>(n);
    c.unsent -= static_cast<uint32_t>(n);
    if (c.unsent > 0 && !c.out_armed) arm_out(c, id, true);  // the rest goes out on EPOLLOUT
    return;
  }
  if (errno == EAGAIN || errno == EINTR) {
    if (!c.out_armed) arm_out(c, id, true);
    return;
  }
  int err = errno;
  fail(c, id, (err == ECONNRESET || err == EPIPE) ? ErrorKind::kReset : ErrorKind::kWrite, err, "write");
}

// UDP: a datagram carries its sequence number in hex, then the payload pattern; the answer must be
// the same bytes. Answers may come in any order, so the slot is found by sequence number.
void Worker::send_udp(Conn& c, uint32_t id, int64_t intended, int64_t now) {
  Slot* s = slots(id);
  uint32_t i = 0;
  while (i < pipeline_ && s[i].used) ++i;
  if (i == pipeline_ || take_budget(1) == 0) return;
  uint64_t seq = c.next_seq++;
  char* out = buffer_.data();
  put_seq(out, seq);
  std::memcpy(out + kSeqDigits, request_.data() + kSeqDigits, request_.size() - kSeqDigits);
  s[i] = Slot{intended, now, seq, true};
  ++c.in_flight;
  ++metrics_.counters.requests_sent;
  ssize_t n = ::send(c.fd, out, request_.size(), 0);
  if (n >= 0) {
    metrics_.counters.bytes_sent += static_cast<uint64_t>(n);
    return;
  }
  // The slot stays in flight: with no answer it is counted lost at the timeout.
  if (!measuring_over_) count_error(ErrorKind::kWrite, errno, "send datagram");
}

void Worker::read_udp(Conn& c, uint32_t id) {
  const size_t size = request_.size();
  for (;;) {
    ssize_t n = ::recv(c.fd, buffer_.data(), buffer_.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      // ECONNREFUSED: an ICMP port unreachable answered an earlier datagram.
      int err = errno;
      return fail(c, id, err == ECONNREFUSED ? ErrorKind::kConnect : ErrorKind::kRead, err, "recv datagram");
    }
    metrics_.counters.bytes_received += static_cast<uint64_t>(n);
    int64_t now = now_ns();
    uint64_t seq = 0;
    const char* d = buffer_.data();
    if (static_cast<size_t>(n) != size || !get_seq(d, seq) ||
        std::memcmp(d + kSeqDigits, request_.data() + kSeqDigits, size - kSeqDigits) != 0 || seq >= c.next_seq) {
      if (!measuring_over_) count_error(ErrorKind::kBadResponse, 0, "udp: answer differs from every request sent");
      continue;
    }
    Slot* s = slots(id);
    uint32_t i = 0;
    while (i < pipeline_ && !(s[i].used && s[i].seq == seq)) ++i;
    if (i < pipeline_) {
      s[i].used = false;
      --c.in_flight;
      complete(c, id, s[i], now);
      after_answer(c, id, now);
      if (c.state != State::kOpen) return;
      continue;
    }
    if (measuring_over_) continue;
    auto late = std::find(c.lost.begin(), c.lost.end(), seq);
    if (late != c.lost.end()) {
      *late = UINT64_MAX;  // a second copy of it is a duplicate
      ++metrics_.counters.udp_late;
    } else {
      ++metrics_.counters.udp_duplicate;
    }
  }
}

}  // namespace netlab::loadgen
