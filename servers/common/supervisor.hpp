// Supervisor: the one way the multi-process models fork and look after their children: prefork's
// and processes' workers (keep_alive) and fork_per_conn's connection children (spawn and reap).
//
// Contract:
// - spawn(body) forks a child that, before body runs, takes its own stop_fd and an empty shutdown
//   table (reset_stop_after_fork), gets SIGTERM when the master dies, even by SIGKILL
//   (stop_with_parent), and has SIGCHLD's default disposition back. The child then _exits with
//   body's result (1 and a log line if body throws), so no atexit handler, stdio buffer or
//   destructor of the master's runs twice. A failed fork is logged and returns -1.
// - SIGCHLD interrupts the master's blocking calls (a handler without SA_RESTART, installed by the
//   constructor), so the master reaps at once; reap() collects every finished child without
//   blocking, and only a pid not yet reaped is ever signalled (no recycled pid gets a SIGTERM).
// - keep_alive(n, body) keeps n workers alive until a stop is requested: a worker that exits is
//   logged with its decoded status and replaced, after a pause when it died within a second of its
//   start (no fork loop), and a fork that failed is retried.
// - stop_all(), and the destructor, SIGTERM every child and SIGKILL those still running after
//   kChildStopGrace (stop_children), so no child outlives the master's clean exit.
//
// Thread contract: one Supervisor per process, used on the master's main thread only.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_set>

#include "servers/common/server.hpp"

namespace netlab::server {

class Supervisor {
 public:
  explicit Supervisor(const ServerContext& ctx);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Runs in the child; returns its exit status.
  using Body = std::function<int()>;
  // A worker's body, given its index in [0, count).
  using WorkerBody = std::function<int(size_t index)>;
  // Called by reap() for each child that exited, with its wait status.
  using OnExit = std::function<void(pid_t pid, int status)>;

  pid_t spawn(const Body& body);
  void reap(const OnExit& on_exit = {});
  // Children forked and not reaped yet.
  size_t children() const { return children_.size(); }
  // Returns 0 once a stop was requested and every worker stopped, 1 when no worker could be started.
  int keep_alive(size_t count, const WorkerBody& body);
  void stop_all();

 private:
  const ServerContext& ctx_;
  std::unordered_set<pid_t> children_;
};

// "exited with status 3", "killed by signal 9 (Killed)": a wait status in words.
std::string describe_exit(int status);

}  // namespace netlab::server
