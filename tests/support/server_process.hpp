// ServerProcess: starts a real netlab binary for a test, reads its "READY <address>" line (no
// guessing ports, no sleeps), and stops it with a signal, reporting how it exited.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/net/address.hpp"
#include "core/process/child_process.hpp"

namespace netlab::test {

// Where the build put the binaries.
std::string bin_path(const std::string& name);

struct ExitInfo {
  bool exited = false;  // false: still running after the timeout, or killed by a signal
  int status = -1;      // exit status when exited
  int signal = 0;       // terminating signal, when killed
  int wait_errno = 0;   // waitpid failed (e.g. ECHILD): not exited, yet no longer ours to wait for
  std::chrono::milliseconds took{0};
  std::string describe() const;  // "exit 0", "killed by SIGTERM", "waitpid failed: ...", "still running"
};

class ServerProcess {
 public:
  // Starts `binary` with `args` and waits up to `timeout` for its ready line; throws on failure
  // with whatever the process printed.
  ServerProcess(const std::string& binary, std::vector<std::string> args,
                std::chrono::milliseconds timeout = std::chrono::seconds(10), bool pipe_stdin = false);
  ~ServerProcess();  // SIGKILLs a process still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  pid_t pid() const { return process_.pid(); }
  const core::Address& address() const { return address_; }
  // Sends `sig` (0: none) and waits up to `timeout` for the exit; returns at once when waitpid fails.
  ExitInfo stop(int sig = 15, std::chrono::milliseconds timeout = std::chrono::seconds(3));
  // What the process wrote to stderr so far (read when it exits, or on demand).
  std::string stderr_text();
  // With pipe_stdin: writes to the process's standard input; close_stdin() ends it.
  bool write_stdin(const std::string& text);
  void close_stdin();

 private:
  process::ChildProcess process_;
  core::Address address_;
};

// Runs a command to completion (no shell), returning its exit status and combined output.
struct CommandResult {
  int status = -1;
  std::string output;
};
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Children of `pid` from /proc, and how many of them are zombies.
struct ChildCount {
  int total = 0;
  int zombies = 0;
  std::vector<pid_t> pids;
};
ChildCount count_children(pid_t pid);
// True while `pid` exists and is not a zombie (an orphan's zombie may linger if init does not reap).
bool process_running(pid_t pid);
// Polls until `pid` has `expected` children and none of them is a zombie (a dead child counts
// until it is reaped, so a master that is still reaping or restarting is not yet settled), or the
// timeout passes; returns the last count.
ChildCount wait_for_children(pid_t pid, int expected, std::chrono::milliseconds timeout = std::chrono::seconds(3));
// Connections waiting in the accept queue of the TCP socket listening on `port` (from
// /proc/net/tcp and tcp6: a listener's rx_queue is its accept backlog); -1 when none listens.
int accept_backlog(uint16_t port);
// Polls until no connection waits in the accept queue on `port` (the server took them all);
// false when one still waits after the timeout.
bool wait_until_accepted(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(3));
// Polls until `pid` is gone or a zombie; false when it still runs after the timeout.
bool wait_until_dead(pid_t pid, std::chrono::milliseconds timeout = std::chrono::seconds(3));

}  // namespace netlab::test
