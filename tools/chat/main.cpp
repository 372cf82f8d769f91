// netlab-chat: the client of the chat protocol (the notes' UDP chat room). Interactive on a
// terminal: asks for a name, then every line typed is a message and the room's messages appear
// above the line being typed (readline: editing, history with Up arrow and Ctrl-R). Scripted
// otherwise: lines on standard input (or --send) are sent, everything received is printed, and it
// leaves after --wait once input ends.
//
// Usage:     netlab-chat 127.0.0.1:9000                       (asks for a name)
//            netlab-chat 127.0.0.1:9000 --name bot --send hi --wait 2s
//            printf 'hello\nbye\n' | netlab-chat 127.0.0.1:9000 --name bot
// Test with: netlab-server-iterative_udp --proto chat --listen 127.0.0.1:9000
// In the room: /who lists members, /nick NAME renames, /help lists the commands, /quit leaves; a
// command is the client's own and never reaches the room. When the server goes away (a send
// draws an ICMP port unreachable), it says so once and carries on; when the server answers again
// it says so and joins again under the same name. Exit status: 0 left normally, 1 refused by the
// server (name taken, bad name, room full), 2 bad usage, 3 no answer or network failure (also: the
// server was unreachable when the client left).
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>

#include "core/net/address.hpp"
#include "core/net/error.hpp"
#include "core/util/command_line.hpp"
#include "core/util/duration.hpp"
#include "tools/chat/chat_link.hpp"
#include "tools/chat/chat_text.hpp"
#include "tools/chat/console.hpp"
#include "tools/chat/git_sha.hpp"  // generated: NETLAB_CHAT_GIT_SHA

using namespace netlab;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kPingEvery = std::chrono::seconds(20);  // well inside the server's 60 s timeout

// Set by signal handlers, read by the loop (poll returns EINTR): Ctrl-C leaves the room cleanly
// and gives the terminal back as readline found it.
volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_resized = 0;

void install_signals() {
  struct sigaction sa{};
  sa.sa_handler = [](int) { g_stop = 1; };
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
  sa.sa_handler = [](int) { g_resized = 1; };
  ::sigaction(SIGWINCH, &sa, nullptr);
}

struct Client {
  chat::ChatLink& link;
  chat::Console& console;
  std::string server;
  std::string name;
  bool unreachable = false;  // the server's port refused a datagram and nothing has come back since
  bool leaving = false;

  void show(const std::string& datagram) {
    std::string text = chat::shown_text(datagram);
    if (!text.empty()) console.print(text);
  }

  // /nick: LEAVE, then JOIN under the new name; when that is refused, JOIN again under the old one.
  void rename(const std::string& wanted) {
    if (wanted == name) return console.print("* you are " + name + " already");
    link.send("LEAVE");
    auto other = [this](const std::string& d) { show(d); };
    std::string answer = link.join(wanted, other);
    if (answer.rfind("OK", 0) == 0) {
      name = wanted;
      return show(answer);
    }
    std::string why = answer.empty() ? "no answer from " + server : answer.substr(4);  // after "ERR "
    std::string back = link.join(name, other);
    if (back.rfind("OK", 0) == 0) return console.print("! " + why + "; you stay " + name);
    console.print("! " + why + "; and joining again as " + name +
                  " failed: " + (back.empty() ? "no answer" : back.substr(4)) + " (/quit leaves)");
  }

  // One line typed (or --send): a message for the room, or one of the client's own commands.
  void typed(const std::string& line) {
    chat::Typed t = chat::parse_typed(line);
    switch (t.action) {
      case chat::Action::kNothing: break;
      case chat::Action::kMessage: link.send("MSG " + t.text); break;
      case chat::Action::kWho: link.send("WHO"); break;
      case chat::Action::kNick: rename(t.text); break;
      case chat::Action::kHelp: print_lines(chat::help_text()); break;
      case chat::Action::kQuit: leaving = true; break;
      case chat::Action::kRefuse: console.print("! " + t.text); break;
    }
  }

  void print_lines(const std::string& text) {
    for (size_t at = 0; at <= text.size();) {
      size_t nl = std::min(text.find('\n', at), text.size());
      console.print(text.substr(at, nl - at));
      at = nl + 1;
    }
  }

