#include "servers/common/server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "core/net/socket.hpp"

namespace netlab::server {

ServerContext::ServerContext(const ModelInfo& info, ServerOptions options)
    : info_(info), options_(std::move(options)) {
  if (info_.transport == Transport::kTcp) {
    core::ListenOptions lo;
    lo.backlog = options_.backlog;
    // SO_REUSEPORT models bind their first listener without it, so a second server started on a
    // busy port fails like any other instead of silently sharing it; then the listener joins the
    // port's reuse group for the model's extra listeners (same user only, checked by the kernel).
    listener_ = core::listen_tcp(options_.listen, lo);
    if (info_.reuse_port) {
      int one = 1;
      ::setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    }
    sessions_ = proto::make_session_factory(options_.protocol);
  } else {
    listener_ = core::bind_udp(options_.listen, info_.reuse_port);
    make_datagram_service();  // fails now, not later, when the protocol has no datagram form
  }
  bound_ = core::Address::local_of(listener_.get());
}

std::unique_ptr<proto::DatagramService> ServerContext::make_datagram_service() const {
  return proto::make_datagram_service(options_.protocol);
}

core::Fd ServerContext::open_extra_listener(bool nonblocking) const {
  if (info_.transport == Transport::kUdp) {
    return core::bind_udp(bound_, true, nonblocking);
  }
  core::ListenOptions lo;
  lo.backlog = options_.backlog;
  lo.reuse_port = true;
  lo.nonblocking = nonblocking;
  return core::listen_tcp(bound_, lo);
}

void log(const ServerContext& ctx, std::string_view message) {
  std::string line = "netlab-server-";
  line += ctx.info().name;
  line += ": ";
  line += message;
  line += '\n';
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace netlab::server
