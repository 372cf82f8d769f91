// Worker: the deadlines of the loop. Each wait lasts until the earliest of them: the next
// publishing tick, the ramp's next connection, a reconnect, the end of a think time, the next
// open-loop send, the timeout scan, the end of the drain. After each wait the due ones run here.
#include <algorithm>
#include <cerrno>

#include "loadgen/clients/worker.hpp"
#include "loadgen/engine/clock.hpp"

namespace netlab::loadgen {
namespace {

constexpr int64_t kMaxDrainNs = kSecond;          // answers still in flight at the end: wait ≤ 1 s
constexpr int64_t kStopPollNs = 50 * kMillisecond;  // a stop request is seen within this

}  // namespace

int64_t Worker::next_deadline(int64_t now) const {
  int64_t d = std::min(next_tick(), next_timeout_scan_);
  if (measuring_over()) d = std::min(d, drain_until_);
  if (stop_requested()) return now;
  if (next_initial_ < conns_.size() && connecting_ < timeline_.connect_cap) d = std::min(d, ramp_.next());
  if (retry_.size > 0) d = std::min(d, retry_.front().due);
  if (think_.size > 0) d = std::min(d, think_.front().due);
  if (rate_started_ && !free_list_.empty() && !measuring_over()) d = std::min(d, rate_.next());
  return std::min(d, now + kStopPollNs);
}

void Worker::run_timers(int64_t now) {
  // The last tick ends the measurement: answers still in flight may come in until drain_until_
  // (not counted), at once on a stop request.
  if (!measuring_over() && tick(now)) {
    bool stop = stop_requested();
    drain_until_ = stop ? now : now + std::min(options_.timeout_ns, kMaxDrainNs);
    if (stop) return;
  }
  if (measuring_over()) {
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
      send_next(c, t.conn, 1, now, now);
    }
  }
  // Paced by --rate: the next scheduled request goes to a free connection (open loop), or opens a
  // free slot's connection (paced connect). Latency runs from the scheduled time, so a slow server
  // (or no free connection) shows in full.
  if (rate_started_) {
    while (!free_list_.empty() && rate_.due(now)) {
      uint32_t id = free_list_.back();
      Conn& c = conns_[id];
      if (paced_connect_) {
        free_list_.pop_back();
        c.in_free_list = false;
        c.intended = take_scheduled(now);
        open_conn(id, now);
        continue;
      }
      if (c.state != State::kOpen || c.in_flight >= pipeline_) {
        free_list_.pop_back();
        c.in_free_list = false;
        continue;
      }
      send_next(c, id, 1, take_scheduled(now), now);
      if (c.in_flight >= pipeline_ && c.in_free_list && !free_list_.empty() && free_list_.back() == id) {
        free_list_.pop_back();
        c.in_free_list = false;
      }
    }
  }
  if (now >= next_timeout_scan_) check_timeouts(now);
}

// The next open-loop send time, taken off the schedule; a send that goes out late is counted.
int64_t Worker::take_scheduled(int64_t now) {
  int64_t intended = rate_.next();
  rate_.take();
  if (now - intended > kLateThresholdNs) ++metrics_.counters.late_sends;
  return intended;
}

void Worker::check_timeouts(int64_t now) {
  next_timeout_scan_ = now + std::clamp<int64_t>(options_.timeout_ns / 10, kMillisecond, 100 * kMillisecond);
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
        if (!measuring_over()) {
          ++metrics_.counters.udp_lost;
          count_error(ErrorKind::kTimeout, 0, "datagram lost: no answer within --timeout");
        }
        after_answer(c, id, now);
      }
    }
  }
}

}  // namespace netlab::loadgen
