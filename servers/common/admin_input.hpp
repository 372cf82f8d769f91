// AdminInput: the server operator's notices, typed on the server's standard input one per line,
// for datagram protocols that broadcast them (chat; see proto::takes_admin_notices). Owned by
// DatagramHousekeeping, which the UDP models watch beside their socket.
//
// Thread contract: owned and used by the one thread that runs the DatagramService.
#pragma once

#include <string>

#include "core/proto/session.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

class AdminInput {
 public:
  // Active only when the protocol takes notices; then SIGTTIN is ignored so a server started in
  // the background of a terminal gets EIO (and stops reading) instead of being stopped.
  explicit AdminInput(const ServerContext& ctx);

  bool active() const { return fd_ >= 0; }
  // Standard input while active, -1 otherwise (and after end of input).
  int fd() const { return fd_; }
  // One read (poll said readable, so it does not block); each complete line goes to
  // service.on_admin. End of input or an error deactivates it.
  void deliver(proto::DatagramService& service, proto::DatagramOut& out);

 private:
  int fd_ = -1;
  std::string partial_;
};

}  // namespace netlab::server
