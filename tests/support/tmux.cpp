#include "tests/support/tmux.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

constexpr auto kPollEvery = std::chrono::milliseconds(50);

std::atomic<int> g_instances{0};

// The tests' child processes start with execv, which does not search PATH: find tmux once.
const std::string& tmux_path() {
  static const std::string path = [] {
    const char* dirs = std::getenv("PATH");
    std::string all = dirs != nullptr ? dirs : "/usr/bin:/bin";
    for (size_t at = 0; at <= all.size();) {
      size_t colon = std::min(all.find(':', at), all.size());
      std::string candidate = all.substr(at, colon - at) + "/tmux";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      at = colon + 1;
    }
    return std::string();
  }();
  return path;
}

std::string trim_end(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  return text;
}

// The exit status of `pid` if it is a zombie (exited, not yet reaped), from /proc/PID/stat's
// exit_code field (the 52nd, Linux 3.5; in waitpid's encoding).
std::optional<int> zombie_exit_status(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(paren + 2));  // field 3 (state) onwards
  std::string field;
  std::vector<std::string> f;
  while (fields >> field) f.push_back(field);
  if (f.size() < 50 || f[0] != "Z") return std::nullopt;
  int code = std::stoi(f[49]);  // field 52
  if (!WIFEXITED(code)) return std::nullopt;
  return WEXITSTATUS(code);
}

}  // namespace

bool Tmux::available() { return !tmux_path().empty(); }

Tmux::Tmux() : socket_("netlab-test-" + std::to_string(::getpid()) + "-" + std::to_string(g_instances++)) {}

Tmux::~Tmux() {
  run({"kill-server"}, false);
  if (!socket_path_.empty()) ::unlink(socket_path_.c_str());  // tmux leaves its socket file behind
}

std::string Tmux::run(std::vector<std::string> args, bool check) {
  // -f /dev/null: the user's ~/.tmux.conf must not change what the test sees.
  args.insert(args.begin(), {tmux_path(), "-L", socket_, "-f", "/dev/null"});
  CommandResult r = run_command(args, "", std::chrono::seconds(5));
  if (check && r.status != 0) throw std::runtime_error("tmux " + args.at(5) + " failed: " + r.output);
  return r.output;
}

void Tmux::start(const std::string& name, const std::string& command) {
  // remain-on-exit is set before the session exists, so even a program that exits at once leaves
  // its pane (and exit status) behind; the options and the session go in one tmux command.
  run({"set-option", "-g", "remain-on-exit", "on", ";", "set-option", "-g", "default-shell", "/bin/sh", ";",
       "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command});
  if (socket_path_.empty()) socket_path_ = trim_end(run({"display-message", "-p", "-t", name, "#{socket_path}"}));
}

void Tmux::type(const std::string& name, const std::string& text) { run({"send-keys", "-t", name, "-l", text}); }

void Tmux::press(const std::string& name, const std::vector<std::string>& keys) {
  std::vector<std::string> args{"send-keys", "-t", name};
  args.insert(args.end(), keys.begin(), keys.end());
  run(args);
}

void Tmux::line(const std::string& name, const std::string& text) {
  type(name, text);
  press(name, {"Enter"});
}

std::string Tmux::screen(const std::string& name) {
  std::string raw = run({"capture-pane", "-p", "-J", "-S", "-", "-t", name});
  std::string out, line;
  for (char c : raw) {
    if (c != '\n') {
      line += c;
      continue;
    }
    out += trim_end(line) + "\n";
    line.clear();
  }
  out += trim_end(line);
  return trim_end(out);
}

std::string Tmux::last_line(const std::string& name) {
  std::string s = screen(name);
  size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

bool Tmux::wait_for(const std::string& name, const std::string& text, int count, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (occurrences(screen(name), text) >= count) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollEvery);
  }
}

pid_t Tmux::pid(const std::string& name) {
  return static_cast<pid_t>(std::stol(run({"display-message", "-p", "-t", name, "#{pane_pid}"})));
}

std::optional<int> Tmux::exit_status(const std::string& name, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  const pid_t program = pid(name);
  for (;;) {
    // Empty until tmux has reaped the program, even once the pane is marked dead; and tmux 3.3a
    // sometimes leaves it a zombie for seconds (seen about once in eight quick exits), so a zombie's
    // status is read where the kernel keeps it.
    std::string status = trim_end(run({"display-message", "-p", "-t", name, "#{pane_dead_status}"}));
    if (!status.empty()) return std::stoi(status);
    if (auto zombie = zombie_exit_status(program)) return zombie;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollEvery);
  }
}

int occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

}  // namespace netlab::test
