#include "servers/common/child_processes.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace netlab::server {

void stop_with_parent(pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) raise(SIGTERM);  // reparented already: the handler asks for a stop
}

size_t stop_children(const ServerContext& ctx, std::span<const pid_t> children, std::chrono::milliseconds grace) {
  std::vector<pid_t> running;
  for (pid_t pid : children) {
    if (pid > 0 && kill(pid, SIGTERM) == 0) running.push_back(pid);
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (!running.empty() && std::chrono::steady_clock::now() < deadline) {
    std::erase_if(running, [](pid_t pid) { return waitpid(pid, nullptr, WNOHANG) != 0; });
    timespec pause{0, 5'000'000};  // children usually exit in a few ms; 5 ms steps keep this cheap
    nanosleep(&pause, nullptr);
  }
  for (pid_t pid : running) {
    log(ctx, "child " + std::to_string(pid) + " did not stop within " + std::to_string(grace.count()) +
                 " ms of SIGTERM; killing it");
    kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return running.size();
}

}  // namespace netlab::server
