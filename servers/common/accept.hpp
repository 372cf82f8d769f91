// Accepting connections in the blocking models, with the classic pitfalls handled once:
// EINTR (signals, SIGCHLD), ECONNABORTED (the client left the backlog), and EMFILE/ENFILE (out of
// descriptors: the pending connection cannot even be refused, so back off instead of spinning at
// 100% CPU, and say so once per episode).
#pragma once

#include <functional>

#include "core/net/fd.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

// Blocks until a connection arrives (TCP_NODELAY set) or a stop is requested or the listener is
// shut down (then returns an invalid Fd). `on_interrupt` runs after each EINTR (fork reaps there).
core::Fd accept_blocking(const ServerContext& ctx, const std::function<void()>& on_interrupt = {});

// Sends the protocol's busy reply to a connection that will not be served, then closes it.
void refuse(const ServerContext& ctx, core::Fd conn, std::string_view reason);

}  // namespace netlab::server
