// netlab-chat: the client of the chat protocol (the notes' UDP chat room). Interactive on a
// terminal: asks for a name, then every line typed is a message and the room's messages appear as
// they arrive. Scripted otherwise: lines on standard input (or --send) are sent, everything
// received is printed, and it leaves after --wait once input ends.
//
// Usage:     netlab-chat 127.0.0.1:9000                       (asks for a name)
//            netlab-chat 127.0.0.1:9000 --name bot --send hi --wait 2s
//            printf 'hello\nbye\n' | netlab-chat 127.0.0.1:9000 --name bot
// Test with: netlab-server-iterative_udp --proto chat --listen 127.0.0.1:9000
// In the room: /who lists members, /quit leaves. When the server goes away (a send draws an ICMP
// port unreachable), it says so once and carries on; when the server answers again it says so and
// joins again under the same name. Exit status: 0 left normally, 1 refused by the server (name
// taken, bad name, room full), 2 bad usage, 3 no answer or network failure (also: the server was
// unreachable when the client left).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "core/net/address.hpp"
#include "core/net/error.hpp"
#include "core/net/fd.hpp"
#include "core/util/duration.hpp"

using namespace netlab;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kPingEvery = std::chrono::seconds(20);  // well inside the server's 60 s timeout

struct Chat {
  core::Fd sock;
  bool tty = false;

  bool unreachable = false;  // the server's port refused a datagram and nothing has come back since

  void send(const std::string& line) const { ::send(sock.get(), line.data(), line.size(), 0); }

  // Takes the socket's pending error (an ICMP error on a connected UDP socket), which clears it:
  // left pending, it keeps poll() returning at once and the loop would spin on a whole core.
  // Says the server is unreachable the first time only.
  void take_error(const std::string& server) {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(sock.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err == 0 || unreachable) return;
    unreachable = true;
    std::printf(tty ? "\r\033[K%s\n> " : "%s\n",
                ("! server " + server + " unreachable: " + core::errno_text(err) +
                 "; messages are lost until it answers again (/quit leaves)")
                    .c_str());
    std::fflush(stdout);
  }

  // Waits up to `timeout` for one datagram; "" on timeout.
  std::string receive(std::chrono::milliseconds timeout) const {
    pollfd p{sock.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
    char buf[65536];
    ssize_t n = ::recv(sock.get(), buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }

  // Prints a datagram from the server the way a person reads it, above the prompt.
  void show(const std::string& d) const {
    size_t sp = d.find(' ');
    std::string tag = d.substr(0, sp), text = sp == std::string::npos ? "" : d.substr(sp + 1);
    if (tag == "PONG") return;
    std::string line = tag == "MSG" || tag == "ADMIN" ? text : tag == "ERR" ? "! " + text : "* " + text;
    std::printf(tty ? "\r\033[K%s\n> " : "%s\n", line.c_str());
    std::fflush(stdout);
  }
};

// Sends JOIN until answered (UDP may lose it); returns the answer or "".
std::string join(const Chat& chat, const std::string& name) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    chat.send("JOIN " + name);
    auto deadline = Clock::now() + std::chrono::seconds(1);
    while (Clock::now() < deadline) {
      std::string d = chat.receive(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
      if (d.rfind("OK ", 0) == 0 || d.rfind("ERR ", 0) == 0) return d;
      if (!d.empty()) chat.show(d);
    }
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Client for the netlab chat room (UDP). On a terminal: interactive, /who and /quit. Otherwise: sends "
               "standard input's lines (or --send) and prints what arrives.\nExit status: 0 done, 1 refused by the "
               "server, 2 bad usage, 3 no answer or network failure.",
               "netlab-chat");
  std::string server, name, wait_text = "500ms";
  std::vector<std::string> sends;
  app.add_option("server", server, "Chat server address, HOST:PORT")->required();
  app.add_option("-n,--name", name, "Name in the room (asked for on a terminal when missing)");
  app.add_option("-s,--send", sends, "Message to send after joining (repeatable); standard input is then not read");
  app.add_option("-w,--wait", wait_text, "After the last message: how long to keep printing before leaving")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  Chat chat;
  chat.tty = ::isatty(STDIN_FILENO) && sends.empty();
  std::chrono::milliseconds wait{};
  try {
    wait = std::chrono::duration_cast<std::chrono::milliseconds>(core::parse_duration(wait_text, std::chrono::milliseconds(1)));
    core::Address addr = core::Address::parse(server);
    chat.sock.reset(::socket(addr.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!chat.sock || ::connect(chat.sock.get(), addr.sockaddr_ptr(), addr.length()) != 0) {
      throw std::runtime_error("cannot reach " + server + ": " + core::errno_text(errno));
    }
  } catch (const std::exception& e) {
    std::cerr << "netlab-chat: " << e.what() << "\n";
    return 2;
  }
  if (name.empty()) {
    if (!chat.tty) {
      std::cerr << "netlab-chat: --name is required when not on a terminal\n";
      return 2;
    }
    std::cout << "name: " << std::flush;
    if (!std::getline(std::cin, name)) return 2;
  }
  std::string answer = join(chat, name);
  if (answer.empty()) {
    std::cerr << "netlab-chat: no answer from " << server << "\n";
    return 3;
  }
  chat.show(answer);
  if (answer.rfind("ERR", 0) == 0) return 1;

  for (const auto& s : sends) chat.send("MSG " + s);
  bool input_open = sends.empty();
  auto leave_at = input_open ? Clock::time_point::max() : Clock::now() + wait;
  auto next_ping = Clock::now() + kPingEvery;
  std::string typed;
  while (Clock::now() < leave_at) {
    pollfd fds[2] = {{chat.sock.get(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    auto until = std::min(leave_at, next_ping);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    ::poll(fds, input_open ? 2 : 1, static_cast<int>(std::clamp<long long>(ms, 0, 1000)));
    if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) chat.take_error(server);
    if (fds[0].revents & POLLIN) {
      std::string d = chat.receive(std::chrono::milliseconds(0));
      if (!d.empty() && chat.unreachable) {
        // Back: a restarted server has forgotten the room, so join again under the same name.
        chat.unreachable = false;
        chat.show("INFO server " + server + " answers again");
        if (d.rfind("ERR join first", 0) == 0) {
          chat.send("JOIN " + name);
          continue;
        }
      }
      if (!d.empty()) chat.show(d);
    }
    if (input_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      char buf[4096];
      ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) {
        input_open = false;
        leave_at = Clock::now() + wait;
      } else {
        typed.append(buf, static_cast<size_t>(n));
      }
      size_t nl;
      while ((nl = typed.find('\n')) != std::string::npos) {
        std::string line = typed.substr(0, nl);
        typed.erase(0, nl + 1);
        if (line == "/quit") {
          input_open = false;
          leave_at = Clock::now();
          break;
        }
        if (!line.empty()) chat.send(line == "/who" ? "WHO" : "MSG " + line);
        if (chat.tty) std::printf("> "), std::fflush(stdout);
      }
    }
    if (Clock::now() >= next_ping) {
      chat.send("PING");
      next_ping = Clock::now() + kPingEvery;
    }
  }
  chat.send("LEAVE");
  if (chat.tty) std::printf("\r\033[K");
  return chat.unreachable ? 3 : 0;
}
