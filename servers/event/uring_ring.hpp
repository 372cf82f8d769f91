// UringRing: the io_uring plumbing under the io_uring model, apart from any connection logic. It
// sets the ring up with the fastest flags the kernel takes, probes what the kernel supports, owns
// the provided buffer ring, and prepares the few operations the model queues (accept, recv, send,
// poll, timeout, cancel), each in its fastest supported form.
//
// Kernel features, each with a single-shot fallback: multishot accept (5.19), provided buffer rings
// so a recv picks a buffer only when data arrives instead of every idle connection owning one
// (5.19; registered by hand, Debian's liburing 2.3 has no io_uring_setup_buf_ring), multishot recv
// (6.0), and SINGLE_ISSUER|DEFER_TASKRUN (6.1) so completions run only when the loop asks.
//
// Thread contract: one thread owns the ring and calls everything here.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace netlab::server {

// user_data: op (8 bits) | generation (24 bits) | fd (32 bits). The generation tells a completion
// for a closed connection from one for a new connection that reuses the descriptor number.
struct UringTag {
  uint8_t op = 0;
  uint32_t gen = 0;  // only the low 24 bits are kept
  int fd = 0;

  uint64_t pack() const { return (uint64_t{op} << 56) | (uint64_t{gen & 0xffffff} << 32) | uint32_t(fd); }
  static UringTag unpack(uint64_t data) {
    return {static_cast<uint8_t>(data >> 56), static_cast<uint32_t>(data >> 32) & 0xffffff,
            static_cast<int>(static_cast<uint32_t>(data))};
  }
};

struct UringFeatures {
  bool defer_taskrun = false;
  bool buffer_ring = false;
  bool multishot_accept = false;
  bool multishot_recv = false;
};

class UringRing {
 public:
  UringRing() = default;
  ~UringRing();  // cancels and waits for in-flight requests, then frees the buffers
  UringRing(const UringRing&) = delete;
  UringRing& operator=(const UringRing&) = delete;

  // Sets the ring up and probes the features; `basic` forces every fallback. Returns an empty
  // string, or why io_uring is unavailable.
  std::string open(bool basic);
  const UringFeatures& features() const { return features_; }
  // One line for the log: which fast paths are in use.
  std::string describe() const;
  // A first -EINVAL from a multishot operation: the kernel refused it; use the single-shot form.
  void drop_multishot_accept() { features_.multishot_accept = false; }
  void drop_multishot_recv() { features_.multishot_recv = false; }

  // Preparing operations; each takes the user_data tag its completion will carry.
  void accept(int listener, UringTag tag);
  // Without a buffer ring the recv lands in `own` (the connection's own buffer).
  void recv(int fd, std::span<char> own, UringTag tag);
  void send(int fd, const char* data, size_t len, UringTag tag);
  void poll_readable(int fd, UringTag tag);
  void timeout(const __kernel_timespec& after, UringTag tag);  // `after` must outlive the request
  void cancel(UringTag target, UringTag tag);

  // Submits what is queued and waits up to `timeout` for a completion, then calls on_cqe for every
  // completion waiting and marks them seen.
  template <class F>
  void wait_and_reap(__kernel_timespec timeout, F&& on_cqe) {
    io_uring_cqe* first = nullptr;
    io_uring_submit_and_wait_timeout(&ring_, &first, 1, &timeout, nullptr);
    unsigned head, seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      ++seen;
      on_cqe(*cqe);
    }
    io_uring_cq_advance(&ring_, seen);
  }

  // The bytes a recv completion carries: from the provided buffer it names, or `own`.
  const char* received(const io_uring_cqe& cqe, const char* own) const;
  // Gives the completion's provided buffer (if it took one) back to the kernel.
  void recycle(const io_uring_cqe& cqe);

 private:
  io_uring_sqe* sqe();
  void setup_buffer_ring();

  io_uring ring_{};
  bool ring_ok_ = false;
  UringFeatures features_;
  io_uring_buf_ring* buf_ring_ = nullptr;
  std::unique_ptr<char[]> buffers_;  // untouched until the kernel fills a buffer
};

}  // namespace netlab::server
