// prefork: the notes' process pool, Apache-prefork style. The parent opens the listener, forks N
// workers up front and then only supervises; each worker loops accept -> serve -> accept on the
// shared listener, so the kernel hands each new connection to one blocked worker. No fork per
// connection, but a worker is busy for a connection's whole life: N concurrent connections
// saturate it, and the (N+1)th waits in the backlog. A worker that dies is replaced. While clients
// wait there, a worker cuts a connection that went quiet in the middle of a request (a slowloris
// flood would otherwise hold every worker for a header timeout per turn of the backlog).
//
// Usage:     netlab-server-prefork --listen 127.0.0.1:9000 --workers 8
// Test with: ps --ppid "$(pgrep -o -f netlab-server-prefork)" -o pid,cmd   # 8 workers before any client
//            with --workers 2: for i in 1 2; do (printf 'hi\n'; sleep 10) | nc -N 127.0.0.1 9000 & done
//            time (printf 'third\n' | nc -N 127.0.0.1 9000)   # waits in the backlog for a free worker
#include "core/net/stop.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/blocking_connection.hpp"
#include "servers/common/supervisor.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "prefork",
    .transport = server::Transport::kTcp,
    .summary = "Pre-forked process pool: N processes accept on one listener.",
    .default_workers = 8,
};

int serve(server::ServerContext& ctx) {
  // The workers do not register the shared listener: one worker's stop must not close the door
  // for the others. The master shuts it down at a real stop, which wakes every worker's accept().
  core::ShutdownOnStop wake_workers(ctx.listener());
  server::Supervisor supervisor(ctx);
  return supervisor.keep_alive(static_cast<size_t>(ctx.options().workers), [&](size_t) {
    // A blocking accept loop: one connection at a time.
    server::Acceptor acceptor(ctx, ctx.listener(), server::AcceptMode::kBlocking);
    while (core::Fd conn = acceptor.next()) {
      core::ShutdownOnStop wake_read(conn.get());
      auto session = ctx.sessions()();
      // The queue is the kernel's backlog: while clients wait there, a quiet unfinished request
      // gives up its worker (blocking_connection.hpp), so slowloris cannot hold the pool.
      server::serve_blocking_connection(conn.get(), *session, ctx.options(), server::RequestTimer::now(),
                                        [&] { return server::listener_has_waiting(ctx.listener()); });
    }
    return 0;
  });
}
