#include "tools/ftp/line_reader.hpp"

#include <unistd.h>

// readline.h uses FILE without including <cstdio>.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <readline/history.h>
#include <readline/readline.h>

namespace netlab::ftp {

LineReader::LineReader(std::string prompt) : prompt_(std::move(prompt)), tty_(::isatty(STDIN_FILENO) != 0) {}

std::optional<std::string> LineReader::next() {
  if (!tty_) {
    std::cout << prompt_ << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    return line;
  }
  char* raw = ::readline(prompt_.c_str());
  if (raw == nullptr) return std::nullopt;
  std::string line(raw);
  std::free(raw);
  // Blank lines and a repeat of the last entry would only make Up walk further back.
  const HIST_ENTRY* last = ::history_get(::history_base + ::history_length - 1);
  if (line.find_first_not_of(" \t") != std::string::npos && (last == nullptr || line != last->line)) {
    ::add_history(line.c_str());
  }
  return line;
}

}  // namespace netlab::ftp
