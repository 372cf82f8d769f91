// LineReader: where netlab-ftp's interactive commands come from. On a terminal GNU readline edits
// the line and keeps a history (Up arrow, Ctrl-R); otherwise (pipes, scripts, tests) lines are read
// plainly and the prompt is printed as before: readline fed from a pipe would echo every line and
// change what scripts see.
#pragma once

#include <optional>
#include <string>

namespace netlab::ftp {

class LineReader {
 public:
  explicit LineReader(std::string prompt);
  // The next line typed, without its newline; nullopt at end of input (Ctrl-D).
  std::optional<std::string> next();

 private:
  std::string prompt_;
  bool tty_;
};

}  // namespace netlab::ftp
