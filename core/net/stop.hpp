// Clean stop on SIGINT/SIGTERM, shared by every binary.
//
// The handlers are installed without SA_RESTART, so a blocked accept/read/sleep in the thread that
// takes the signal returns EINTR. Because the signal may land on another thread, or just before a
// blocking call starts, the handler also shuts down the descriptors registered with
// shutdown_on_stop (a listener, the one connection an iterative server is serving): a blocked
// accept() then fails and a blocked read() returns 0, with no race. Event loops watch stop_fd().
#pragma once

namespace netlab::core {

// Installs the SIGINT/SIGTERM handlers and ignores SIGPIPE (a peer that vanished shows as EPIPE).
void install_stop_signals();
bool stop_requested();
// Readable (an eventfd) once a stop was requested; for poll/epoll/io_uring loops.
int stop_fd();
// Asks for a stop from code (tests, a fatal error in a worker).
void request_stop();

// Registers an fd to shut down when a stop is requested; returns a slot id for forget_on_stop.
// Async-signal-safe bookkeeping: a fixed table of atomics. Returns -1 when the table is full.
int shutdown_on_stop(int fd);
void forget_on_stop(int slot);
// A forked child calls this first: it empties the table (the parent's descriptors are not the
// child's to shut down) and gives the child its own stop_fd, so a child's stop never wakes the parent.
void reset_stop_after_fork();

// Registers `fd` for the lifetime of the guard. Declare it after the Fd it guards, so the fd is
// forgotten before it is closed (a recycled descriptor number must never be shut down).
class ShutdownOnStop {
 public:
  explicit ShutdownOnStop(int fd) : slot_(shutdown_on_stop(fd)) {}
  ~ShutdownOnStop() { forget_on_stop(slot_); }
  ShutdownOnStop(const ShutdownOnStop&) = delete;
  ShutdownOnStop& operator=(const ShutdownOnStop&) = delete;

 private:
  int slot_;
};

}  // namespace netlab::core
