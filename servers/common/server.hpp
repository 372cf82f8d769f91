// What every model binary shares: its options, its listener, its protocol, and the one entry point
// each model file implements.
//
// Every servers/models/<model>.cpp defines exactly two things:
//   extern const ModelInfo kModelInfo;   // name, transport, one-line summary, defaults
//   int serve(ServerContext& ctx);       // runs until a stop is requested; returns the exit status
// servers/main.cpp parses the command line, opens the listener, prints the ready line and calls serve.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/net/address.hpp"
#include "core/net/fd.hpp"
#include "core/proto/protocol.hpp"

namespace netlab::server {

enum class Transport { kTcp, kUdp };

// What a model is and which options it uses, so main.cpp never tests a model's name. Define it with
// designated initializers (.name = "epoll", ...), so every field says what it is; a trait left out
// is false.
struct ModelInfo {
  std::string_view name;       // "thread_pool": the binary is netlab-server-thread_pool
  Transport transport;         // what the listener is
  std::string_view summary;    // one line for --help
  int default_workers = 0;     // 0: the model has no workers
  bool reuse_port = false;     // open the listener with SO_REUSEPORT (models that open one per worker)
  bool uses_queue = false;     // a bounded hand-off queue of accepted connections (--queue)
  bool epoll_trigger = false;  // epoll loops that take --trigger level|edge
};

struct ServerOptions {
  core::Address listen;
  proto::ProtocolConfig protocol;
  int workers = 0;      // threads or processes, where the model has them
  int max_conns = 0;    // connection cap, where the model has one
  int queue = 0;        // bounded hand-off queue (thread_pool)
  int backlog = 4096;
  bool edge_triggered = false;                      // --trigger edge (epoll-based models)
  std::chrono::milliseconds send_timeout{10000};    // close a connection whose output stalled this long
  std::chrono::milliseconds header_timeout{10000};  // a request begun must complete this soon
  std::chrono::milliseconds idle_timeout{60000};    // keep-alive: a new request must start this soon
};

class ServerContext {
 public:
  ServerContext(const ModelInfo& info, ServerOptions options);

  const ModelInfo& info() const { return info_; }
  const ServerOptions& options() const { return options_; }
  // The bound listening socket (TCP) or the bound socket (UDP); blocking.
  int listener() const { return listener_.get(); }
  const core::Address& bound() const { return bound_; }
  // Per-connection protocol sessions (stream models).
  const proto::SessionFactory& sessions() const { return sessions_; }
  // A new datagram service (UDP models; one per socket).
  std::unique_ptr<proto::DatagramService> make_datagram_service() const;
  // Another listener on the bound address, for models with one listener per worker
  // (requires info().reuse_port).
  core::Fd open_extra_listener(bool nonblocking) const;

 private:
  const ModelInfo& info_;
  ServerOptions options_;
  core::Fd listener_;
  core::Address bound_;
  proto::SessionFactory sessions_;
};

// "netlab-server-<model>: message" on stderr, in one write so lines from workers never interleave.
void log(const ServerContext& ctx, std::string_view message);

}  // namespace netlab::server

// Defined by the model file linked into each binary.
extern const netlab::server::ModelInfo kModelInfo;
int serve(netlab::server::ServerContext& ctx);
