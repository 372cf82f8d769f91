// EventLoop: the single-threaded readiness loop shared by select, poll, epoll, reactors (one per
// thread) and processes (one per worker process). The models differ only in which Poller they
// hand it and how many loops they run: that is the lesson of muduo's sudoku examples.
//
// One loop: wait for readiness, accept new connections (until EAGAIN), serve ready connections
// through EventConnection, and every sweep_interval() close connections whose output stalled or
// whose header or idle deadline passed. At --max-conns a new connection first takes the place of
// the one that has waited quietly the longest (no request begun, nothing to send), and gets the
// busy reply only when every connection is busy. The workload
// (--cpu-work, --io-delay) runs inside the loop: one slow request stalls every connection on it.
//
// Thread contract: run() is called on one thread and everything stays on it. The ServerContext is
// only read; the listener is not owned.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "servers/common/server.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/quietest_connection.hpp"
#include "servers/event/event_connection.hpp"
#include "servers/event/poller.hpp"
#include "servers/event/stalled_clients.hpp"

namespace netlab::server {

class EventLoop {
 public:
  // `listener` must be non-blocking. `label` prefixes this loop's log lines ("" or "reactor 2: ").
  EventLoop(const ServerContext& ctx, std::unique_ptr<Poller> poller, int listener, std::string label = {});

  // Serves until a stop is requested (stop_fd readable); then closes every connection after a
  // last non-blocking flush. Returns 0, or 1 when the loop could not start.
  int run();

 private:
  void accept_ready();
  void serve(int fd, uint32_t events);
  void update_interest(EventConnection& conn);
  void close(int fd);
  void sweep_stalled();
  // Closes the connection quiet the longest (EventConnection::quiet_since); false when none is.
  bool close_quietest();
  void pause_accepting();
  void log_once(std::string_view message, bool& said);

  const ServerContext& ctx_;
  std::unique_ptr<Poller> poller_;
  int listener_;
  std::string label_;
  Acceptor acceptor_;
  StalledClients stalled_;
  bool edge_;
  size_t max_conns_;
  std::chrono::milliseconds send_timeout_;
  std::vector<std::unique_ptr<EventConnection>> conns_;  // by fd
  std::vector<uint32_t> registered_;                     // interest registered with the poller, by fd
  std::vector<char> read_buf_;                           // one per loop, reused by every connection
  size_t live_ = 0;
  bool accepting_ = true;
  EventConnection::Clock::time_point resume_accepting_{};
  uint64_t refused_busy_ = 0;
  uint64_t timed_out_ = 0;  // closed by their header or idle deadline
  uint64_t made_room_ = 0;  // quiet connections closed at the limit to admit new ones
  uint64_t accepted_ = 0;   // connections accepted so far: each one's serial
  QuietestConnection quietest_;
  bool said_cap_ = false;
  bool said_made_room_ = false;
  bool said_backend_limit_ = false;
};

}  // namespace netlab::server
