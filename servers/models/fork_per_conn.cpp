// fork_per_conn: the notes' multi-process server. The parent only accepts; every connection gets a
// child process that serves it and exits. Children are isolated (a crash takes one client down),
// but each costs a fork (60-120 us here) and about 100 KiB, so connection rate, not request rate,
// is what saturates it. The classic pitfall is zombies: an exited child stays in the process table
// until its parent waits for it. Here SIGCHLD interrupts accept() and the parent reaps every
// finished child right there (waitpid with WNOHANG, in a loop, since signals merge).
//
// Usage:     netlab-server-fork_per_conn --listen 127.0.0.1:9000
// Test with: for i in 1 2 3; do (printf 'hi\n'; sleep 10) | nc -N 127.0.0.1 9000 & done
//            ps --ppid "$(pgrep -o -f netlab-server-fork_per_conn)" -o pid,stat,rss,cmd
//            # one child process per client; once they leave, none is left, not even a zombie (Z)
#include <unistd.h>

#include "core/net/stop.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/blocking_connection.hpp"
#include "servers/common/supervisor.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "fork_per_conn",
    .transport = server::Transport::kTcp,
    .summary = "One process per connection (fork), zombies reaped on SIGCHLD.",
};

int serve(server::ServerContext& ctx) {
  core::ShutdownOnStop wake_accept(ctx.listener());
  server::Supervisor supervisor(ctx);  // its SIGCHLD handler interrupts accept(): reap there
  server::Acceptor acceptor(ctx, ctx.listener(), server::AcceptMode::kBlocking);
  const auto max_children = static_cast<size_t>(ctx.options().max_conns);
  while (core::Fd conn = acceptor.next([&] { supervisor.reap(); })) {
    if (supervisor.children() >= max_children) {
      supervisor.reap();
      if (supervisor.children() >= max_children) {
        server::refuse(ctx, std::move(conn), "connection limit reached");
        continue;
      }
    }
    pid_t pid = supervisor.spawn([&] {
      ::close(ctx.listener());
      core::ShutdownOnStop wake_read(conn.get());
      auto session = ctx.sessions()();
      server::serve_blocking_connection(conn.get(), *session, ctx.options());
      return 0;
    });
    if (pid < 0) {
      server::refuse(ctx, std::move(conn), "cannot fork");
      continue;
    }
    supervisor.reap();  // a busy accept loop may see no EINTR for a while
  }
  // Stop: every child serving a connection gets SIGTERM (its handler shuts its socket down), then
  // the parent waits for all of them, so no process outlives the server.
  supervisor.stop_all();
  return 0;
}
