// Worker: one event loop on one thread driving its share of the connections.
//
// Hot path (per request): one send(), one read() per readiness event, responses of many sockets
// per epoll_wait, no locks, no allocation and no epoll_ctl. Sockets are registered once,
// edge-triggered; write interest is on only while connecting or while a write waits for room
// (otherwise every ACK freeing send-buffer space would wake the loop for nothing), and close()
// removes them. Timers (ramp, think time, open-loop pacing, reconnects, timeouts, the
// once-per-second flush) are plain deadlines checked after each wait; epoll_pwait2 sleeps with
// nanosecond precision so open-loop pacing works below 1 ms. In closed loop the thread may nap
// after a batch of answers before it waits, so one wake-up takes many (coalescing.hpp).
//
// Thread contract: run() is the thread body. The main thread only calls the const accessors,
// request_stop() and take(); take() locks a mutex the worker takes once per second.
#pragma once

#include <sys/epoll.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/net/address.hpp"
#include "loadgen/coalescing.hpp"
#include "loadgen/driver.hpp"
#include "loadgen/epoll_waiter.hpp"
#include "loadgen/http_response_parser.hpp"
#include "loadgen/metrics.hpp"
#include "loadgen/options.hpp"
#include "loadgen/pacing.hpp"

namespace netlab::loadgen {

class Worker final : public Driver {
 public:
  // Drives connections [first, first + count) of the run.
  Worker(const Options& options, int index, int first, int count);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Thread body: sets up, says ready(), waits for start(), then runs the loop.
  void run() override;
  // Main thread: the clock starts only once every loop thread is ready, so a slow start (thread
  // creation under a sanitizer, a loaded machine) never eats into the measurement.
  bool ready() const override { return ready_.load(std::memory_order_acquire); }
  void start(const Timeline& timeline) override;

  // Main thread side.
  void request_stop() override { stop_.store(true, std::memory_order_relaxed); }
  uint64_t flushes() const override { return mailbox_.published_intervals(); }
  bool finished() const override { return finished_.load(std::memory_order_acquire); }
  int active() const override { return active_.load(std::memory_order_relaxed); }
  uint64_t established_total() const override { return established_total_.load(std::memory_order_relaxed); }
  int64_t cpu_ns() const override { return mailbox_.thread_cpu_ns(); }
  // Adds everything published since the last take() into `into`.
  void take(Metrics& into) override { mailbox_.take(into); }
  // Set-up failure inside the thread (epoll_create): empty when none.
  std::string fatal() const override;

 private:
  enum class State : uint8_t { kClosed, kConnecting, kOpen };
  struct Slot {
    int64_t intended = 0;
    int64_t sent = 0;
    uint64_t seq = 0;
    bool used = false;
  };
  struct Conn {
    int fd = -1;
    State state = State::kClosed;
    bool in_free_list = false;
    bool out_armed = false;  // EPOLLOUT in the interest set (connecting, or a write is waiting)
    uint32_t generation = 0;
    uint32_t in_flight = 0;
    uint32_t head = 0;      // oldest in-flight slot (TCP: answers come in order)
    uint32_t unsent = 0;    // queued request bytes not yet written
    uint32_t resp_off = 0;  // echo: bytes of the current answer checked so far
    uint32_t think_queued = 0;  // closed loop with --think: requests waiting in think_
    int64_t connect_start = 0;
    int64_t intended = 0;   // paced connect mode: when this transaction was scheduled
    uint64_t next_seq = 0;  // UDP sequence numbers
    // The last kLostMemory datagrams declared lost: an answer to one of them is late, an answer
    // to any other already-answered number is a duplicate.
    std::array<uint64_t, 4> lost{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX};
    uint8_t lost_next = 0;
    HttpResponseParser http;
  };
  struct Timer {  // an entry of a FIFO queue with one fixed delay, so deadlines stay ordered
    int64_t due;
    uint32_t conn;
    uint32_t generation;
  };
  struct TimerQueue {
    std::vector<Timer> ring;
    size_t head = 0, size = 0;
    // Full only when stale entries (of closed connections) pile up: the oldest is dropped.
    void push(Timer t) {
      if (size == ring.size()) pop();
      ring[(head + size++) % ring.size()] = t;
    }
    const Timer& front() const { return ring[head]; }
    void pop() { head = (head + 1) % ring.size(), --size; }
  };

