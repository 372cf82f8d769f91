// CoroLoop: just enough C++20 coroutine support to write a server's handlers as straight-line
// code (the notes' asyncio, done in C++): handlers are DetachedTask coroutines, with awaitables for
// "this fd is readable", "this fd is writable (or the timeout passed)" and "this much time passed",
// all served by one edge-triggered epoll loop and a timer heap.
//
// How a handler waits: it tries the syscall first and co_awaits only after EAGAIN. The fd is
// registered once (edge-triggered, read and write), so an edge that arrives while nobody waits is
// harmless: the handler's next syscall sees that data anyway. No epoll_ctl per request, and no
// allocation per request: a coroutine frame is allocated once per connection.
//
// Thread contract: one thread runs the loop and every coroutine on it. When a stop is requested,
// run() returns after destroying every coroutine still suspended, which runs their destructors
// (closing their sockets).
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <queue>
#include <span>
#include <vector>

#include "servers/common/quietest_connection.hpp"
#include "servers/event/detached_task.hpp"
#include "servers/event/poller.hpp"

namespace netlab::server {

class CoroLoop {
 public:
  using Clock = std::chrono::steady_clock;

  CoroLoop();

  // Registers fd with the loop (once per fd); forget() before closing it.
  void watch(int fd);
  void forget(int fd);

  struct Readable {
    CoroLoop& loop;
    int fd;
    Clock::time_point deadline;
    Clock::time_point quiet_since;  // max(): the wait is not quiet (a request begun)
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h);
    bool await_resume() const noexcept;  // false: the deadline passed first
  };
  struct Writable {
    CoroLoop& loop;
    int fd;
    std::chrono::milliseconds timeout;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h);
    bool await_resume() const noexcept;  // false: the timeout passed first
  };
  struct Sleep {
    CoroLoop& loop;
    std::chrono::milliseconds duration;
    bool await_ready() const noexcept { return duration.count() <= 0; }
    void await_suspend(std::coroutine_handle<> h);
    void await_resume() const noexcept {}
  };

  // co_await loop.readable(fd, d): true once fd is readable or hung up, false once the deadline
  // passed first. Deadlines are checked every sweep interval (no timer per wait: a keep-alive
  // connection waits once per request), so one fires up to that much late. `quiet_since`: since
  // when the connection has waited with no request begun (server::quiet_since), which makes it a
  // candidate for cut_quietest_reader().
  Readable readable(int fd, Clock::time_point deadline = Clock::time_point::max(),
                    Clock::time_point quiet_since = Clock::time_point::max()) {
    return {*this, fd, deadline, quiet_since};
  }
  // co_await loop.writable(fd, t): true once fd is writable, false if t passed first.
  Writable writable(int fd, std::chrono::milliseconds timeout) { return {*this, fd, timeout}; }
  Sleep sleep(std::chrono::milliseconds duration) { return {*this, duration}; }

  // At the connection limit: the reader waiting quietly the longest (then the oldest watch) is
  // resumed as if its deadline had passed, so its coroutine closes it; false when no reader is
  // quiet. Runs that coroutine before returning. nginx reuses idle keep-alive connections alike.
  bool cut_quietest_reader();

  // Runs until a stop is requested (or stop() is called), then destroys every suspended coroutine.
  void run();
  // How often read deadlines are checked (default 1 s).
  void set_sweep_interval(std::chrono::milliseconds every) { sweep_every_ = every; }
  // Makes run() return after the current round; for a coroutine on this loop (tests).
  void stop() { stop_ = true; }

  // One read buffer for every coroutine on this loop: valid until the caller's next co_await, so
  // a connection's frame stays small (no 16 KiB array per connection).
  std::span<char> read_buffer() { return read_buf_; }

 private:
  struct Slot {
    std::coroutine_handle<> reader;
    std::coroutine_handle<> writer;
    uint64_t write_seq = 0;  // tells a stale write timeout from the current one
    bool timed_out = false;
    Clock::time_point read_deadline = Clock::time_point::max();
    Clock::time_point read_quiet_since = Clock::time_point::max();
    bool read_timed_out = false;
    uint64_t serial = 0;  // watch order: among connections quiet since the same tick, the oldest goes
  };
  struct Timer {
    Clock::time_point due;
    int fd;  // -1: a sleep, resume `handle`; else a write timeout for slot fd
    uint64_t seq;
    std::coroutine_handle<> handle;
    bool operator>(const Timer& other) const { return due > other.due; }
  };

  Slot& slot(int fd);
  void dispatch(int fd, uint32_t events);
  void fire_timers();
  void sweep_read_deadlines(Clock::time_point now);
  int wait_timeout_ms() const;
  void destroy_suspended();

  std::unique_ptr<Poller> poller_;
  std::vector<Slot> slots_;  // by fd
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::vector<char> read_buf_ = std::vector<char>(64 * 1024);
  std::chrono::milliseconds sweep_every_{1000};
  QuietestConnection quietest_;
  uint64_t watches_ = 0;
  Clock::time_point next_sweep_{};
  bool stop_ = false;
};

}  // namespace netlab::server
