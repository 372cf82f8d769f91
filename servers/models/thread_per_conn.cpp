// thread_per_conn: the notes' multi-threaded server. The main thread accepts; every connection
// gets its own thread that serves it with plain blocking calls. Threads are cheaper than processes
// (25-35 KiB real each here, no fork) and share memory, but each is a kernel-scheduled stack: at
// thousands of connections the scheduler and context switches (two per request) dominate, and
// pid_max (32,768 threads machine-wide) is a hard wall. --max-conns caps the threads; past it a
// client gets the protocol's busy reply and is closed.
//
// Usage:     netlab-server-thread_per_conn --listen 127.0.0.1:9000 --max-conns 10000
// Test with: for i in 1 2 3; do (printf 'hi\n'; sleep 10) | nc -N 127.0.0.1 9000 & done
//            ps -L -o tid,comm -p "$(pgrep -f netlab-server-thread_per_conn)"   # main + one per client
//            with --max-conns 3, a fourth client: printf 'hi\n' | nc -N 127.0.0.1 9000   # ERR server busy
#include <cstring>

#include "core/net/stop.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/blocking_connection.hpp"
#include "servers/common/connection_set.hpp"
#include "servers/common/thread.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "thread_per_conn",
    .transport = server::Transport::kTcp,
    .summary = "One thread per connection, capped by --max-conns.",
};

int serve(server::ServerContext& ctx) {
  core::ShutdownOnStop wake_accept(ctx.listener());
  server::Acceptor acceptor(ctx, ctx.listener(), server::AcceptMode::kBlocking);
  server::ConnectionSet live;
  const auto cap = static_cast<size_t>(ctx.options().max_conns);
  while (core::Fd conn = acceptor.next()) {
    if (!live.try_add(conn.get(), cap)) {
      server::refuse(ctx, std::move(conn), "connection limit reached");
      continue;
    }
    int fd = conn.release();  // the thread owns it from here
    bool started = server::start_detached_thread([&ctx, &live, fd] {
      core::Fd owned(fd);
      auto session = ctx.sessions()();
      server::serve_blocking_connection(fd, *session, ctx.options());
      live.remove(fd);  // before the close: a stop must never shut down a recycled descriptor
    });
    if (!started) {
      live.remove(fd);
      server::log(ctx, std::string("cannot start a thread: ") + std::strerror(errno));
      server::refuse(ctx, core::Fd(fd), "cannot start a thread");
    }
  }
  live.shutdown_all();
  if (!live.wait_empty(std::chrono::seconds(2))) {
    server::log(ctx, "connections still open after 2 s; exiting anyway");
  }
  return 0;
}
