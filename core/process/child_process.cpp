#include "core/process/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace netlab::process {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  int read = -1;
  int write = -1;
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void redirect(const std::string& path, int target) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) dup2(fd, target);
}

int milliseconds_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

Exit decode_status(int status) {
  Exit e;
  if (WIFEXITED(status)) {
    e.exited = true;
    e.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    e.signal = WTERMSIG(status);
  }
  return e;
}

std::string Exit::describe() const {
  if (exited) return "exit " + std::to_string(status);
  if (signal) return std::string("killed by SIG") + sigabbrev_np(signal);
  if (wait_errno) return std::string("waitpid failed: ") + std::strerror(wait_errno);
  return "still running";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& options)
    : own_group_(options.own_group) {
  Pipe in, out, err;
  auto open_pipe = [&](bool wanted, Pipe& p) {
    int fds[2];
    if (!wanted) return;
    if (pipe2(fds, O_CLOEXEC) != 0) {
      int saved = errno;
      for (Pipe* q : {&in, &out, &err}) close_fd(q->read), close_fd(q->write);
      throw std::runtime_error(std::string("pipe: ") + std::strerror(saved));
    }
    p = {fds[0], fds[1]};
  };
  open_pipe(options.stdin_pipe, in);
  open_pipe(options.stdout_pipe, out);
  open_pipe(options.stderr_pipe, err);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    int saved = errno;
    for (Pipe* q : {&in, &out, &err}) close_fd(q->read), close_fd(q->write);
    throw std::runtime_error(std::string("fork: ") + std::strerror(saved));
  }
  if (pid_ == 0) {
    if (options.own_group) setpgid(0, 0);
    if (options.cpu >= 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(options.cpu, &set);
      sched_setaffinity(0, sizeof set, &set);
    }
    if (in.read >= 0) dup2(in.read, 0);
    if (out.write >= 0) dup2(out.write, 1);
    if (!options.stdout_path.empty()) redirect(options.stdout_path, 1);
    if (err.write >= 0) dup2(err.write, 2);
    if (!options.stderr_path.empty()) redirect(options.stderr_path, 2);
    if (options.stderr_to_stdout) dup2(1, 2);
    // The parent ignores or handles these; the child starts with the defaults.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  if (options.own_group) setpgid(pid_, pid_);  // also here, so the group exists before we use it
  close_fd(in.read);
  close_fd(out.write);
  close_fd(err.write);
  stdin_fd_ = in.write;
  stdout_fd_ = out.read;
  stderr_fd_ = err.read;
  if (stderr_fd_ >= 0) fcntl(stderr_fd_, F_SETFL, O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
  if (!exit_ && pid_ > 0) {
    signal(SIGKILL, own_group_);
    wait(std::chrono::seconds(5));
  }
  close_fd(stdin_fd_);
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto nl = buffered_.find('\n'); nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    if (stdout_fd_ < 0 || stdout_eof_) return std::nullopt;
    pollfd p{stdout_fd_, POLLIN, 0};
    int left = milliseconds_left(deadline);
    if (left <= 0 || ::poll(&p, 1, left) <= 0) return std::nullopt;
    char buf[512];
    ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) {
      stdout_eof_ = true;
      return std::nullopt;
    }
    buffered_.append(buf, static_cast<size_t>(n));
  }
}

bool ChildProcess::read_to_end(std::string& out, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  out += buffered_;
  buffered_.clear();
  char buf[4096];
  while (stdout_fd_ >= 0 && !stdout_eof_) {
    pollfd p{stdout_fd_, POLLIN, 0};
    int left = milliseconds_left(deadline);
    if (left <= 0 || ::poll(&p, 1, left) <= 0) return false;
    ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) {
      stdout_eof_ = true;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return true;
}

std::string ChildProcess::stderr_text() {
  char buf[4096];
  for (ssize_t n; stderr_fd_ >= 0 && (n = ::read(stderr_fd_, buf, sizeof buf)) > 0;) {
    stderr_.append(buf, static_cast<size_t>(n));
  }
  return stderr_;
}

bool ChildProcess::write_stdin(const std::string& text) {
  size_t done = 0;
  while (stdin_fd_ >= 0 && done < text.size()) {
    ssize_t n = ::write(stdin_fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return stdin_fd_ >= 0;
}

void ChildProcess::close_stdin() { close_fd(stdin_fd_); }

std::optional<Exit> ChildProcess::poll_exit() {
  if (exit_ || pid_ <= 0) return exit_;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    exit_ = decode_status(status);
  } else if (r < 0) {
    // ECHILD (reaped elsewhere, or SIGCHLD ignored) or EINVAL: waiting longer cannot help.
    exit_ = Exit{};
    exit_->wait_errno = errno;
  }
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

}  // namespace netlab::process
