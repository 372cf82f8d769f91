// Acceptor: non-blocking accept for the event-driven models, with descriptor exhaustion handled.
//
// When the process is out of descriptors (EMFILE/ENFILE), accept() fails but the connection stays
// in the backlog, so a level-triggered listener stays readable and a naive loop spins at 100% CPU
// without serving anyone. The classic answer (libev, nginx's "reserved" connection) is a spare
// descriptor: close it, accept the waiting connection into the freed slot, send the protocol's busy
// reply, close it, and reopen the spare. When even that fails (another thread took the slot, or the
// whole system is out), the caller stops watching the listener for a short while.
//
// Thread contract: one Acceptor per loop thread; it does not own the listener.
#pragma once

#include <cstdint>

#include "core/net/fd.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

enum class AcceptResult {
  kAccepted,  // `conn` holds a new non-blocking connection with TCP_NODELAY
  kRefused,   // out of descriptors: one waiting connection got a busy reply; call again
  kAgain,     // nothing waiting (EAGAIN), or the listener is gone
  kOutOfFds,  // out of descriptors and no spare: stop watching the listener for a while
};

class Acceptor {
 public:
  Acceptor(const ServerContext& ctx, int listener);

  AcceptResult accept(core::Fd& conn);
  // Handles an accept that failed with `err` elsewhere (io_uring's completion-based accept).
  AcceptResult on_accept_error(int err);
  uint64_t refused_out_of_fds() const { return refused_; }

 private:
  const ServerContext& ctx_;
  int listener_;
  core::Fd spare_;
  bool exhausted_ = false;
  uint64_t refused_ = 0;
};

// Raises the soft RLIMIT_NOFILE to the hard limit, so an event loop can hold 10,000 connections;
// a limit lowered on purpose (prlimit --nofile=64:64) stays as it is.
void raise_fd_limit();

}  // namespace netlab::server
