// Serves one TCP connection to its end with blocking reads and writes: read, hand the bytes to the
// session, write what it queued, repeat. Every blocking model (iterative, fork, prefork, thread per
// connection, thread pool) runs connections through this, so they differ only in who calls it.
#pragma once

#include "core/proto/session.hpp"

namespace netlab::server {

// Returns when the peer closes, the session asks to close, an error occurs or a stop is requested.
// Does not close `fd`.
void serve_blocking_connection(int fd, proto::Session& session);

}  // namespace netlab::server
