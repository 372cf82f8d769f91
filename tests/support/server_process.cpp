#include "tests/support/server_process.hpp"

#include <dirent.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace netlab::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> with_binary(const std::string& binary, std::vector<std::string> args) {
  args.insert(args.begin(), bin_path(binary));
  return args;
}

process::SpawnOptions server_options(bool pipe_stdin) {
  process::SpawnOptions o;
  o.stdin_pipe = pipe_stdin;
  o.stdout_pipe = true;
  o.stderr_pipe = true;
  return o;
}

ExitInfo to_exit_info(const std::optional<process::Exit>& exit, std::chrono::milliseconds took) {
  ExitInfo info;
  if (exit) {
    info.exited = exit->exited;
    info.status = exit->status;
    info.signal = exit->signal;
    info.wait_errno = exit->wait_errno;
  }
  info.took = took;
  return info;
}

// Waits for the exit, returning at once when waitpid fails; `took` is the time waited.
ExitInfo wait_exit(process::ChildProcess& child, std::chrono::milliseconds timeout) {
  auto start = Clock::now();
  auto exit = child.wait(timeout);
  auto took = exit ? std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start) : timeout;
  return to_exit_info(exit, took);
}

}  // namespace

std::string ExitInfo::describe() const {
  process::Exit e;
  e.exited = exited, e.status = status, e.signal = signal, e.wait_errno = wait_errno;
  return e.describe();
}

std::string bin_path(const std::string& name) {
  return name.starts_with("/") ? name : std::string(NETLAB_BIN_DIR) + "/" + name;
}

ServerProcess::ServerProcess(const std::string& binary, std::vector<std::string> args,
                             std::chrono::milliseconds timeout, bool pipe_stdin)
    : process_(with_binary(binary, std::move(args)), server_options(pipe_stdin)) {
  auto line = process_.read_line(timeout);
  if (!line && process_.stdout_closed()) {
    process_.wait(std::chrono::milliseconds(500));
    throw std::runtime_error(binary + " exited before it was ready; stderr: " + stderr_text());
  }
  if (!line) throw std::runtime_error(binary + " printed no ready line in time; stderr: " + stderr_text());
  if (!line->starts_with("READY ")) {
    throw std::runtime_error(binary + " printed '" + *line + "' instead of a ready line");
  }
  address_ = core::Address::parse(line->substr(6));
  if (address_.host() == "0.0.0.0") {
    address_ = core::Address::parse("127.0.0.1", address_.port());
  }
}

ServerProcess::~ServerProcess() = default;  // ChildProcess SIGKILLs and reaps what still runs

bool ServerProcess::write_stdin(const std::string& text) { return process_.write_stdin(text); }

void ServerProcess::close_stdin() { process_.close_stdin(); }

ExitInfo ServerProcess::stop(int sig, std::chrono::milliseconds timeout) {
  if (!process_.poll_exit() && sig != 0) process_.signal(sig);
  return wait_exit(process_, timeout);
}

std::string ServerProcess::stderr_text() { return process_.stderr_text(); }

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text,
                          std::chrono::milliseconds timeout) {
  process::SpawnOptions o;
  o.stdin_pipe = true;
  o.stdout_pipe = true;
  o.stderr_to_stdout = true;
  process::ChildProcess child(argv, o);
  signal(SIGPIPE, SIG_IGN);
  child.write_stdin(stdin_text);
  child.close_stdin();
  CommandResult result;
  if (!child.read_to_end(result.output, timeout)) child.signal(SIGKILL);
  ExitInfo info = wait_exit(child, std::chrono::seconds(5));
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

int accept_backlog(uint16_t port) {
  int found = -1;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      // "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000002 ...": local address:port (hex),
      // remote, state (0A = LISTEN), tx_queue:rx_queue (hex).
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues;
      if (!(fields >> slot >> local >> remote >> state >> queues) || state != "0A") continue;
      auto colon = local.rfind(':');
      if (colon == std::string::npos || std::stoul(local.substr(colon + 1), nullptr, 16) != port) continue;
      found = std::max(found, 0) + static_cast<int>(std::stoul(queues.substr(queues.find(':') + 1), nullptr, 16));
    }
  }
  return found;
}

bool wait_until_accepted(uint16_t port, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (accept_backlog(port) > 0) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace netlab::test
