#include "loadgen/clients/chat_driver.hpp"

#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "core/net/error.hpp"
#include "loadgen/engine/clock.hpp"

namespace netlab::loadgen {
namespace {

constexpr int64_t kMaxGraceNs = kSecond;
constexpr int64_t kJoinRetryNs = 200'000'000;  // a JOIN (or its OK) may be lost: ask again
constexpr int kMaxEvents = 256;

// Parses a decimal number at `p`, moving past it and one following space.
bool number(const char*& p, const char* end, uint64_t& v) {
  auto [next, ec] = std::from_chars(p, end, v);
  if (ec != std::errc() || next == p) return false;
  p = next < end && *next == ' ' ? next + 1 : next;
  return true;
}

}  // namespace

ChatDriver::ChatDriver(const Options& options, int, int first, int count)
    : BasicDriver(options),
      first_(first),
      members_total_(static_cast<uint64_t>(options.connections)),
      prefix_("lg" + std::to_string(::getpid()) + "-"),
      fds_(static_cast<size_t>(count), -1),
      next_seq_(static_cast<size_t>(count), 0),
      seen_(static_cast<size_t>(count) * members_total_),
      buffer_(64 * 1024),
      line_(128) {}

ChatDriver::~ChatDriver() {
  for (int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

std::string ChatDriver::name_of(uint64_t global) const { return prefix_ + std::to_string(global); }

void ChatDriver::setup() {
  prctl(PR_SET_TIMERSLACK, 1000UL);  // open-loop pacing below a millisecond
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::runtime_error("epoll_create1: " + core::errno_text(errno));
  const core::Address& target = options_.target;
  for (uint32_t i = 0; i < fds_.size(); ++i) {
    int fd = ::socket(target.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket: " + core::errno_text(errno));
    fds_[i] = fd;
    int rcvbuf = 1 << 20;  // a burst of fan-out must not overflow the default buffer
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (::connect(fd, target.sockaddr_ptr(), target.length()) != 0) {
      throw std::runtime_error("connect " + target.to_string() + ": " + core::errno_text(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = i;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) throw std::runtime_error("epoll_ctl: " + core::errno_text(errno));
  }
  // JOIN everyone before the clock starts, so every message of the run has all its recipients.
  std::vector<bool> joined(fds_.size(), false);
  size_t count = 0;
  int64_t deadline = now_ns() + std::max<int64_t>(options_.timeout_ns, kSecond);
  int64_t next_try = 0;
  while (count < fds_.size()) {
    int64_t now = now_ns();
    if (now > deadline) {
      throw std::runtime_error("chat: " + std::to_string(fds_.size() - count) + " members could not JOIN " +
                               target.to_string() + " within --timeout (is it a chat server?)");
    }
    if (now >= next_try) {
      for (uint32_t i = 0; i < fds_.size(); ++i) {
        if (!joined[i]) send_line(i, "JOIN " + name_of(static_cast<uint64_t>(first_) + i));
      }
      next_try = now + kJoinRetryNs;
    }
    epoll_event events[kMaxEvents];
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, 20);
    for (int e = 0; e < n; ++e) {
      uint32_t i = events[e].data.u32;
      for (;;) {
        ssize_t got = ::recv(fds_[i], buffer_.data(), buffer_.size(), 0);
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) break;
        if (got < 0) throw std::runtime_error("chat: JOIN " + target.to_string() + ": " + core::errno_text(errno));
        std::string_view reply(buffer_.data(), static_cast<size_t>(got));
        if (reply.rfind("ERR ", 0) == 0) throw std::runtime_error("chat: JOIN refused: " + std::string(reply));
        if (reply.rfind("OK ", 0) == 0 && !joined[i]) {
          joined[i] = true;
          ++count;
        }
      }
    }
  }
  add_established(count);
  metrics_.counters.connections_established += count;
  set_active(static_cast<int>(count));
}

void ChatDriver::body() {
  double share = static_cast<double>(fds_.size()) / static_cast<double>(members_total_);
  rate_ = RateSchedule(timeline_.start_ns, options_.rate * share);
  int64_t grace_end = INT64_MAX;
  int64_t next_ping = timeline_.start_ns + 20 * kSecond;  // the room drops members silent for 60 s
  epoll_event events[kMaxEvents];
  for (;;) {
    int64_t now = now_ns();
    bool over = tick(now, true);
    if (over && grace_end == INT64_MAX) {
      grace_end = stop_requested() ? now : std::max(now, timeline_.measure_end_ns) + std::min(options_.timeout_ns, kMaxGraceNs);
    }
    if (now >= grace_end) return;
    if (!over) {
      while (rate_.due(now)) {
        send_message(next_sender_, rate_.next(), now);
        rate_.take();
        next_sender_ = (next_sender_ + 1) % static_cast<uint32_t>(fds_.size());
      }
      if (now >= next_ping) {
        for (uint32_t i = 0; i < fds_.size(); ++i) send_line(i, "PING");
        next_ping = now + 20 * kSecond;
      }
    }
    int64_t wake = over ? grace_end : std::min(rate_.next(), now + 10'000'000);
    int64_t wait = std::clamp<int64_t>(wake - now, 0, 10'000'000);
    int n = waiter_.wait(epoll_fd_, events, kMaxEvents, wait);
    for (int e = 0; e < n; ++e) receive(events[e].data.u32);
  }
}

void ChatDriver::teardown() {
  for (uint32_t i = 0; i < fds_.size(); ++i) {
    if (fds_[i] >= 0) send_line(i, "LEAVE");
  }
  set_active(0);
}

void ChatDriver::send_line(uint32_t member, const std::string& line) {
  (void)::send(fds_[member], line.data(), line.size(), 0);  // lost like any datagram; JOIN retries
}

// "MSG <sender> <seq> <intended ns> <sent ns>", written into a fixed buffer: no allocation.
void ChatDriver::send_message(uint32_t member, int64_t intended, int64_t now) {
  char* out = line_.data();
  int len = std::snprintf(out, line_.size(), "MSG %llu %llu %lld %lld",
                          static_cast<unsigned long long>(static_cast<uint64_t>(first_) + member),
                          static_cast<unsigned long long>(next_seq_[member]++), static_cast<long long>(intended),
                          static_cast<long long>(now));
  bool counted = in_window(intended);
  if (counted && now - intended > kLateThresholdNs) ++metrics_.counters.late_sends;
  ssize_t n = ::send(fds_[member], out, static_cast<size_t>(len), 0);
  if (n < 0) {
    int err = errno;
    if (counted) count_error(err == ECONNREFUSED ? ErrorKind::kConnect : ErrorKind::kWrite, err, "send MSG datagram");
    return;
  }
  if (!counted) return;
  ++metrics_.counters.requests_sent;
  metrics_.counters.bytes_sent += static_cast<uint64_t>(n);
  metrics_.counters.expected_deliveries += members_total_ - 1;
}

void ChatDriver::receive(uint32_t member) {
  int64_t now = now_ns();
  for (;;) {
    ssize_t n = ::recv(fds_[member], buffer_.data(), buffer_.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      int err = errno;  // ECONNREFUSED: an ICMP port unreachable answered an earlier datagram
      if (!measuring_over()) count_error(err == ECONNREFUSED ? ErrorKind::kConnect : ErrorKind::kRead, err, "recv datagram");
      return;
    }
    on_line(member, buffer_.data(), static_cast<size_t>(n), now);
    now = now_ns();  // a long batch must not date later receipts too early
  }
}

// "MSG <name>: <sender> <seq> <intended> <sent>" from another member; other tags are ignored
// (JOIN/LEAVE notices, PONG, ADMIN), except ERR.
void ChatDriver::on_line(uint32_t member, const char* data, size_t len, int64_t now) {
  std::string_view line(data, len);
  if (line.rfind("ERR ", 0) == 0) {
    if (!measuring_over()) count_error(ErrorKind::kBadResponse, 0, "chat: the server answered ERR");
    return;
  }
  if (line.rfind("MSG ", 0) != 0) return;
  size_t colon = line.find(": ", 4);
  if (colon == std::string_view::npos || line.compare(4, prefix_.size(), prefix_) != 0) return;  // not ours
  const char* p = data + colon + 2;
  const char* end = data + len;
  uint64_t name_number = 0, sender = 0, seq = 0, intended = 0, sent = 0;
  const char* name_digits = data + 4 + prefix_.size();
  bool ok = number(name_digits, data + colon, name_number) && number(p, end, sender) && number(p, end, seq) &&
            number(p, end, intended) && number(p, end, sent) && p == end && name_number == sender &&
            sender < members_total_ && sender != static_cast<uint64_t>(first_) + member;
  if (!ok) {
    if (!measuring_over()) count_error(ErrorKind::kBadResponse, 0, "chat: malformed or misaddressed MSG");
    return;
  }
  metrics_.counters.bytes_received += len;
  Receipt r = mark(member, sender, seq);
  auto t = static_cast<int64_t>(intended);
  if (!in_window(t)) return;
  if (r == Receipt::kDuplicate) {
    ++metrics_.counters.udp_duplicate;
  } else if (r == Receipt::kTooOld) {
    ++metrics_.counters.udp_late;
  } else {
    ++metrics_.counters.responses_ok;
    metrics_.latency.record(to_us(now - t));
    metrics_.service.record(to_us(now - static_cast<int64_t>(sent)));
  }
}

ChatDriver::Receipt ChatDriver::mark(uint32_t member, uint64_t sender, uint64_t seq) {
  Seen& s = seen_[static_cast<size_t>(member) * members_total_ + sender];
  if (seq >= s.top) {
    uint64_t shift = seq + 1 - s.top;
    s.mask = shift >= 64 ? 0 : s.mask << shift;
    s.mask |= 1;
    s.top = seq + 1;
    return Receipt::kNew;
  }
  uint64_t back = s.top - 1 - seq;
  if (back >= 64) return Receipt::kTooOld;
  uint64_t bit = uint64_t{1} << back;
  if (s.mask & bit) return Receipt::kDuplicate;
  s.mask |= bit;
  return Receipt::kNew;
}

}  // namespace netlab::loadgen
