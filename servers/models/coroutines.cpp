// coroutines: the notes' asyncio, in C++20. Each connection is one coroutine written as plain
// straight-line code (read a chunk, hand it to the session, write the reply) that co_awaits
// wherever a blocking server would block; underneath, one edge-triggered epoll loop resumes it
// when its socket is ready (servers/event/coro_loop.hpp). It reads like thread_per_conn and runs
// like epoll: one thread, a few hundred bytes of frame per connection instead of a stack. Same
// limits as epoll: one core, and a handler that blocks without co_await (--cpu-work, --io-delay)
// blocks every coroutine. Backpressure comes for free: a coroutine waiting to write is not reading.
//
// Usage:     netlab-server-coroutines --listen 127.0.0.1:9000 [--send-timeout 10s]
// Test with: netlab-server-coroutines --listen 127.0.0.1:9000 --send-timeout 2s, then a client that
//            sends without reading:  yes | nc 127.0.0.1 9000 | sleep 30
//            # its coroutine waits to write, so it stops reading (backpressure: the server's memory
//            # stays flat); 2 s later the log says it closed a connection whose client stopped reading
#include <sys/socket.h>

#include <cerrno>

#include "core/net/socket.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/common/send_outbox.hpp"
#include "servers/event/coro_loop.hpp"
#include "servers/event/stalled_clients.hpp"

using namespace netlab;
using server::CoroLoop;
using server::DetachedTask;

const server::ModelInfo kModelInfo{
    .name = "coroutines",
    .transport = server::Transport::kTcp,
    .summary = "C++20 coroutines, one per connection, over one epoll loop.",
};

namespace {

struct Counters {
  explicit Counters(const server::ServerContext& ctx) : stalled(ctx) {}
  size_t live = 0;
  server::StalledClients stalled;
  uint64_t made_room = 0;  // quiet connections closed at --max-conns to admit new ones
};

// At --max-conns the connection that has waited quietly the longest is closed to admit the new
// one (its coroutine runs to the end inside the call); false when every connection is busy.
bool make_room(CoroLoop& loop, const server::ServerContext& ctx, Counters& counters) {
  if (!loop.cut_quietest_reader()) return false;
  if (counters.made_room++ == 0) {
    server::log(ctx, "connection limit (--max-conns " + std::to_string(ctx.options().max_conns) +
                         ") reached; closing the connections idle the longest to admit new ones");
  }
  return true;
}

// Keeps fd registered with the loop for the coroutine's lifetime. Declared after the Fd, so the
// registration ends before the descriptor closes.
class Watch {
 public:
  Watch(CoroLoop& loop, int fd) : loop_(loop), fd_(fd) { loop_.watch(fd_); }
  ~Watch() { loop_.forget(fd_); }
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

 private:
  CoroLoop& loop_;
  int fd_;
};

DetachedTask serve_connection(CoroLoop& loop, const server::ServerContext& ctx, core::Fd fd, Counters& counters) {
  Watch watch(loop, fd.get());
  ++counters.live;
  auto session = ctx.sessions()();
  proto::Outbox out;
  server::RequestTimer timer(ctx.options());
  for (bool open = true; open;) {
    std::span<char> buf = loop.read_buffer();  // shared: used up before the next co_await
    ssize_t n;
    bool late = false;  // the header or idle deadline passed first
    while ((n = ::recv(fd.get(), buf.data(), buf.size(), 0)) < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!co_await loop.readable(fd.get(), timer.deadline(), server::quiet_since(timer, *session, out, false))) {
        late = true;
        break;
      }
    }
    if (late) {
      server::time_out(*session, out);  // HTTP's 408, if a request was begun
      open = false;
    } else if (n < 0) {
      break;  // reset by the peer
    } else if (n == 0) {
      session->on_peer_closed(out);
      open = false;
    } else {
      session->on_bytes({buf.data(), static_cast<size_t>(n)}, out);
      open = !out.wants_close();
    }
    server::SendResult sent;
    for (;;) {
      while ((sent = server::send_outbox(fd.get(), out)) == server::SendResult::kWouldBlock) {
        if (!co_await loop.writable(fd.get(), ctx.options().send_timeout)) {
          counters.stalled.closed(out.pending_bytes());
          open = false;
          break;
        }
      }
      open = open && sent == server::SendResult::kDone && !out.wants_close();
      if (!open || !out.input_held()) break;
      session->on_bytes({}, out);  // requests held back while the outbox was full (Outbox flow control)
    }
    timer.update(*session, out);
  }
  --counters.live;
}

DetachedTask accept_connections(CoroLoop& loop, const server::ServerContext& ctx, Counters& counters) {
  int listener = ctx.listener();
  server::Acceptor acceptor(ctx, listener);
  Watch watch(loop, listener);
  const auto max_conns = static_cast<size_t>(ctx.options().max_conns);
  for (;;) {
    core::Fd conn;
    switch (acceptor.accept(conn)) {
      case server::AcceptResult::kAccepted:
        if (counters.live >= max_conns && !make_room(loop, ctx, counters)) {
          server::refuse(ctx, std::move(conn), "connection limit reached");
        } else {
          serve_connection(loop, ctx, std::move(conn), counters);  // runs until its first co_await
        }
        break;
      case server::AcceptResult::kRefused:
        break;
      case server::AcceptResult::kAgain:
        co_await loop.readable(listener);
        break;
      case server::AcceptResult::kOutOfFds:
        co_await loop.sleep(std::chrono::milliseconds(100));  // let descriptors free up; no spinning
        break;
    }
  }
}

}  // namespace

int serve(server::ServerContext& ctx) {
  server::raise_fd_limit();
  core::set_nonblocking(ctx.listener());
  CoroLoop loop;
  loop.set_sweep_interval(server::sweep_interval(ctx.options()));
  Counters counters(ctx);
  accept_connections(loop, ctx, counters);
  loop.run();  // until a stop; suspended coroutines are destroyed, closing their connections
  return 0;
}
