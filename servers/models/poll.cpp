// poll: readiness with poll(2). Same loop as epoll, but the whole array of watched descriptors
// goes to the kernel on every wait and comes back to be scanned: about 27 ns per descriptor per
// call here, so 10,000 mostly idle connections cost about 0.3 ms per wakeup even when one of them
// is busy. No descriptor limit besides RLIMIT_NOFILE. Saturates on that scan long before epoll.
//
// Usage:     netlab-server-poll --listen 127.0.0.1:9000
// Test with: netlab-loadgen --target 127.0.0.1:9000 --connections 5000 --rate 2000 --duration 5s
//            # then the same against netlab-server-epoll: poll's latency and CPU grow with the 5,000
//            # mostly idle connections it hands the kernel on every wait; epoll's do not
#include "servers/event/event_loop.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "poll",
    .transport = server::Transport::kTcp,
    .summary = "One poll(2) event loop serving every connection.",
};

int serve(server::ServerContext& ctx) {
  server::raise_fd_limit();
  server::EventLoop loop(ctx, server::make_poller(server::Backend::kPoll), ctx.listener());
  return loop.run();
}
