// epoll: the C10K answer on Linux. One thread, one epoll instance: the kernel keeps the interest
// set and epoll_wait returns only the descriptors that are ready, so an idle connection costs
// memory (about 4 KB of kernel socket plus its session) but no CPU per wait. --trigger level (the
// default) re-reports a ready socket on every wait; --trigger edge reports each change once, so
// the loop reads and accepts until EAGAIN and registers each connection once (no epoll_ctl after
// accept, ever). Saturates at one core: every request and every --cpu-work/--io-delay runs on the
// loop thread, so one slow request delays every connection (reactors and processes add cores).
//
// Usage:     netlab-server-epoll --listen 127.0.0.1:9000 [--trigger edge] [--max-conns 10000]
// Test with: netlab-server-epoll --listen 127.0.0.1:9000 --io-delay 1s, then two clients at once:
//            for i in 1 2; do (time (printf 'hi\n' | nc -N 127.0.0.1 9000)) 2>&1 | grep real & done
//            # about 1 s and 2 s: the second waited for the first's request on the one loop thread
#include "servers/event/event_loop.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "epoll",
    .transport = server::Transport::kTcp,
    .summary = "One epoll event loop (--trigger level|edge) serving every connection.",
    .epoll_trigger = true,
};

int serve(server::ServerContext& ctx) {
  server::raise_fd_limit();
  auto poller = server::make_poller(server::Backend::kEpoll, ctx.options().edge_triggered);
  server::log(ctx, "backend: " + std::string(poller->name()));
  server::EventLoop loop(ctx, std::move(poller), ctx.listener());
  return loop.run();
}