  void socket_error() {
    int err = link.take_error();
    if (err == 0 || unreachable) return;  // said once only
    unreachable = true;
    console.print("! server " + server + " unreachable: " + core::errno_text(err) +
                  "; messages are lost until it answers again (/quit leaves)");
  }

  void datagram() {
    std::string d = link.receive(std::chrono::milliseconds(0));
    if (d.empty()) return;
    if (unreachable) {
      // Back: a restarted server has forgotten the room, so join again under the same name.
      unreachable = false;
      show("INFO server " + server + " answers again");
      if (d.rfind("ERR join first", 0) == 0) return link.send("JOIN " + name);
    }
    show(d);
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Client for the netlab chat room (UDP). On a terminal: interactive with line editing and history; "
               "/who, /nick NAME, /help and /quit stay local. Otherwise: sends standard input's lines (or --send) and "
               "prints what arrives.\nExit status: 0 done, 1 refused by the server, 2 bad usage, 3 no answer or "
               "network failure.",
               "netlab-chat");
  std::string server, name, wait_text = "500ms";
  std::vector<std::string> sends;
  app.add_option("server", server, "Chat server address, HOST:PORT")->required();
  app.add_option("-n,--name", name, "Name in the room (asked for on a terminal when missing)");
  app.add_option("-s,--send", sends, "Message to send after joining (repeatable); standard input is then not read");
  app.add_option("-w,--wait", wait_text,
                 "After the last message: how long to keep printing before leaving (500ms, 2s: a unit is required)")
      ->capture_default_str();
  const std::string sha = NETLAB_CHAT_GIT_SHA;
  app.set_version_flag("--version",
                       std::string("netlab-chat ") + NETLAB_VERSION + " (git " + (sha.empty() ? "unknown" : sha) + ")",
                       "Print the version and git commit, then exit");
  std::chrono::milliseconds wait{};
  core::Address address;
  auto status = core::parse_command_line(app, argc, argv, "netlab-chat", [&] {
    try {
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(
          core::parse_duration(wait_text, core::BareNumber::kNeedsUnit));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("--wait: ") + e.what());
    }
    address = core::Address::parse(server);
  });
  if (status) return *status;
  const bool tty = ::isatty(STDIN_FILENO) && sends.empty();
  if (name.empty() && !tty) {
    std::cerr << "netlab-chat: --name is required when not on a terminal\n";
    return 2;
  }
  std::optional<chat::ChatLink> link;
  try {
    link.emplace(address);
  } catch (const std::exception& e) {
    std::cerr << "netlab-chat: " << e.what() << "\n";
    return 3;
  }
  chat::Console console(tty);
  if (name.empty()) {
    auto asked = console.ask("name: ");
    if (!asked) return 2;
    name = *asked;
  }
  Client client{*link, console, server, name};
  std::string answer = link->join(name, [&](const std::string& d) { client.show(d); });
  if (answer.empty()) {
    std::cerr << "netlab-chat: no answer from " << server << "\n";
    return 3;
  }
  client.show(answer);
  if (answer.rfind("ERR", 0) == 0) return 1;

  install_signals();
  console.start("> ");
  for (const auto& s : sends) client.typed(s);
  bool input_open = sends.empty();
  auto leave_at = input_open ? Clock::time_point::max() : Clock::now() + wait;
  auto next_ping = Clock::now() + kPingEvery;
  while (Clock::now() < leave_at && !client.leaving && !g_stop) {
    pollfd fds[2] = {{link->fd(), POLLIN, 0}, {console.fd(), POLLIN, 0}};
    auto until = std::min(leave_at, next_ping);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    ::poll(fds, input_open ? 2 : 1, static_cast<int>(std::clamp<long long>(ms, 0, 1000)));
    if (g_resized) {
      g_resized = 0;
      console.resized();
    }
    if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) client.socket_error();
    if (fds[0].revents & POLLIN) client.datagram();
    if (input_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      chat::Console::Input in = console.read();
      for (const auto& line : in.lines) {
        client.typed(line);
        if (client.leaving) break;
      }
      if (in.ended) {
        input_open = false;
        leave_at = Clock::now() + wait;
      }
    }
    if (Clock::now() >= next_ping) {
      link->send("PING");
      next_ping = Clock::now() + kPingEvery;
    }
  }
  link->send("LEAVE");
  return client.unreachable ? 3 : 0;
}
