#include "tools/chat/console.hpp"

#include <unistd.h>

// readline.h uses FILE without including <cstdio>.
#include <cstdio>
#include <cstdlib>
#include <readline/history.h>
#include <readline/readline.h>

namespace netlab::chat {
namespace {

// readline's line callback is a plain function: it leaves its line here for read() to take.
// Lines are handled after rl_callback_read_char() returns, not inside the callback, so that a
// message printed while a line is handled (/nick waits for the server) finds readline's prompt
// drawn and print() redraws it once, not twice.
Console::Input* g_pending = nullptr;

void remember(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  const HIST_ENTRY* last = ::history_get(::history_base + ::history_length - 1);
  if (last == nullptr || line != last->line) ::add_history(line.c_str());
}

}  // namespace

Console::Console(bool tty) : tty_(tty) {}

Console::~Console() {
  if (!editing_) return;
  ::rl_clear_visible_line();  // the prompt goes: the shell's own comes next
  ::rl_callback_handler_remove();
}

std::optional<std::string> Console::ask(const std::string& question) {
  if (!tty_) {
    std::printf("%s", question.c_str());
    std::fflush(stdout);
    char buf[256];
    if (!std::fgets(buf, sizeof buf, stdin)) return std::nullopt;
    std::string line(buf);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }
  char* raw = ::readline(question.c_str());
  if (raw == nullptr) return std::nullopt;
  std::string line(raw);
  std::free(raw);
  return line;
}

void Console::start(const std::string& prompt) {
  if (!tty_) return;
  ::rl_callback_handler_install(prompt.c_str(), &Console::on_line);
  editing_ = true;
}

int Console::fd() const { return STDIN_FILENO; }

void Console::on_line(char* line) {
  if (g_pending == nullptr) {
    std::free(line);
    return;
  }
  if (line == nullptr) {
    g_pending->ended = true;
    // Without a handler readline would draw the prompt again after Ctrl-D.
    ::rl_callback_handler_remove();
    return;
  }
  remember(line);
  g_pending->lines.emplace_back(line);
  std::free(line);
}

Console::Input Console::read() {
  Input in;
  if (editing_) {
    g_pending = &in;
    ::rl_callback_read_char();  // one key (sequence) at most; poll() says when there is more
    g_pending = nullptr;
    if (in.ended) editing_ = false;
    return in;
  }
  char buf[4096];
  ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
  if (n <= 0) {
    in.ended = true;
    return in;
  }
  partial_.append(buf, static_cast<size_t>(n));
  size_t nl;
  while ((nl = partial_.find('\n')) != std::string::npos) {
    in.lines.push_back(partial_.substr(0, nl));
    partial_.erase(0, nl + 1);
  }
  return in;
}

void Console::print(const std::string& line) {
  if (!editing_) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    return;
  }
  // The usual dance: clear the prompt and the half-typed line, print, draw both again. readline
  // keeps the line in its buffer meanwhile, so nothing typed is lost.
  ::rl_clear_visible_line();
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  ::rl_on_new_line();
  ::rl_redisplay();
}

void Console::resized() {
  if (editing_) ::rl_resize_terminal();
}

}  // namespace netlab::chat
