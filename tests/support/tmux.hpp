// Tmux: a private tmux server for one test, so the test types into a real terminal and reads the
// screen as a person would (readline, prompts, redraws). Each instance has its own socket
// (`tmux -L netlab-test-<pid>-<n>`), ignores the user's configuration, and is killed with all its
// sessions by the destructor, also when the test fails. Every wait is bounded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace netlab::test {

class Tmux {
 public:
  // False when the tmux binary is missing: tests GTEST_SKIP with that reason.
  static bool available();

  Tmux();
  ~Tmux();
  Tmux(const Tmux&) = delete;
  Tmux& operator=(const Tmux&) = delete;

  // Runs `command` (through /bin/sh; start it with `exec` so the pane's pid is the program's) in a
  // new detached session `name`, 100 columns by 30 rows. The pane stays when the command exits,
  // so its last screen and exit status can be read. Throws when tmux refuses.
  void start(const std::string& name, const std::string& command);
  // Types `text` literally, without Enter.
  void type(const std::string& name, const std::string& text);
  // Presses keys by tmux's names: "Enter", "Up", "C-r", "C-c".
  void press(const std::string& name, const std::vector<std::string>& keys);
  // Types `text`, then Enter.
  void line(const std::string& name, const std::string& text);
  // The pane's text, scrollback included, wrapped lines joined, trailing blanks and empty lines
  // at the end removed.
  std::string screen(const std::string& name);
  // The last line of screen(): the prompt and what is being typed.
  std::string last_line(const std::string& name);
  // Polls the screen until `text` appears at least `count` times; false after `timeout`.
  bool wait_for(const std::string& name, const std::string& text, int count = 1,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The pane's process (the program, when started with exec).
  pid_t pid(const std::string& name);
  // Waits until the pane's program has exited; its exit status, or nullopt after `timeout`.
  std::optional<int> exit_status(const std::string& name, std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  std::string run(std::vector<std::string> args, bool check = true);

  std::string socket_;       // the -L name
  std::string socket_path_;  // where the server listens, once started
};

// How often `needle` occurs in `text`.
int occurrences(const std::string& text, const std::string& needle);

}  // namespace netlab::test
