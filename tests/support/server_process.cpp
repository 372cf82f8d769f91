#include "tests/support/server_process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace netlab::test {
namespace {

using Clock = std::chrono::steady_clock;

void drain_into(int fd, std::string& out) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return;
    out.append(buf, static_cast<size_t>(n));
  }
}

pid_t spawn(const std::vector<std::string>& argv, int in_fd, int out_fd, int err_fd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    if (in_fd >= 0) dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    signal(SIGPIPE, SIG_DFL);
    execv(args[0], args.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  return pid;
}

ExitInfo wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
  ExitInfo info;
  auto start = Clock::now();
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      info.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      if (WIFEXITED(status)) {
        info.exited = true;
        info.status = WEXITSTATUS(status);
      } else if (WIFSIGNALED(status)) {
        info.signal = WTERMSIG(status);
      }
      return info;
    }
    if (Clock::now() - start > timeout) {
      info.took = timeout;
      return info;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

std::string bin_path(const std::string& name) {
  return name.starts_with("/") ? name : std::string(NETLAB_BIN_DIR) + "/" + name;
}

ServerProcess::ServerProcess(const std::string& binary, std::vector<std::string> args,
                             std::chrono::milliseconds timeout, bool pipe_stdin) {
  int out[2], err[2], in[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || (pipe_stdin && pipe2(in, O_CLOEXEC) != 0)) {
    throw std::runtime_error("pipe failed");
  }
  args.insert(args.begin(), bin_path(binary));
  pid_ = spawn(args, in[0], out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);
  if (pipe_stdin) {
    ::close(in[0]);
    stdin_fd_ = in[1];
  }
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  fcntl(stderr_fd_, F_SETFL, O_NONBLOCK);

  std::string line;
  auto deadline = Clock::now() + timeout;
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{stdout_fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      throw std::runtime_error(binary + " printed no ready line in time; stderr: " + stderr_text());
    }
    char c;
    if (::read(stdout_fd_, &c, 1) != 1) {
      wait_exit(pid_, std::chrono::milliseconds(500));
      pid_ = -1;
      throw std::runtime_error(binary + " exited before it was ready; stderr: " + stderr_text());
    }
    line += c;
  }
  if (line.rfind("READY ", 0) != 0) {
    throw std::runtime_error(binary + " printed '" + line + "' instead of a ready line");
  }
  std::string addr = line.substr(6, line.size() - 7);
  address_ = core::Address::parse(addr);
  if (address_.host() == "0.0.0.0") {
    address_ = core::Address::parse("127.0.0.1", address_.port());
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
  close_stdin();
}

bool ServerProcess::write_stdin(const std::string& text) {
  return stdin_fd_ >= 0 && ::write(stdin_fd_, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

void ServerProcess::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

ExitInfo ServerProcess::stop(int sig, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return {};
  kill(pid_, sig);
  ExitInfo info = wait_exit(pid_, timeout);
  if (info.exited || info.signal != 0) {
    pid_ = -1;
  }
  return info;
}

std::string ServerProcess::stderr_text() {
  if (stderr_fd_ >= 0) drain_into(stderr_fd_, stderr_);
  return stderr_;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text,
                          std::chrono::milliseconds timeout) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  pid_t pid = spawn(argv, in[0], out[1], out[1]);
  ::close(in[0]);
  ::close(out[1]);
  signal(SIGPIPE, SIG_IGN);
  [[maybe_unused]] auto w = ::write(in[1], stdin_text.data(), stdin_text.size());
  ::close(in[1]);
  CommandResult result;
  auto deadline = Clock::now() + timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{out[0], POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    result.output.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  ExitInfo info = wait_exit(pid, std::chrono::seconds(5));
  result.status = info.exited ? info.status : -1;
  return result;
}

namespace {

struct ProcStat {
  char state = 0;
  pid_t ppid = 0;
};

// The state letter and parent pid from /proc/PID/stat; nullopt when the process is gone. Reading
// races with the process exiting: libstdc++ throws on a read error after a successful open, so
// every reader of /proc/PID/stat goes through this guard.
std::optional<ProcStat> read_proc_stat(const std::string& pid) {
  std::string text;
  try {
    std::ifstream stat("/proc/" + pid + "/stat");
    text.assign(std::istreambuf_iterator<char>(stat), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {
    return std::nullopt;
  }
  // Fields after the last ')' (the name may hold spaces): " state ppid ..."
  auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 1));
  ProcStat stat;
  if (!(rest >> stat.state >> stat.ppid)) return std::nullopt;
  return stat;
}

}  // namespace

ChildCount count_children(pid_t pid) {
  ChildCount count;
  DIR* proc = opendir("/proc");
  if (!proc) return count;
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    auto stat = read_proc_stat(e->d_name);
    if (stat && stat->ppid == pid) {
      ++count.total;
      count.pids.push_back(static_cast<pid_t>(std::atoi(e->d_name)));
      if (stat->state == 'Z') ++count.zombies;
    }
  }
  closedir(proc);
  return count;
}

bool process_running(pid_t pid) {
  auto stat = read_proc_stat(std::to_string(pid));
  return stat && stat->state != 'Z';
}

bool wait_until_dead(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (process_running(pid)) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

ChildCount wait_for_children(pid_t pid, int expected, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  ChildCount count = count_children(pid);
  while ((count.total != expected || count.zombies > 0) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    count = count_children(pid);
  }
  return count;
}

}  // namespace netlab::test
