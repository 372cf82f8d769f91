// Acceptor: accept() for every TCP model, blocking and non-blocking, with one policy for the
// classic pitfalls: EINTR (signals, SIGCHLD), ECONNABORTED (the client left the backlog), and
// descriptor exhaustion.
//
// When the process is out of descriptors (EMFILE/ENFILE), accept() fails but the connection stays
// in the backlog: a level-triggered listener stays readable and a naive loop spins at 100% CPU
// without serving anyone, while a blocking accept fails at once (the kernel takes the descriptor
// before it waits) and a loop that only backs off leaves every client hanging. The classic answer
// (libev, nginx's "reserved" connection) is a spare descriptor: close it, accept the waiting
// connection into the freed slot, send the protocol's busy reply, close it, and reopen the spare.
// When even that fails (another thread took the slot, or the whole system is out), a non-blocking
// caller stops watching the listener for a short while; a blocking one sleeps 100 ms. Other
// threads do take slots for a moment: glibc 2.36 opens /sys/devices/system/cpu/online (then
// /proc/stat) the first time a thread needs a malloc arena beyond the eighth. So a missing spare
// is reopened before the next accept, or the first connection to arrive would take the freed slot
// and leave no way to refuse anyone for as long as the process stays at its limit.
//
// Thread contract: one Acceptor per accepting thread (or process); it does not own the listener.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/net/fd.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

enum class AcceptMode {
  kNonBlocking,  // event loops: accept() returns kAgain when nothing waits; connections are O_NONBLOCK
  kBlocking,     // blocking models: next() waits; connections are blocking
};

enum class AcceptResult {
  kAccepted,  // `conn` holds a new connection with TCP_NODELAY
  kRefused,   // out of descriptors: one waiting connection got a busy reply; call again
  kAgain,     // nothing waiting (EAGAIN), or the listener is gone
  kOutOfFds,  // out of descriptors and no spare: stop watching the listener for a while
};

class Acceptor {
 public:
  Acceptor(const ServerContext& ctx, int listener, AcceptMode mode = AcceptMode::kNonBlocking);

  // Non-blocking mode: one attempt (retrying EINTR and aborted connections).
  AcceptResult accept(core::Fd& conn);
  // Blocking mode: waits for the next connection, refusing with a busy reply while out of
  // descriptors. Returns an invalid Fd once a stop is requested or the listener is shut down.
  // `on_interrupt` runs after each EINTR (fork_per_conn reaps its children there).
  core::Fd next(const std::function<void()>& on_interrupt = {});
  // Handles an accept that failed with `err` elsewhere (io_uring's completion-based accept).
  AcceptResult on_accept_error(int err);
  // Reopens the spare if an earlier episode lost it; accept() does this itself, a caller whose
  // accepts happen elsewhere (io_uring) calls it before it accepts again.
  void restore_spare();
  uint64_t refused_out_of_fds() const { return refused_; }

 private:
  bool wait_for_listener(int timeout_ms);

  const ServerContext& ctx_;
  int listener_;
  AcceptMode mode_;
  core::Fd spare_;
  bool exhausted_ = false;
  bool interrupted_ = false;   // blocking mode: the last attempt met EINTR
  bool listener_gone_ = false;  // the listener was shut down (a stop): nothing more to accept
  uint64_t refused_ = 0;
};

// Sends the protocol's busy reply to a connection that will not be served, then closes it.
void refuse(const ServerContext& ctx, core::Fd conn, std::string_view reason);

// Raises the soft RLIMIT_NOFILE to the hard limit, so an event loop can hold 10,000 connections;
// a limit lowered on purpose (prlimit --nofile=64:64) stays as it is.
void raise_fd_limit();

}  // namespace netlab::server
