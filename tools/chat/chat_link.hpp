// ChatLink: netlab-chat's connected UDP socket to the chat server. Not thread-safe; one per client.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/net/address.hpp"
#include "core/net/fd.hpp"

namespace netlab::chat {

class ChatLink {
 public:
  // Throws std::runtime_error when no socket can be opened or connected.
  explicit ChatLink(const core::Address& server);

  int fd() const { return sock_.get(); }
  // Fire and forget: UDP, and the server's ICMP refusal arrives later as a socket error.
  void send(const std::string& datagram) const;
  // Waits up to `timeout` for one datagram; "" on timeout.
  std::string receive(std::chrono::milliseconds timeout) const;
  // Takes the socket's pending error (an ICMP error on a connected UDP socket), which clears it:
  // left pending, it keeps poll() returning at once and the client would spin on a whole core.
  // Returns the errno, 0 when none was pending.
  int take_error() const;
  // Sends JOIN until answered (UDP may lose it, so up to three times, a second apart); returns
  // the "OK ..." or "ERR ..." answer, or "" when none came. Other datagrams go to `other`.
  std::string join(const std::string& name, const std::function<void(const std::string&)>& other) const;

 private:
  core::Fd sock_;
};

}  // namespace netlab::chat
