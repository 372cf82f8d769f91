// Driver: what the main thread sees of one load-generating thread, whatever the protocol. Every
// driver (the echo/HTTP/UDP Worker, the file and chat drivers) is built on BasicDriver, which holds
// the start handshake and the once-per-interval publishing (--interval) that they all share.
//
// Thread contract: run() is the thread body. The main thread only calls the const accessors,
// request_stop() and take(); take() locks a mutex the driver takes once per interval.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "loadgen/cli/options.hpp"
#include "loadgen/clients/interval_mailbox.hpp"
#include "loadgen/clients/metrics.hpp"
#include "loadgen/engine/clock.hpp"

namespace netlab::loadgen {

// When the phases begin and end (CLOCK_MONOTONIC ns), shared by all drivers.
struct Timeline {
  int64_t start_ns = 0;
  int64_t measure_start_ns = 0;
  int64_t measure_end_ns = 0;
  int64_t interval_ns = kSecond;  // between the ends of the measured intervals (--interval)
  int64_t connect_cap = 0;  // most connects in progress at once in this worker (backlog safety)
};

class Driver {
 public:
  virtual ~Driver() = default;
  // Thread body: sets up, says ready(), waits for start(), then runs.
  virtual void run() = 0;
  // The clock starts only once every driver is ready, so a slow start never eats into the run.
  virtual bool ready() const = 0;
  virtual void start(const Timeline& timeline) = 0;
  virtual void request_stop() = 0;
  virtual uint64_t flushes() const = 0;
  virtual bool finished() const = 0;
  virtual int active() const = 0;
  virtual uint64_t established_total() const = 0;
  virtual int64_t cpu_ns() const = 0;
  // Adds everything published since the last take() into `into`.
  virtual void take(Metrics& into) = 0;
  // Set-up failure inside the thread: empty when none.
  virtual std::string fatal() const = 0;
  // After the thread ended: each connection's answers in the measured window (drivers whose
  // connections each carry a stream of requests; the others add nothing).
  virtual void add_answer_spread(AnswerSpread&) const {}
};

// The driver for the protocol in `options`, for connections [first, first + count) of the run.
std::unique_ptr<Driver> make_driver(const Options& options, int index, int first, int count);
// How many drivers (threads) a run uses: --threads, or one per connection for blocking file transfers.
int driver_count(const Options& options);

// Start handshake, flushing and the accessors, for drivers whose body is a simple loop.
class BasicDriver : public Driver {
 public:
  void run() final;
  bool ready() const final { return ready_.load(std::memory_order_acquire); }
  void start(const Timeline& timeline) final;
  void request_stop() final { stop_.store(true, std::memory_order_relaxed); }
  uint64_t flushes() const final { return mailbox_.published_intervals(); }
  bool finished() const final { return finished_.load(std::memory_order_acquire); }
  int active() const final { return active_.load(std::memory_order_relaxed); }
  uint64_t established_total() const final { return established_.load(std::memory_order_relaxed); }
  int64_t cpu_ns() const final { return mailbox_.thread_cpu_ns(); }
  void take(Metrics& into) final { mailbox_.take(into); }
  std::string fatal() const final { return fatal_; }

 protected:
  explicit BasicDriver(const Options& options) : options_(options) {}
  // Before ready(): connect, join. Throws std::runtime_error to fail the run with one line.
  virtual void setup() = 0;
  // After start(): the load, until measuring_over() (and any drain) is done.
  virtual void body() = 0;
  // Before the thread ends, also after a failed setup (say goodbye, close).
  virtual void teardown() {}

  // Publishes this interval when its boundary has come; true once the measurement is over.
  // `hold_last`: keep the final interval open (a drain still counting), publish it with finish().
  // Called on every pass of a loop: the common case (nothing due) stays inline.
  bool tick(int64_t now, bool hold_last = false) {
    if (over_) return true;
    if (now < next_flush_ && !stop_requested()) return false;
    return tick_due(now, hold_last);
  }
  void finish();  // publishes whatever is held
  bool measuring_over() const { return over_; }
  // Between the end of the warm-up (the first tick) and the end of the measurement.
  bool measuring() const { return flush_index_ > 0 && !over_; }
  // When tick() next has something to do (INT64_MAX once the measurement is over).
  int64_t next_tick() const { return over_ ? INT64_MAX : next_flush_; }
  bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }
  void count_error(ErrorKind kind, int err, const char* detail);
  void set_active(int n) { active_.store(n, std::memory_order_relaxed); }
  void add_established(uint64_t n) { established_.fetch_add(n, std::memory_order_relaxed); }

  const Options& options_;
  Timeline timeline_;
  Metrics metrics_;  // the current interval, this thread only

 private:
  bool tick_due(int64_t now, bool hold_last);
  // Never inlined: tools/run/cost_probe.cpp leaves it out of the instructions it counts per request.
  [[gnu::noinline]] void publish();

  int64_t next_flush_ = 0;
  int64_t flush_index_ = 0;
  bool over_ = false, held_ = false;
  IntervalMailbox mailbox_;
  std::string fatal_;
  std::atomic<bool> stop_{false}, ready_{false}, go_{false}, finished_{false};
  std::atomic<int> active_{0};
  std::atomic<uint64_t> established_{0};
};

}  // namespace netlab::loadgen
