// Console: netlab-chat's side of the terminal. On a terminal GNU readline's callback interface
// edits the line (history: Up arrow, Ctrl-R) while the client's poll loop keeps serving the socket,
// and print() puts a message above the prompt and redraws the half-typed line as it was. Not on a
// terminal (pipes, scripts, tests) lines are read as they come and printed plainly, as before.
// One per process: readline's state is global. Call everything from the client's one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace netlab::chat {

class Console {
 public:
  explicit Console(bool tty);
  ~Console();  // stops line editing and gives the terminal back as it was
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // Asks one question before editing starts (the name); nullopt at end of input.
  std::optional<std::string> ask(const std::string& question);
  // Shows `prompt` and starts line editing (on a terminal; otherwise does nothing).
  void start(const std::string& prompt);
  // The standard input descriptor to poll for POLLIN.
  int fd() const;

  struct Input {
    std::vector<std::string> lines;  // complete lines, without their newlines
    bool ended = false;              // end of input (Ctrl-D, or the pipe closed)
  };
  // Call when fd() is readable: takes what is there without blocking on more.
  Input read();
  // Prints one line (without its newline) above the prompt and the line being typed.
  void print(const std::string& line);
  // The terminal was resized (SIGWINCH): readline redraws for the new width.
  void resized();

 private:
  static void on_line(char* line);  // readline's callback: queues the line for read()

  bool tty_;
  bool editing_ = false;
  std::string partial_;  // not on a terminal: bytes of a line not yet complete
};

}  // namespace netlab::chat
