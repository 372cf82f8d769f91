#include "tools/chat/chat_link.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <stdexcept>

#include "core/net/error.hpp"

namespace netlab::chat {

using Clock = std::chrono::steady_clock;

ChatLink::ChatLink(const core::Address& server) : sock_(::socket(server.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
  if (!sock_ || ::connect(sock_.get(), server.sockaddr_ptr(), server.length()) != 0) {
    throw std::runtime_error("cannot reach " + server.to_string() + ": " + core::errno_text(errno));
  }
}

void ChatLink::send(const std::string& datagram) const { ::send(sock_.get(), datagram.data(), datagram.size(), 0); }

std::string ChatLink::receive(std::chrono::milliseconds timeout) const {
  pollfd p{sock_.get(), POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
  char buf[65536];
  ssize_t n = ::recv(sock_.get(), buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

int ChatLink::take_error() const {
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(sock_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  return err;
}

std::string ChatLink::join(const std::string& name, const std::function<void(const std::string&)>& other) const {
  for (int attempt = 0; attempt < 3; ++attempt) {
    send("JOIN " + name);
    auto deadline = Clock::now() + std::chrono::seconds(1);
    while (Clock::now() < deadline) {
      std::string d = receive(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
      if (d.rfind("OK ", 0) == 0 || d.rfind("ERR ", 0) == 0) return d;
      if (!d.empty()) other(d);
    }
  }
  return {};
}

}  // namespace netlab::chat
