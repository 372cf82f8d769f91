// ChildProcess: a program the runner starts (a server or the load generator), optionally in its
// own process group and pinned to a CPU, with its output sent to files or passed through.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace netlab::run {

struct SpawnOptions {
  bool own_group = false;        // setpgid(0, 0): the whole group can be measured and signalled
  int cpu = -1;                  // pin to this CPU (sched_setaffinity); -1 leaves it free
  std::string stdout_path;       // empty: inherit the runner's stdout
  std::string stderr_path;       // empty: inherit the runner's stderr
  bool stdout_pipe = false;      // read stdout through read_line() (for the ready line)
};

struct Exit {
  bool exited = false;  // normal exit (status valid) rather than a signal
  int status = -1;
  int signal = 0;
  std::string describe() const;  // "exit 0", "killed by SIGSEGV"
};

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& options);
  ~ChildProcess();  // kills (SIGKILL, whole group if it has one) what is still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // One line of stdout (stdout_pipe), without the newline; nullopt on EOF or timeout.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Non-blocking check; the exit once it happened.
  std::optional<Exit> poll_exit();
  // Waits up to `timeout`; nullopt if still running.
  std::optional<Exit> wait(std::chrono::milliseconds timeout);
  // Sends `sig` to the process (or to its whole group with `group`).
  void signal(int sig, bool group = false);
  // SIGTERM, then SIGKILL to the group after `grace`; returns the exit and whether SIGKILL was needed.
  std::pair<Exit, bool> stop(std::chrono::milliseconds grace);

 private:
  pid_t pid_ = -1;
  bool own_group_ = false;
  int stdout_fd_ = -1;
  std::string buffered_;
  std::optional<Exit> exit_;
};

}  // namespace netlab::run
