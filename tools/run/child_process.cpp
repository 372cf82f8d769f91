#include "tools/run/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

namespace netlab::run {
namespace {

using Clock = std::chrono::steady_clock;

Exit to_exit(int status) {
  Exit e;
  if (WIFEXITED(status)) {
    e.exited = true;
    e.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    e.signal = WTERMSIG(status);
  }
  return e;
}

void redirect(const std::string& path, int target) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) dup2(fd, target);
}

}  // namespace

std::string Exit::describe() const {
  if (exited) return "exit " + std::to_string(status);
  if (signal) return std::string("killed by SIG") + sigabbrev_np(signal);
  return "still running";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& options)
    : own_group_(options.own_group) {
  int out[2] = {-1, -1};
  if (options.stdout_pipe && pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    if (options.own_group) setpgid(0, 0);
    if (options.cpu >= 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(options.cpu, &set);
      sched_setaffinity(0, sizeof set, &set);
    }
    if (options.stdout_pipe) dup2(out[1], 1);
    if (!options.stdout_path.empty()) redirect(options.stdout_path, 1);
    if (!options.stderr_path.empty()) redirect(options.stderr_path, 2);
    // The runner ignores or handles signals; the child starts with the defaults.
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  if (options.own_group) setpgid(pid_, pid_);  // also here, so the group exists before we use it
  if (options.stdout_pipe) {
    ::close(out[1]);
    stdout_fd_ = out[0];
  }
}

ChildProcess::~ChildProcess() {
  if (!exit_ && pid_ > 0) {
    signal(SIGKILL, own_group_);
    wait(std::chrono::seconds(5));
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto nl = buffered_.find('\n'); nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{stdout_fd_, POLLIN, 0};
    if (stdout_fd_ < 0 || left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return std::nullopt;
    char buf[512];
    ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    buffered_.append(buf, static_cast<size_t>(n));
  }
}

std::optional<Exit> ChildProcess::poll_exit() {
  if (exit_ || pid_ <= 0) return exit_;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) exit_ = to_exit(status);
  return exit_;
}

std::optional<Exit> ChildProcess::wait(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!poll_exit() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_;
}

void ChildProcess::signal(int sig, bool group) {
  if (pid_ <= 0) return;
  // A group outlives its leader when children linger: signal it even after the leader exited.
  if (group && own_group_) {
    ::kill(-pid_, sig);
  } else if (!exit_) {
    ::kill(pid_, sig);
  }
}

std::pair<Exit, bool> ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!poll_exit()) signal(SIGTERM);
  bool killed = false;
  if (!wait(grace)) {
    signal(SIGKILL, true);
    killed = true;
    wait(std::chrono::seconds(5));
  }
  if (own_group_) ::kill(-pid_, SIGKILL);  // nothing of the group may outlive its case
  return {exit_.value_or(Exit{}), killed};
}

}  // namespace netlab::run
