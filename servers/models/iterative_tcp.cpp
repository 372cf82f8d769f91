// iterative_tcp: the notes' loop server. Accept one connection, serve it to the end, then accept
// the next. No concurrency at all: a second client waits in the listen backlog until the first
// leaves, so TPS is one client's round-trip rate and every other client's latency is the queue.
// Saturates at exactly one connection; its value is as the baseline every other model beats.
//
// Usage:     netlab-server-iterative_tcp --listen 127.0.0.1:9000
// Test with: (printf 'first\n'; sleep 5) | nc -N 127.0.0.1 9000 &     # holds the only slot 5 s
//            time (printf 'second\n' | nc -N 127.0.0.1 9000)   # answered only once the first leaves
#include "core/net/stop.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/blocking_connection.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "iterative_tcp",
    .transport = server::Transport::kTcp,
    .summary = "Iterative TCP server: one connection at a time, in a loop.",
};

int serve(server::ServerContext& ctx) {
  core::ShutdownOnStop wake_accept(ctx.listener());
  server::Acceptor acceptor(ctx, ctx.listener(), server::AcceptMode::kBlocking);
  while (core::Fd conn = acceptor.next()) {
    core::ShutdownOnStop wake_read(conn.get());
    auto session = ctx.sessions()();
    server::serve_blocking_connection(conn.get(), *session, ctx.options());
  }
  return 0;
}