  void loop();
  int wait_for_events(epoll_event* events, int64_t wait_ns);
  int64_t next_deadline(int64_t now) const;
  void run_timers(int64_t now);
  void flush(int64_t now);
  void open_conn(uint32_t id, int64_t now);
  void on_event(uint32_t id, uint32_t events, int64_t now);
  void on_connected(Conn& c, uint32_t id, int64_t now);
  void read_tcp(Conn& c, uint32_t id, bool peer_closed);
  void read_udp(Conn& c, uint32_t id);
  bool consume_echo(Conn& c, uint32_t id, const char* data, size_t len, int64_t now);
  bool consume_http(Conn& c, uint32_t id, const char* data, size_t len, int64_t now);
  void complete(Conn& c, uint32_t id, const Slot& slot, int64_t now);
  void after_answer(Conn& c, uint32_t id, int64_t now);
  void send_requests(Conn& c, uint32_t id, uint32_t count, int64_t intended, int64_t now);
  void send_udp(Conn& c, uint32_t id, int64_t intended, int64_t now);
  void write_pending(Conn& c, uint32_t id);
  void arm_out(Conn& c, uint32_t id, bool on);
  void fail(Conn& c, uint32_t id, ErrorKind kind, int err, const char* detail);
  void close_conn(Conn& c, uint32_t id, bool retry_later);
  void check_timeouts(int64_t now);
  void count_error(ErrorKind kind, int err, const char* detail);
  void push_free(Conn& c, uint32_t id);
  // --requests: how many of `wanted` requests may still go out (all, without a budget).
  uint32_t take_budget(uint32_t wanted);
  Slot* slots(uint32_t id) { return &slots_[static_cast<size_t>(id) * pipeline_]; }

  const Options& options_;
  Timeline timeline_;  // written by start() before go_ is released, read-only after
  const int index_;
  const int first_;
  const uint32_t pipeline_;
  const bool udp_;
  int epoll_fd_ = -1;
  EpollWaiter waiter_;
  Coalescing coalescing_;  // closed loop: naps that let answers pile up (coalescing.hpp)
  std::vector<Conn> conns_;
  std::vector<Slot> slots_;
  // Paced by --rate: open loop, connections that can take another request; paced connect
  // (--new-conn --rate), closed slots waiting for their next scheduled connect.
  std::vector<uint32_t> free_list_;
  const bool paced_connect_;
  TimerQueue retry_, think_;
  std::string request_;       // one request (echo payload or HTTP GET)
  std::string request_run_;   // pipeline_ copies of it: any unsent tail is a suffix of this
  std::vector<char> buffer_;  // reads land here; one per thread
  RateSchedule rate_;
  bool rate_started_ = false;
  uint32_t next_initial_ = 0;  // connections opened so far (ramp)
  RateSchedule ramp_;
  int64_t connecting_ = 0;
  int64_t next_timeout_scan_ = 0;
  int64_t next_flush_ = 0;
  int64_t flush_index_ = 0;
  bool measuring_over_ = false;
  // --requests: this worker's share; what is left to send and what was answered so far.
  const uint64_t request_budget_;
  uint64_t budget_left_ = 0;
  uint64_t budget_answered_ = 0;
  int64_t drain_until_ = 0;
  Metrics metrics_;  // the current interval, this thread only

  IntervalMailbox mailbox_;
  std::string fatal_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ready_{false};
  std::atomic<bool> go_{false};
  std::atomic<bool> finished_{false};
  std::atomic<int> active_{0};
  std::atomic<uint64_t> established_total_{0};
};

}  // namespace netlab::loadgen
