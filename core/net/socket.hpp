// Socket set-up helpers: listeners, clients and the options that matter for measurement.
// They throw NetError with one clear line; none of them is meant for a hot path.
#pragma once

#include "core/net/address.hpp"
#include "core/net/fd.hpp"

namespace netlab::core {

struct ListenOptions {
  int backlog = 4096;       // capped by net.core.somaxconn (4096 on these machines)
  bool reuse_port = false;  // SO_REUSEPORT: several listeners share one port, the kernel spreads load
  bool nonblocking = false;
};

// socket + SO_REUSEADDR (+ SO_REUSEPORT) + bind + listen. Port 0 picks a free port:
// read it back with Address::local_of.
Fd listen_tcp(const Address& addr, const ListenOptions& options = {});
// socket + bind for a UDP server.
Fd bind_udp(const Address& addr, bool reuse_port = false, bool nonblocking = false);
// Blocking connect with TCP_NODELAY set.
Fd connect_tcp(const Address& addr);

void set_nonblocking(int fd, bool on = true);
// TCP_NODELAY: echo-style request/response must not wait on Nagle + delayed ACK (a 40 ms stall).
void set_nodelay(int fd);
// Socket buffer sizes; 0 leaves the kernel default.
void set_buffer_sizes(int fd, int send_bytes, int recv_bytes);

}  // namespace netlab::core
