#include "servers/common/supervisor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "core/net/stop.hpp"
#include "servers/common/child_processes.hpp"

namespace netlab::server {
namespace {

using Clock = std::chrono::steady_clock;

// A worker that dies this soon after its start would die again: pause before the next fork.
constexpr auto kCrashLoopWindow = std::chrono::seconds(1);
constexpr timespec kCrashLoopPause{0, 500'000'000};
// keep_alive looks at its children at least this often, should a SIGCHLD land just before poll().
constexpr int kReapEveryMs = 100;

// Only interrupts the master's blocking call; the reaping happens in the main flow.
void on_sigchld(int) {}

void pause_unless_stopped(timespec left) {
  while (nanosleep(&left, &left) != 0 && errno == EINTR && !core::stop_requested()) {
  }
}

struct Worker {
  pid_t pid = -1;
  Clock::time_point started;
};

}  // namespace

Supervisor::Supervisor(const ServerContext& ctx) : ctx_(ctx) {
  struct sigaction sa {};
  sa.sa_handler = on_sigchld;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_NOCLDSTOP;  // no SA_RESTART: a blocked accept()/poll() returns so we reap
  sigaction(SIGCHLD, &sa, nullptr);
}

Supervisor::~Supervisor() { stop_all(); }

pid_t Supervisor::spawn(const Body& body) {
  pid_t master = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    core::reset_stop_after_fork();
    signal(SIGCHLD, SIG_DFL);
    stop_with_parent(master);
    int status = 1;
    try {
      status = body();
    } catch (const std::exception& e) {
      log(ctx_, e.what());
    }
    _exit(status);
  }
  if (pid < 0) {
    log(ctx_, std::string("fork: ") + std::strerror(errno));
    return -1;
  }
  children_.insert(pid);
  return pid;
}

void Supervisor::reap(const OnExit& on_exit) {
  int status = 0;
  for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
    children_.erase(pid);
    if (on_exit) on_exit(pid, status);
  }
}

int Supervisor::keep_alive(size_t count, const WorkerBody& body) {
  std::vector<Worker> workers(count);
  auto start = [&](size_t i) {
    workers[i].started = Clock::now();
    workers[i].pid = spawn([&body, i] { return body(i); });
  };
  for (size_t i = 0; i < count; ++i) start(i);
  if (std::all_of(workers.begin(), workers.end(), [](const Worker& w) { return w.pid < 0; })) {
    log(ctx_, "no worker could be started");
    return 1;
  }
  while (!core::stop_requested()) {
    // Wait on stop_fd, not in wait(): a SIGTERM landing just before a blocking wait() would be
    // missed until a worker died. SIGCHLD interrupts the poll.
    pollfd stop{core::stop_fd(), POLLIN, 0};
    poll(&stop, 1, kReapEveryMs);
    reap([&](pid_t pid, int status) {
      auto it = std::find_if(workers.begin(), workers.end(), [pid](const Worker& w) { return w.pid == pid; });
      if (it == workers.end() || core::stop_requested()) return;
      size_t i = static_cast<size_t>(it - workers.begin());
      it->pid = -1;
      log(ctx_, "worker " + std::to_string(i) + " (pid " + std::to_string(pid) + ") exited unexpectedly (" +
                    describe_exit(status) + "), starting a new one");
      if (Clock::now() - it->started < kCrashLoopWindow) pause_unless_stopped(kCrashLoopPause);
    });
    for (size_t i = 0; i < count && !core::stop_requested(); ++i) {
      if (workers[i].pid < 0) start(i);  // died just now, or the fork failed earlier: try again
    }
  }
  stop_all();
  return 0;
}

void Supervisor::stop_all() {
  std::vector<pid_t> pids(children_.begin(), children_.end());
  children_.clear();
  stop_children(ctx_, pids);
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace netlab::server
