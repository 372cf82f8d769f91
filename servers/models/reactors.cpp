// reactors: muduo's "one loop per thread". --workers threads each run their own epoll loop over
// their own SO_REUSEPORT listener, so the kernel spreads new connections across the loops (by a
// hash of the 4-tuple) and a connection lives on one thread for its whole life: no locks, no
// hand-off, nothing shared on the hot path. It scales with cores until the cores run out (two
// here, shared with the load generator); a slow request (--cpu-work, --io-delay) still stalls every
// connection on its own loop, and the hash can leave one loop busier than another.
// --max-conns and the send timeout apply to each loop.
//
// Usage:     netlab-server-reactors --listen 127.0.0.1:9000 --workers 2 [--trigger edge]
// Test with: netlab-server-reactors --listen 127.0.0.1:9000 --workers 2 --io-delay 1s, then
//            for i in 1 2 3 4; do (time (printf 'hi\n' | nc -N 127.0.0.1 9000)) 2>&1 | grep real & done
//            # 1 s for the first client on each loop, 2 s for one that hashed onto a busy loop
#include <algorithm>
#include <thread>
#include <vector>

#include "servers/event/event_loop.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "reactors",
    .transport = server::Transport::kTcp,
    .summary = "One epoll loop per thread (--workers), each on its own SO_REUSEPORT listener.",
    .default_workers = 2,
    .reuse_port = true,
    .epoll_trigger = true,
};

int serve(server::ServerContext& ctx) {
  server::raise_fd_limit();
  const int loops = ctx.options().workers;
  // Listener 0 is the one main opened (it already belongs to the port's SO_REUSEPORT group); every
  // other loop gets its own. A listener nobody accepts on would strand its share of connections.
  std::vector<core::Fd> extra;
  for (int i = 1; i < loops; ++i) {
    extra.push_back(ctx.open_extra_listener(true));
  }
  std::vector<int> status(static_cast<size_t>(loops), 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < loops; ++i) {
    threads.emplace_back([&ctx, &extra, &status, i] {
      int listener = i == 0 ? ctx.listener() : extra[static_cast<size_t>(i - 1)].get();
      server::EventLoop loop(ctx, server::make_poller(server::Backend::kEpoll, ctx.options().edge_triggered),
                             listener, "reactor " + std::to_string(i) + ": ");
      status[static_cast<size_t>(i)] = loop.run();
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  return *std::max_element(status.begin(), status.end());
}
