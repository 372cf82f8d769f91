#include "servers/event/uring_ring.hpp"

#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <cstdio>
#include <cstring>

namespace netlab::server {
namespace {

constexpr unsigned kRingEntries = 4096;
constexpr unsigned kBuffers = 2048;     // provided buffer ring: a power of two
constexpr unsigned kBufferSize = 8192;  // 16 MiB of buffers shared by every connection
constexpr uint16_t kBufferGroup = 1;

bool kernel_at_least(int major, int minor) {
  utsname u{};
  int ma = 0, mi = 0;
  return uname(&u) == 0 && std::sscanf(u.release, "%d.%d", &ma, &mi) == 2 && (ma > major || (ma == major && mi >= minor));
}

}  // namespace

UringRing::~UringRing() {
  if (ring_ok_) io_uring_queue_exit(&ring_);  // cancels and waits for in-flight requests first
  if (buf_ring_) munmap(buf_ring_, kBuffers * sizeof(io_uring_buf));
}

std::string UringRing::open(bool basic) {
  io_uring_params params{};
  params.flags = basic ? 0 : IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
  int ret = io_uring_queue_init_params(kRingEntries, &ring_, &params);
  features_.defer_taskrun = ret == 0 && !basic;
  if (ret < 0) {
    params = {};
    ret = io_uring_queue_init_params(kRingEntries, &ring_, &params);
  }
  if (ret < 0) {
    return std::strerror(-ret);
  }
  ring_ok_ = true;
  if (!basic) setup_buffer_ring();
  // Multishot accept and recv have no probe bit: the kernel version that brought them decides, and
  // a -EINVAL on first use switches to the single-shot form anyway.
  io_uring_probe* probe = io_uring_get_probe_ring(&ring_);
  features_.multishot_accept = !basic && probe && io_uring_opcode_supported(probe, IORING_OP_SOCKET);  // both 5.19
  if (probe) io_uring_free_probe(probe);
  features_.multishot_recv = kernel_at_least(6, 0) && features_.buffer_ring;
  return {};
}

std::string UringRing::describe() const {
  auto yes = [](bool b) { return b ? "yes" : "no (fallback)"; };
  return std::string("multishot accept ") + yes(features_.multishot_accept) + ", provided buffer ring " +
         yes(features_.buffer_ring) + ", multishot recv " + yes(features_.multishot_recv) + ", DEFER_TASKRUN " +
         yes(features_.defer_taskrun);
}

void UringRing::setup_buffer_ring() {
  size_t bytes = kBuffers * sizeof(io_uring_buf);
  void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (mem == MAP_FAILED) return;
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<uint64_t>(mem);
  reg.ring_entries = kBuffers;
  reg.bgid = kBufferGroup;
  if (io_uring_register_buf_ring(&ring_, &reg, 0) != 0) {
    munmap(mem, bytes);
    return;
  }
  buf_ring_ = static_cast<io_uring_buf_ring*>(mem);
  io_uring_buf_ring_init(buf_ring_);
  buffers_ = std::make_unique_for_overwrite<char[]>(size_t{kBuffers} * kBufferSize);
  for (unsigned i = 0; i < kBuffers; ++i) {
    io_uring_buf_ring_add(buf_ring_, &buffers_[size_t{i} * kBufferSize], kBufferSize, static_cast<uint16_t>(i),
                          io_uring_buf_ring_mask(kBuffers), static_cast<int>(i));
  }
  io_uring_buf_ring_advance(buf_ring_, kBuffers);
  features_.buffer_ring = true;
}

io_uring_sqe* UringRing::sqe() {
  io_uring_sqe* s = io_uring_get_sqe(&ring_);
  while (!s) {  // the submission queue is full: hand it to the kernel and retry
    io_uring_submit(&ring_);
    s = io_uring_get_sqe(&ring_);
  }
  return s;
}

void UringRing::accept(int listener, UringTag tag) {
  io_uring_sqe* s = sqe();
  if (features_.multishot_accept) {
    io_uring_prep_multishot_accept(s, listener, nullptr, nullptr, SOCK_CLOEXEC);
  } else {
    io_uring_prep_accept(s, listener, nullptr, nullptr, SOCK_CLOEXEC);
  }
  io_uring_sqe_set_data64(s, tag.pack());
}

void UringRing::recv(int fd, std::span<char> own, UringTag tag) {
  io_uring_sqe* s = sqe();
  if (!features_.buffer_ring) {
    io_uring_prep_recv(s, fd, own.data(), own.size(), 0);
  } else {
    if (features_.multishot_recv) {
      io_uring_prep_recv_multishot(s, fd, nullptr, 0, 0);
    } else {
      io_uring_prep_recv(s, fd, nullptr, 0, 0);
    }
    s->flags |= IOSQE_BUFFER_SELECT;
    s->buf_group = kBufferGroup;
  }
  io_uring_sqe_set_data64(s, tag.pack());
}

void UringRing::send(int fd, const char* data, size_t len, UringTag tag) {
  io_uring_sqe* s = sqe();
  io_uring_prep_send(s, fd, data, len, MSG_NOSIGNAL);
  io_uring_sqe_set_data64(s, tag.pack());
}

void UringRing::poll_readable(int fd, UringTag tag) {
  io_uring_sqe* s = sqe();
  io_uring_prep_poll_add(s, fd, POLLIN);
  io_uring_sqe_set_data64(s, tag.pack());
}

void UringRing::timeout(const __kernel_timespec& after, UringTag tag) {
  io_uring_sqe* s = sqe();
  // liburing 2.3 takes a non-const pointer but only reads it.
  io_uring_prep_timeout(s, const_cast<__kernel_timespec*>(&after), 0, 0);
  io_uring_sqe_set_data64(s, tag.pack());
}

void UringRing::cancel(UringTag target, UringTag tag) {
  io_uring_sqe* s = sqe();
  io_uring_prep_cancel64(s, target.pack(), 0);
  io_uring_sqe_set_data64(s, tag.pack());
}

const char* UringRing::received(const io_uring_cqe& cqe, const char* own) const {
  if (cqe.flags & IORING_CQE_F_BUFFER) {
    return &buffers_[size_t{cqe.flags >> IORING_CQE_BUFFER_SHIFT} * kBufferSize];
  }
  return own;
}

void UringRing::recycle(const io_uring_cqe& cqe) {
  if (!(cqe.flags & IORING_CQE_F_BUFFER)) return;
  unsigned bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
  io_uring_buf_ring_add(buf_ring_, &buffers_[size_t{bid} * kBufferSize], kBufferSize, static_cast<uint16_t>(bid),
                        io_uring_buf_ring_mask(kBuffers), 0);
  io_uring_buf_ring_advance(buf_ring_, 1);
}

}  // namespace netlab::server
