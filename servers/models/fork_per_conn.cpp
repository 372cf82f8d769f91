// fork_per_conn: the notes' multi-process server. The parent only accepts; every connection gets a
// child process that serves it and exits. Children are isolated (a crash takes one client down),
// but each costs a fork (60-120 us here) and about 100 KiB, so connection rate, not request rate,
// is what saturates it. The classic pitfall is zombies: an exited child stays in the process table
// until its parent waits for it. Here SIGCHLD interrupts accept() and the parent reaps every
// finished child right there (waitpid with WNOHANG, in a loop, since signals merge).
//
// Usage:     netlab-server-fork_per_conn --listen 127.0.0.1:9000
// Test with: printf 'hello\n' | nc -q1 127.0.0.1 9000
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "core/net/stop.hpp"
#include "servers/common/accept.hpp"
#include "servers/common/blocking_connection.hpp"
#include "servers/common/child_processes.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{"fork_per_conn", server::Transport::kTcp,
                                   "One process per connection (fork), zombies reaped on SIGCHLD.", 0,
                                   false};

namespace {

std::unordered_set<pid_t> g_children;

void reap_children() {
  pid_t pid;
  while ((pid = waitpid(-1, nullptr, WNOHANG)) > 0) {
    g_children.erase(pid);
  }
}

// Only interrupts accept(): reaping in the main flow keeps g_children out of signal context.
void on_sigchld(int) {}

[[noreturn]] void run_child(server::ServerContext& ctx, core::Fd conn) {
  core::reset_stop_after_fork();
  signal(SIGCHLD, SIG_DFL);
  ::close(ctx.listener());
  {
    core::ShutdownOnStop wake_read(conn.get());
    auto session = ctx.sessions()();
    server::serve_blocking_connection(conn.get(), *session);
  }
  _exit(0);  // no atexit handlers or stdio flushes inherited from the parent
}

}  // namespace

int serve(server::ServerContext& ctx) {
  struct sigaction sa {};
  sa.sa_handler = on_sigchld;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_NOCLDSTOP;  // no SA_RESTART: accept() must return so we reap
  sigaction(SIGCHLD, &sa, nullptr);

  core::ShutdownOnStop wake_accept(ctx.listener());
  while (core::Fd conn = server::accept_blocking(ctx, reap_children)) {
    if (g_children.size() >= static_cast<size_t>(ctx.options().max_conns)) {
      reap_children();
      if (g_children.size() >= static_cast<size_t>(ctx.options().max_conns)) {
        server::refuse(ctx, std::move(conn), "connection limit reached");
        continue;
      }
    }
    pid_t pid = fork();
    if (pid == 0) {
      run_child(ctx, std::move(conn));
    }
    if (pid < 0) {
      server::log(ctx, std::string("fork: ") + std::strerror(errno) + "; refusing the connection");
      server::refuse(ctx, std::move(conn), "cannot fork");
      continue;
    }
    g_children.insert(pid);
    reap_children();  // a busy accept loop may see no EINTR for a while
  }

  // Stop: every child serving a connection gets SIGTERM (its handler shuts its socket down), then
  // the parent waits for all of them, so no process outlives the server.
  std::vector<pid_t> children(g_children.begin(), g_children.end());
  server::stop_children(ctx, children);
  g_children.clear();
  return 0;
}
