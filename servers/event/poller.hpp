// Poller: the readiness backend behind every readiness-based model, chosen at run time
// (muduo's Poller). select(2), poll(2) and epoll(7) answer the same question, "which of these
// descriptors can I read or write without blocking?", at different costs: select and poll hand the
// kernel the whole interest set on every call (cost grows with the number of connections, idle or
// not), epoll keeps it in the kernel and returns only the ready ones.
//
// Thread contract: a Poller belongs to one loop thread; nothing here is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace netlab::server {

// Interest and readiness bits.
constexpr uint32_t kReadable = 1;
constexpr uint32_t kWritable = 2;
constexpr uint32_t kHangup = 4;  // error or hang-up: reading will say which

struct ReadyEvent {
  int fd;
  uint32_t events;
};

enum class Backend { kSelect, kPoll, kEpoll };

class Poller {
 public:
  virtual ~Poller() = default;
  // Starts watching fd. False (errno set) when the backend cannot watch it: select cannot watch a
  // descriptor >= FD_SETSIZE (EBADF-like, errno = ERANGE).
  virtual bool add(int fd, uint32_t interest) = 0;
  // Changes what fd is watched for. Edge-triggered epoll never needs this: it watches both from the
  // start and the caller keeps track of what it is waiting for.
  virtual void modify(int fd, uint32_t interest) = 0;
  // Stops watching fd; call before closing it.
  virtual void remove(int fd) = 0;
  // Waits up to timeout_ms (-1: forever) and fills `out`; returns how many are ready, 0 on timeout
  // or EINTR.
  virtual int wait(std::span<ReadyEvent> out, int timeout_ms) = 0;
  // True for edge-triggered epoll: readiness is reported once per change, so the caller must read
  // and accept until EAGAIN.
  virtual bool edge_triggered() const { return false; }
  virtual std::string_view name() const = 0;
};

// Throws NetError when the backend cannot be created (epoll_create1 failing).
std::unique_ptr<Poller> make_poller(Backend backend, bool edge_triggered = false);

}  // namespace netlab::server
