// Serves one TCP connection to its end with blocking reads and writes: read, hand the bytes to the
// session, write what it queued, repeat. Every blocking model (iterative, fork, prefork, thread per
// connection, thread pool) runs connections through this, so they differ only in who calls it.
//
// Timeouts (servers/common/request_timer.hpp): each read waits (SO_RCVTIMEO) only until the
// connection's header or idle deadline, and sends give up after --send-timeout without progress
// (SO_SNDTIMEO, which send and sendfile both honour). Without them one client that trickles a
// byte now and then would hold a worker, a process or the whole iterative server forever.
#pragma once

#include "core/proto/session.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

// Returns when the peer closes, the session asks to close, a timeout passes, an error occurs or a
// stop is requested. Does not close `fd`. `accepted_at` starts the first request's header clock:
// a connection that waited in a queue (thread_pool) has used up that much of it already, so a
// queue full of slowloris connections drains within one header timeout, not one per worker turn.
void serve_blocking_connection(int fd, proto::Session& session, const ServerOptions& options,
                               RequestTimer::Clock::time_point accepted_at = RequestTimer::now());

}  // namespace netlab::server
