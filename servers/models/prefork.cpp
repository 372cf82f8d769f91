// prefork: the notes' process pool, Apache-prefork style. The parent opens the listener, forks N
// workers up front and then only supervises; each worker loops accept -> serve -> accept on the
// shared listener, so the kernel hands each new connection to one blocked worker. No fork per
// connection, but a worker is busy for a connection's whole life: N concurrent connections
// saturate it, and the (N+1)th waits in the backlog. A worker that dies is replaced.
//
// Usage:     netlab-server-prefork --listen 127.0.0.1:9000 --workers 8
// Test with: printf 'hello\n' | nc -q1 127.0.0.1 9000
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/net/stop.hpp"
#include "servers/common/accept.hpp"
#include "servers/common/blocking_connection.hpp"
#include "servers/common/child_processes.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{"prefork", server::Transport::kTcp,
                                   "Pre-forked process pool: N processes accept on one listener.", 8, false};

namespace {

[[noreturn]] void run_worker(server::ServerContext& ctx, pid_t master) {
  // The worker does not register the shared listener: one worker's stop must not close the door
  // for the others. The parent shuts the listener down at a real stop, which wakes every accept().
  core::reset_stop_after_fork();
  server::stop_with_parent(master);
  while (core::Fd conn = server::accept_blocking(ctx)) {
    core::ShutdownOnStop wake_read(conn.get());
    auto session = ctx.sessions()();
    server::serve_blocking_connection(conn.get(), *session);
  }
  _exit(0);
}

pid_t start_worker(server::ServerContext& ctx) {
  pid_t master = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    run_worker(ctx, master);
  }
  if (pid < 0) {
    server::log(ctx, std::string("fork: ") + std::strerror(errno));
  }
  return pid;
}

}  // namespace

int serve(server::ServerContext& ctx) {
  core::ShutdownOnStop wake_workers(ctx.listener());
  std::vector<pid_t> workers;
  for (int i = 0; i < ctx.options().workers; ++i) {
    if (pid_t pid = start_worker(ctx); pid > 0) {
      workers.push_back(pid);
    }
  }
  if (workers.empty()) {
    return 1;
  }
  while (!core::stop_requested()) {
    int status = 0;
    pid_t pid = wait(&status);  // EINTR on SIGTERM/SIGINT
    if (pid < 0 && errno == ECHILD) {
      server::log(ctx, "no workers left and none could be started");
      return 1;
    }
    if (pid <= 0 || core::stop_requested()) {
      continue;
    }
    std::erase(workers, pid);
    server::log(ctx, "worker " + std::to_string(pid) + " exited unexpectedly (status " +
                         std::to_string(status) + "), starting a new one");
    if (pid_t fresh = start_worker(ctx); fresh > 0) {
      workers.push_back(fresh);
    }
  }
  server::stop_children(ctx, workers);
  return 0;
}
