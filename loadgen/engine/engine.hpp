// Engine: the load generator's I/O loop, apart from what it drives. The client logic (Worker)
// owns connections, schedules and checks; the engine owns the kernel interface: it watches the
// sockets, reads what arrives and hands the bytes over, sends, and sleeps until the next event or
// deadline. The contract is completion-shaped (bytes arrived, connect done, room to write) rather
// than readiness-shaped, so an engine that reads for itself (io_uring's multishot receive into
// provided buffers) can stand behind it as well as the epoll engine does.
//
// Thread contract: an engine and its handler live on one thread; nothing here locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace netlab::loadgen {

// What the engine reports to; implemented by the client logic. Every callback that can close the
// connection says whether it is still open, so the engine never reads or writes a closed one.
class EngineHandler {
 public:
  enum class Next : uint8_t { kGoOn, kClosed };

  // A connect() that was in progress finished: err 0 means established. `now`: when the wait
  // that reported it ended (clock.hpp).
  virtual Next on_connect_done(uint32_t id, int err, int64_t now) = 0;
  // Bytes arrived (one stream read or one datagram); `now` is taken right after the read.
  virtual Next on_data(uint32_t id, const char* data, size_t len, int64_t now) = 0;
  // The peer ended the stream (read returned 0).
  virtual void on_end_of_stream(uint32_t id) = 0;
  // A read or receive failed with errno `err`.
  virtual void on_read_error(uint32_t id, int err) = 0;
  // The socket has room again after a send() returned kWouldBlock.
  virtual void on_writable(uint32_t id) = 0;

 protected:
  ~EngineHandler() = default;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  // Starts watching the non-blocking socket `fd` of connection `id`. `connecting`: connect()
  // returned EINPROGRESS and on_connect_done reports its end. `datagram`: each read is one datagram.
  // False with errno set when the engine cannot watch it.
  virtual bool add(uint32_t id, int fd, bool connecting, bool datagram) = 0;
  // The engine forgets connection `id`; the caller closes its socket after this.
  virtual void remove(uint32_t id) = 0;
  // Sends bytes that stay valid until the connection is closed or on_writable comes. Returns how
  // many went out, or -errno. On a stream, fewer than `len` (even 0) means on_writable follows
  // once there is room; a datagram that cannot go out at once is an error (UDP does not wait).
  virtual int64_t send(uint32_t id, const char* data, size_t len) = 0;
  // Stops asking for on_writable, once a connection has nothing left to send. A connection that
  // lives for one request (connect mode) may keep it: turning it off costs a system call.
  virtual bool stop_writable(uint32_t id) = 0;
  // Waits at most wait_ns (0: only what is ready now), sets `woke` to the time the wait ended, and
  // delivers what happened to `handler`. Returns how many sockets had news, at most max_ready().
  virtual int run_once(EngineHandler& handler, int64_t wait_ns, int64_t& woke) = 0;
  virtual int max_ready() const = 0;
};

// The epoll engine: one edge-triggered registration per socket, epoll_pwait2 for sub-millisecond
// waits. Throws std::runtime_error when the kernel refuses an epoll instance.
std::unique_ptr<Engine> make_epoll_engine();

}  // namespace netlab::loadgen
