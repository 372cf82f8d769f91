// select: readiness with select(2), the oldest interface. Bit sets of FD_SETSIZE (1024) bits are
// copied to the kernel and back on every wait and scanned up to the highest descriptor, so its cost
// grows with the highest fd, and a descriptor numbered 1024 or more cannot be watched at all
// (FD_SET on it writes past the set: memory corruption). This server refuses such connections with
// a busy reply and says so once in its log: it tops out near 1,000 concurrent connections.
//
// Usage:     netlab-server-select --listen 127.0.0.1:9000
// Test with: netlab-loadgen --target 127.0.0.1:9000 --connections 1100 --duration 3s --max-error-rate 1
//            # about 1,020 connections are served; the rest get a busy reply (counted as errors),
//            # and the server's log says once that select cannot watch a descriptor past FD_SETSIZE
#include "servers/event/event_loop.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "select",
    .transport = server::Transport::kTcp,
    .summary = "One select(2) event loop; refuses connections past FD_SETSIZE.",
};

int serve(server::ServerContext& ctx) {
  server::EventLoop loop(ctx, server::make_poller(server::Backend::kSelect), ctx.listener());
  return loop.run();
}
