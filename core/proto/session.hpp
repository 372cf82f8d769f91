// The protocol side of a server: pure byte-in/byte-out state machines, no sockets or threads.
//
// Stream protocols (echo, http, file) get one Session per TCP connection. Datagram protocols (echo
// over UDP, chat) get one DatagramService per socket that sees every peer. Models call these from
// blocking loops, readiness events or completions alike: that is what keeps a comparison between
// models about the model only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/address.hpp"
#include "core/proto/outbox.hpp"

namespace netlab::proto {

class Session {
 public:
  virtual ~Session() = default;
  // Bytes just received, in order. Replies go to `out`; after out.wants_close() the model sends
  // what is queued, closes, and calls nothing more. A session whose replies can outgrow its input
  // (a file per request) stops before a request while out.full(), keeps the rest and sets
  // out.set_input_held(true); the model calls on_bytes({}) once the outbox is no longer full
  // (Outbox's flow control).
  virtual void on_bytes(std::string_view data, Outbox& out) = 0;
  // The peer finished sending (read returned 0). Default: close once the outbox is drained.
  virtual void on_peer_closed(Outbox& out) { out.close_after_send(); }
  // True while the start of a request (an HTTP head, an echo line, a file command frame) has
  // arrived and its end has not: models cut such a request off after --header-timeout.
  virtual bool partial_request() const { return false; }
  // That partial request ran out of time: queue the protocol's reply to it, if it has one (HTTP:
  // 408). The model sends what is queued and closes; it calls nothing more.
  virtual void on_request_timeout(Outbox& /*out*/) {}
};

// Datagrams to send, each to one peer.
struct Datagram {
  core::Address to;
  std::string bytes;
};

class DatagramOut {
 public:
  void send(const core::Address& to, std::string_view bytes) { items_.push_back({to, std::string(bytes)}); }
  std::vector<Datagram>& items() { return items_; }
  void clear() { items_.clear(); }

 private:
  std::vector<Datagram> items_;
};

class DatagramService {
 public:
  virtual ~DatagramService() = default;
  virtual void on_datagram(const core::Address& from, std::string_view data, DatagramOut& out) = 0;
  // Called about once a second by the model, for timeouts (chat drops silent members).
  virtual void on_tick(DatagramOut&) {}
  // One line the server's operator typed on its standard input (see servers/common/admin_input.hpp),
  // newline removed. Models call it only when the protocol takes notices
  // (takes_admin_notices(protocol)). Default: ignored.
  virtual void on_admin(std::string_view /*text*/, DatagramOut&) {}
};

using SessionFactory = std::function<std::unique_ptr<Session>()>;

}  // namespace netlab::proto
