// ChildProcess: one program started by fork/exec, the one way netlab's tools and tests run
// another binary (the runner's servers, load generator and gnuplot; the tests' servers and
// commands). It can run in its own process group, pinned to a CPU, with each standard stream
// inherited, sent to a file or connected by a pipe; it reads lines, signals, and decodes the exit.
//
// Thread contract: one thread uses an object. The child starts with SIGINT, SIGTERM and SIGPIPE at
// their defaults whatever the parent did with them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netlab::process {

struct SpawnOptions {
  bool own_group = false;         // setpgid(0, 0): the whole group can be measured and signalled
  int cpu = -1;                   // pin to this CPU (sched_setaffinity); -1 leaves it free
  std::string stdout_path;        // a file for stdout (truncated); empty: inherit (or the pipe)
  std::string stderr_path;        // a file for stderr (truncated); empty: inherit (or the pipe)
  bool stdin_pipe = false;        // write_stdin() / close_stdin()
  bool stdout_pipe = false;       // read_line() / read_to_end()
  bool stderr_pipe = false;       // stderr_text()
  bool stderr_to_stdout = false;  // 2>&1, after stdout is set up
};

// How a child ended: an exit status, a signal, or a failed waitpid (the child is then no longer
// ours to wait for: ECHILD when something else reaped it).
struct Exit {
  bool exited = false;  // normal exit (status valid) rather than a signal
  int status = -1;
  int signal = 0;
  int wait_errno = 0;             // errno of a waitpid that failed, else 0
  std::string describe() const;   // "exit 0", "killed by SIGSEGV", "waitpid failed: No child processes"
};

// Decodes a waitpid status.
Exit decode_status(int status);

class ChildProcess {
 public:
  // Starts argv[0] (a path; no PATH search) with `argv`; throws std::runtime_error when a pipe or
  // fork fails. An exec failure is the child's exit 127, with a line on its stderr.
  ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& options);
  ~ChildProcess();  // kills (SIGKILL, the whole group if it has one) what is still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // One line of stdout (stdout_pipe), without the newline; nullopt on EOF or timeout
  // (stdout_closed() tells which).
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Appends what stdout still holds to `out` until EOF; false when the timeout came first.
  bool read_to_end(std::string& out, std::chrono::milliseconds timeout);
  bool stdout_closed() const { return stdout_eof_; }
  // What the child wrote to stderr so far (stderr_pipe; never blocks).
  std::string stderr_text();
  // With stdin_pipe: writes all of `text` to the child's stdin; close_stdin() sends EOF.
  bool write_stdin(const std::string& text);
  void close_stdin();

  // Non-blocking check; the exit once it happened (or waitpid failed, retrying on EINTR only).
  std::optional<Exit> poll_exit();
  // Waits up to `timeout`; nullopt if still running.
  std::optional<Exit> wait(std::chrono::milliseconds timeout);
  // Sends `sig` to the process (or to its whole group with `group`); nothing once it was reaped,
  // except to a group, which may outlive its leader.
  void signal(int sig, bool group = false);
  // SIGTERM, then SIGKILL to the group after `grace`; returns the exit and whether SIGKILL was needed.
  std::pair<Exit, bool> stop(std::chrono::milliseconds grace);

 private:
  pid_t pid_ = -1;
  bool own_group_ = false;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  bool stdout_eof_ = false;
  std::string buffered_;
  std::string stderr_;
  std::optional<Exit> exit_;
};

}  // namespace netlab::process
