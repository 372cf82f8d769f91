// Worker: the echo/HTTP/UDP client logic of one load-generating thread, driving its share of the
// connections through an Engine (engine.hpp), which owns the system calls and the waiting.
//
// Hot path (per request): one send, the answer checked as it arrives (answer_checks.hpp), no
// locks, no allocation. Timers (ramp, think time, open-loop pacing, reconnects, timeouts, the
// once-per-second publishing) are plain deadlines checked after each wait (worker_schedule.cpp);
// the engine sleeps with nanosecond precision, so open-loop pacing works below 1 ms. In closed
// loop the thread may nap after a batch of answers before it waits, so one wake-up takes many
// (coalescing.hpp).
//
// Thread contract: as for every Driver (driver.hpp); the EngineHandler callbacks run on the
// worker's own thread, inside run_once.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loadgen/cli/options.hpp"
#include "loadgen/clients/answer_checks.hpp"
#include "loadgen/clients/driver.hpp"
#include "loadgen/engine/coalescing.hpp"
#include "loadgen/engine/engine.hpp"
#include "loadgen/engine/pacing.hpp"

namespace netlab::loadgen {

class Worker final : public BasicDriver, private EngineHandler {
 public:
  // Drives connections [first, first + count) of the run.
  Worker(const Options& options, int index, int first, int count);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void add_answer_spread(AnswerSpread& into) const override;

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
    uint32_t generation = 0;
    uint32_t in_flight = 0;
    uint32_t head = 0;      // oldest in-flight slot (TCP: answers come in order)
    uint32_t unsent = 0;    // queued request bytes not yet written
    uint32_t think_queued = 0;  // closed loop with --think: requests waiting in think_
    uint64_t answers_measured = 0;  // any status, in the measured window, over every socket this slot had
    bool asked_measured = false;    // a request went out in the measured window (open loop may ask none)
    int64_t connect_start = 0;
    int64_t intended = 0;   // paced connect mode: when this transaction was scheduled
    uint64_t next_seq = 0;  // UDP sequence numbers
    // The last kLostMemory datagrams declared lost: an answer to one of them is late, an answer
    // to any other already-answered number is a duplicate.
    std::array<uint64_t, 4> lost{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX};
    uint8_t lost_next = 0;
    EchoCheck echo;
    HttpCheck http;
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

  // BasicDriver. tools/run/cost_probe.cpp counts instructions inside body() (less publishing and
  // check_timeouts) by these names.
  void setup() override;
  void body() override;
  void teardown() override;

  // EngineHandler: what the engine saw on a connection (worker_io.cpp).
  Next on_connect_done(uint32_t id, int err, int64_t now) override;
  Next on_data(uint32_t id, const char* data, size_t len, int64_t now) override;
  void on_end_of_stream(uint32_t id) override;
  void on_read_error(uint32_t id, int err) override;
  void on_writable(uint32_t id) override;

  // The loop and its deadlines (worker_schedule.cpp).
  int64_t next_deadline(int64_t now) const;
  void run_timers(int64_t now);
  int64_t take_scheduled(int64_t now);
  void check_timeouts(int64_t now);

  // Connection life cycle (worker.cpp).
  void open_conn(uint32_t id, int64_t now);
  void on_connected(Conn& c, uint32_t id, int64_t now);
  void fail(Conn& c, uint32_t id, ErrorKind kind, int err, const char* detail);
  void close_conn(Conn& c, uint32_t id, bool retry_later);
  void push_free(Conn& c, uint32_t id);

  // Answers and requests (worker_io.cpp).
  Next on_stream_data(Conn& c, uint32_t id, const char* data, size_t len, int64_t now);
  Next on_datagram(Conn& c, uint32_t id, const char* data, size_t len, int64_t now);
  void answered(Conn& c, uint32_t id, int64_t now);
  void complete(Conn& c, const Slot& slot, int64_t now, bool ok);
  void after_answer(Conn& c, uint32_t id, int64_t now);
  void send_next(Conn& c, uint32_t id, uint32_t count, int64_t intended, int64_t now);
  void send_requests(Conn& c, uint32_t id, uint32_t count, int64_t intended, int64_t now);
  void send_udp(Conn& c, uint32_t id, int64_t intended, int64_t now);
  // --requests: how many of `wanted` requests may still go out (all, without a budget).
  uint32_t take_budget(uint32_t wanted);
  void write_pending(Conn& c, uint32_t id);
  Slot* slots(uint32_t id) { return &slots_[static_cast<size_t>(id) * pipeline_]; }

  const int first_;
  const uint32_t pipeline_;
  const bool udp_;
  std::unique_ptr<Engine> engine_;
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
  std::vector<char> datagram_;  // UDP: the datagram being sent
  RateSchedule rate_;
  bool rate_started_ = false;
  uint32_t next_initial_ = 0;  // connections opened so far (ramp)
  RateSchedule ramp_;
  int64_t connecting_ = 0;
  int64_t next_timeout_scan_ = 0;
  // --requests: this worker's share; what is left to send and what was answered so far.
  const uint64_t request_budget_;
  uint64_t budget_left_ = 0;
  uint64_t budget_answered_ = 0;
  int64_t drain_until_ = 0;
};

}  // namespace netlab::loadgen
