// processes: nginx's architecture. A master process opens one SO_REUSEPORT listener per worker,
// forks --workers worker processes, each an epoll loop on its own listener, and then only
// supervises: it restarts a worker that dies (a crash costs that worker's connections, not the
// server) and on SIGTERM/SIGINT stops them all. Workers share nothing, not even an address space,
// so a bug in one cannot corrupt another; the price is that shared state (caches, counters) needs
// IPC. Scales like reactors, with a process (about 100 KiB more) per core instead of a thread.
// The master keeps every listener open, so connections queued on a dead worker's listener wait for
// its replacement instead of being reset.
//
// Usage:     netlab-server-processes --listen 127.0.0.1:9000 --workers 2 [--trigger edge]
// Test with: ps --ppid "$(pgrep -o -f netlab-server-processes)" -o pid,cmd   # the workers
//            kill -9 <one worker pid>; ps again: a new pid replaces it, and meanwhile
//            printf 'hi\n' | nc -N 127.0.0.1 9000 is still answered
#include <string>
#include <vector>

#include "servers/common/supervisor.hpp"
#include "servers/event/event_loop.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "processes",
    .transport = server::Transport::kTcp,
    .summary = "nginx-style master + --workers processes, each an epoll loop on SO_REUSEPORT.",
    .default_workers = 2,
    .reuse_port = true,
    .epoll_trigger = true,
};

int serve(server::ServerContext& ctx) {
  server::raise_fd_limit();  // before fork: the workers inherit it
  std::vector<core::Fd> extra;
  std::vector<int> listeners{ctx.listener()};
  for (int i = 1; i < ctx.options().workers; ++i) {
    extra.push_back(ctx.open_extra_listener(true));
    listeners.push_back(extra.back().get());
  }
  server::Supervisor supervisor(ctx);
  return supervisor.keep_alive(listeners.size(), [&](size_t i) {
    // An event loop per worker, on the worker's own listener.
    server::EventLoop loop(ctx, server::make_poller(server::Backend::kEpoll, ctx.options().edge_triggered),
                           listeners[i], "worker " + std::to_string(i) + ": ");
    return loop.run();
  });
}
