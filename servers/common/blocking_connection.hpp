// Serves one TCP connection to its end with blocking reads and writes: read, hand the bytes to the
// session, write what it queued, repeat. Every blocking model (iterative, fork, prefork, thread per
// connection, thread pool) runs connections through this, so they differ only in who calls it.
//
// Timeouts (servers/common/request_timer.hpp): each read waits (SO_RCVTIMEO) only until the
// connection's header or idle deadline, and sends give up after --send-timeout without progress
// (SO_SNDTIMEO, which send and sendfile both honour). Without them one client that trickles a
// byte now and then would hold a worker, a process or the whole iterative server forever.
#pragma once

#include <chrono>
#include <functional>

#include "core/proto/session.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

// Returns when the peer closes, the session asks to close, a timeout passes, an error occurs or a
// stop is requested. Does not close `fd`. `accepted_at` starts the first request's header clock:
// a connection that waited in a queue (thread_pool) has used up that much of it already, so a
// queue full of slowloris connections drains within one header timeout, not one per worker turn.
//
// `others_waiting`, when given, says whether clients wait for this worker (prefork's queue is the
// kernel's listen backlog, where a connection's age is unknown).
// While it is true, a connection with a request begun but not finished that has received nothing
// for kShedQuiet is cut as its header timeout would cut it (HTTP: 408), at once: a slowloris
// backlog then drains in milliseconds instead of one header timeout per worker turn. A client that
// sent its request whole, one between kept-alive requests, and one that has sent nothing yet are
// never cut this way (those keep the header timeout).
void serve_blocking_connection(int fd, proto::Session& session, const ServerOptions& options,
                               RequestTimer::Clock::time_point accepted_at = RequestTimer::now(),
                               const std::function<bool()>& others_waiting = {});

// How long a connection must have been quiet (nothing received) to be cut while others wait.
inline constexpr std::chrono::milliseconds kShedQuiet{100};

// True when `listener` has connections waiting in its accept queue (TCP_INFO on a listening socket
// reports the queue's length).
bool listener_has_waiting(int listener);

}  // namespace netlab::server
