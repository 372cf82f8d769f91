// Shared memory: the message is copied into a mapping both processes see, then the peer is told.
// How it is told is the whole difference between the two channels:
//   semaphore: a process-shared sem_t (futex underneath) per direction. A waiter sleeps in the
//              kernel and costs a wake-up, like every descriptor-based channel.
//   atomics:   a sequence number per direction, published with a release store and polled with
//              acquire loads. No syscall at all when both processes have a core; burns the waiter's
//              core while it waits, and falls back to sched_yield() so that a waiter sharing a core
//              with its peer lets the peer run.
// Layout of the mapping: Control, then the parent->child buffer, then the child->parent buffer.
#include <semaphore.h>
#include <sched.h>
#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bench/ipc/makers.hpp"
#include "core/net/error.hpp"
#include "bench/sync/spinlock.hpp"

namespace netlab::bench {
namespace {

struct Direction {
  sem_t ready;                            // semaphore channel: posted once per message
  alignas(64) std::atomic<std::uint64_t> sequence{0};  // atomic channel: messages published so far
};

struct Control {
  Direction down;  // parent -> child
  Direction up;    // child -> parent
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "needed for cross-process atomics");

// Owns the mapping in one process; fork() gives the child its own reference to the same pages.
class Mapping {
 public:
  explicit Mapping(std::size_t message_size) : size_(sizeof(Control) + 2 * message_size) {
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap: " + core::errno_text(errno));
    base_ = static_cast<char*>(p);
    control_ = new (base_) Control;
    for (Direction* d : {&control_->down, &control_->up}) {
      if (sem_init(&d->ready, 1, 0) != 0) throw std::runtime_error("sem_init: " + core::errno_text(errno));
    }
  }
  ~Mapping() { munmap(base_, size_); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  Control& control() { return *control_; }
  char* buffer(int index, std::size_t message_size) { return base_ + sizeof(Control) + index * message_size; }

 private:
  std::size_t size_;
  char* base_ = nullptr;
  Control* control_ = nullptr;
};

class ShmEndpoint : public Endpoint {
 public:
  ShmEndpoint(std::shared_ptr<Mapping> map, bool is_parent, bool atomics, std::size_t message_size)
      : map_(std::move(map)),
        out_(is_parent ? map_->control().down : map_->control().up),
        in_(is_parent ? map_->control().up : map_->control().down),
        out_buf_(map_->buffer(is_parent ? 0 : 1, message_size)),
        in_buf_(map_->buffer(is_parent ? 1 : 0, message_size)),
        atomics_(atomics) {}

  // Ping-pong only: a sender never has a second message in flight, so one buffer per direction
  // is never overwritten before the peer has read it.
  void send(const char* data, std::size_t len) override {
    std::memcpy(out_buf_, data, len);
    if (atomics_) {
      out_.sequence.store(++sent_, std::memory_order_release);
    } else if (sem_post(&out_.ready) != 0) {
      throw std::runtime_error("sem_post: " + core::errno_text(errno));
    }
  }

  void recv(char* data, std::size_t len) override {
    if (atomics_) {
      ++received_;
      for (int spins = 0; in_.sequence.load(std::memory_order_acquire) < received_; ++spins) {
        if (spins < 4096) {
          cpu_relax();
        } else {
          sched_yield();
        }
      }
    } else {
      while (sem_wait(&in_.ready) != 0) {
        if (errno != EINTR) throw std::runtime_error("sem_wait: " + core::errno_text(errno));
      }
    }
    std::memcpy(data, in_buf_, len);
  }

 private:
  std::shared_ptr<Mapping> map_;
  Direction& out_;
  Direction& in_;
  char* out_buf_;
  char* in_buf_;
  bool atomics_;
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
};

}  // namespace

Channel make_shm_channel(bool atomics, std::size_t message_size) {
  auto map = std::make_shared<Mapping>(message_size);
  return {std::make_unique<ShmEndpoint>(map, true, atomics, message_size),
          std::make_unique<ShmEndpoint>(map, false, atomics, message_size)};
}

}  // namespace netlab::bench
