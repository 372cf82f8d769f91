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
// Test with: printf 'hello\n' | nc -q1 127.0.0.1 9000
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "core/net/stop.hpp"
#include "servers/common/child_processes.hpp"
#include "servers/event/event_loop.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{"processes", server::Transport::kTcp,
                                   "nginx-style master + --workers processes, each an epoll loop on SO_REUSEPORT.",
                                   2, true};

namespace {

using Clock = std::chrono::steady_clock;

struct Worker {
  int listener;
  pid_t pid = -1;
  Clock::time_point started;
};

[[noreturn]] void run_worker(server::ServerContext& ctx, int listener, size_t index, pid_t master) {
  core::reset_stop_after_fork();    // our own stop_fd; the handlers are inherited
  server::stop_with_parent(master);  // a master killed with SIGKILL takes its workers along
  server::EventLoop loop(ctx, server::make_poller(server::Backend::kEpoll, ctx.options().edge_triggered),
                         listener, "worker " + std::to_string(index) + ": ");
  _exit(loop.run());
}

void start(server::ServerContext& ctx, Worker& w, size_t index) {
  w.started = Clock::now();
  pid_t master = getpid();
  w.pid = fork();
  if (w.pid == 0) {
    run_worker(ctx, w.listener, index, master);
  }
  if (w.pid < 0) {
    server::log(ctx, std::string("fork: ") + std::strerror(errno));
  }
}

std::string describe(int status) {
  if (WIFSIGNALED(status)) return std::string("killed by ") + strsignal(WTERMSIG(status));
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

int serve(server::ServerContext& ctx) {
  server::raise_fd_limit();  // before fork: the workers inherit it
  std::vector<core::Fd> extra;
  std::vector<Worker> workers(static_cast<size_t>(ctx.options().workers));
  workers[0].listener = ctx.listener();
  for (size_t i = 1; i < workers.size(); ++i) {
    extra.push_back(ctx.open_extra_listener(true));
    workers[i].listener = extra.back().get();
  }
  for (size_t i = 0; i < workers.size(); ++i) {
    start(ctx, workers[i], i);
  }
  if (std::all_of(workers.begin(), workers.end(), [](const Worker& w) { return w.pid < 0; })) {
    server::log(ctx, "no worker could be started");
    return 1;
  }
  while (!core::stop_requested()) {
    // Wait on stop_fd, not in wait(): a SIGTERM landing just before a blocking wait() would be
    // missed until a worker died. Reaping is checked at least every 100 ms.
    pollfd stop{core::stop_fd(), POLLIN, 0};
    poll(&stop, 1, 100);
    int status = 0;
    for (pid_t pid; !core::stop_requested() && (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
      for (size_t i = 0; i < workers.size(); ++i) {
        if (workers[i].pid != pid) continue;
        server::log(ctx, "worker " + std::to_string(i) + " (pid " + std::to_string(pid) + ") " + describe(status) +
                             " unexpectedly, starting a new one");
        // A worker that dies at once would die again: do not turn that into a fork loop.
        if (Clock::now() - workers[i].started < std::chrono::seconds(1)) {
          timespec pause{0, 500'000'000};
          nanosleep(&pause, nullptr);  // EINTR on a stop is fine
        }
        if (!core::stop_requested()) start(ctx, workers[i], i);
      }
    }
    for (size_t i = 0; i < workers.size() && !core::stop_requested(); ++i) {
      if (workers[i].pid < 0) start(ctx, workers[i], i);  // fork failed earlier: try again
    }
  }
  std::vector<pid_t> pids;
  for (const Worker& w : workers) pids.push_back(w.pid);
  server::stop_children(ctx, pids);
  return 0;
}
