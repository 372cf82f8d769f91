// io_uring: completion-based I/O. Instead of asking "which sockets are ready?" and then making one
// syscall per read and write (select, poll, epoll), the server queues the operations themselves
// (accept, recv, send) in a ring shared with the kernel and reaps their results; one
// io_uring_enter submits a whole batch and waits for the next. Where the kernel supports them
// (probed at start, said in the log): one multishot accept for every connection (5.19), provided
// buffer rings so a recv picks a buffer only when data arrives instead of every idle connection
// owning one (5.19; registered by hand, Debian's liburing 2.3 has no io_uring_setup_buf_ring),
// multishot recv (6.0), and SINGLE_ISSUER|DEFER_TASKRUN (6.1) so completions run only when the loop
// asks. Each missing feature falls back to the single-shot form. Saturates at one core like epoll,
// with fewer syscalls per request; --cpu-work/--io-delay still stall the one loop. File ranges in
// the Outbox are sent with pread + send from a per-connection buffer.
//
// NETLAB_IO_URING_BASIC=1 in the environment forces every fallback (the tests use it to cover
// both paths on a kernel that has everything).
// Needs: Linux 5.6 or later (5.19+ for the fast paths), io_uring not disabled (sysctl
// kernel.io_uring_disabled, seccomp in containers).
// Usage:     netlab-server-io_uring --listen 127.0.0.1:9000
// Test with: printf 'hello\n' | nc -q1 127.0.0.1 9000
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/net/socket.hpp"
#include "core/net/stop.hpp"
#include "servers/common/accept.hpp"
#include "servers/event/acceptor.hpp"
#include "servers/event/event_connection.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{"io_uring", server::Transport::kTcp,
                                   "One io_uring completion loop: multishot accept/recv, provided buffers.", 0,
                                   false};

namespace {

using Clock = std::chrono::steady_clock;

constexpr unsigned kRingEntries = 4096;
constexpr unsigned kBuffers = 2048;     // provided buffer ring: a power of two
constexpr unsigned kBufferSize = 8192;  // 16 MiB of buffers shared by every connection
constexpr uint16_t kBufferGroup = 1;
constexpr size_t kSendChunk = 64 * 1024;
constexpr size_t kOwnBuffer = 16 * 1024;  // fallback without a buffer ring: one per connection

// user_data: op (8 bits) | generation (24 bits) | fd (32 bits). The generation tells a completion
// for a closed connection from one for a new connection that reuses the descriptor number.
enum Op : uint64_t { kAccept = 1, kRecv, kSend, kStop, kAcceptRetry, kIgnore };
uint64_t tag(Op op, uint32_t gen, int fd) { return (uint64_t{op} << 56) | (uint64_t{gen & 0xffffff} << 32) | uint32_t(fd); }
Op op_of(uint64_t data) { return static_cast<Op>(data >> 56); }
uint32_t gen_of(uint64_t data) { return static_cast<uint32_t>(data >> 32) & 0xffffff; }
int fd_of(uint64_t data) { return static_cast<int>(static_cast<uint32_t>(data)); }

bool kernel_at_least(int major, int minor) {
  utsname u{};
  int ma = 0, mi = 0;
  return uname(&u) == 0 && std::sscanf(u.release, "%d.%d", &ma, &mi) == 2 && (ma > major || (ma == major && mi >= minor));
}

struct Features {
  bool defer_taskrun = false;
  bool buffer_ring = false;
  bool multishot_accept = false;
  bool multishot_recv = false;
};

struct Conn {
  core::Fd fd;
  uint32_t gen;
  std::unique_ptr<proto::Session> session;
  proto::Outbox out;
  std::vector<char> send_buf;  // what the in-flight send reads: the Outbox may reallocate meanwhile
  std::vector<char> own_buf;   // recv buffer, only without a buffer ring
  Clock::time_point send_since{};
  bool recv_armed = false;
  bool send_inflight = false;
  bool reading_over = false;  // peer closed or the session asked to close
  bool paused = false;        // output above the cap: recv not re-armed
  bool closing = false;
};

class UringServer {
 public:
  explicit UringServer(const server::ServerContext& ctx) : ctx_(ctx), acceptor_(ctx, ctx.listener()) {}
  ~UringServer();

  bool start();
  int run();

 private:
  io_uring_sqe* sqe();
  void setup_buffer_ring();
  void arm_accept();
  void arm_recv(Conn& c);
  void on_accept(const io_uring_cqe& cqe);
  void on_recv(Conn& c, const io_uring_cqe& cqe);
  void on_send(Conn& c, int res);
  void pump(Conn& c);
  void begin_close(Conn& c);
  void give_back(unsigned bid);
  void sweep_stalled();
  void accept_out_of_fds(int err, bool still_armed);

  const server::ServerContext& ctx_;
  server::Acceptor acceptor_;
  io_uring ring_{};
  bool ring_ok_ = false;
  Features features_;
  io_uring_buf_ring* buf_ring_ = nullptr;
  std::unique_ptr<char[]> buffers_;  // untouched until the kernel fills a buffer
  std::vector<std::unique_ptr<Conn>> conns_;  // by fd
  uint32_t next_gen_ = 1;
  size_t live_ = 0;
  uint64_t stalled_ = 0;
  __kernel_timespec retry_in_{0, 100'000'000};
};

UringServer::~UringServer() {
  if (ring_ok_) io_uring_queue_exit(&ring_);  // cancels and waits for in-flight requests first
  conns_.clear();
  if (buf_ring_) munmap(buf_ring_, kBuffers * sizeof(io_uring_buf));
}

bool UringServer::start() {
  io_uring_params params{};
  const bool basic = std::getenv("NETLAB_IO_URING_BASIC") != nullptr;
  params.flags = basic ? 0 : IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
  int ret = io_uring_queue_init_params(kRingEntries, &ring_, &params);
  features_.defer_taskrun = ret == 0 && !basic;
  if (ret < 0) {
    params = {};
    ret = io_uring_queue_init_params(kRingEntries, &ring_, &params);
  }
  if (ret < 0) {
    server::log(ctx_, std::string("io_uring unavailable: ") + std::strerror(-ret));
    return false;
  }
  ring_ok_ = true;
  if (!basic) setup_buffer_ring();
  // Multishot accept and recv have no probe bit: the kernel version that brought them decides, and
  // a -EINVAL on first use switches to the single-shot form anyway.
  io_uring_probe* probe = io_uring_get_probe_ring(&ring_);
  features_.multishot_accept = !basic && probe && io_uring_opcode_supported(probe, IORING_OP_SOCKET);  // both 5.19
  if (probe) io_uring_free_probe(probe);
  features_.multishot_recv = kernel_at_least(6, 0) && features_.buffer_ring;
  auto yes = [](bool b) { return b ? "yes" : "no (fallback)"; };
  server::log(ctx_, std::string("io_uring features: multishot accept ") + yes(features_.multishot_accept) +
                        ", provided buffer ring " + yes(features_.buffer_ring) + ", multishot recv " +
                        yes(features_.multishot_recv) + ", DEFER_TASKRUN " + yes(features_.defer_taskrun) +
                        (basic ? " (fallbacks forced by NETLAB_IO_URING_BASIC)" : ""));
  return true;
}

void UringServer::setup_buffer_ring() {
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

io_uring_sqe* UringServer::sqe() {
  io_uring_sqe* s = io_uring_get_sqe(&ring_);
  while (!s) {  // the submission queue is full: hand it to the kernel and retry
    io_uring_submit(&ring_);
    s = io_uring_get_sqe(&ring_);
  }
  return s;
}

void UringServer::arm_accept() {
  io_uring_sqe* s = sqe();
  if (features_.multishot_accept) {
    io_uring_prep_multishot_accept(s, ctx_.listener(), nullptr, nullptr, SOCK_CLOEXEC);
  } else {
    io_uring_prep_accept(s, ctx_.listener(), nullptr, nullptr, SOCK_CLOEXEC);
  }
  io_uring_sqe_set_data64(s, tag(kAccept, 0, ctx_.listener()));
}

void UringServer::arm_recv(Conn& c) {
  io_uring_sqe* s = sqe();
  if (!features_.buffer_ring) {
    io_uring_prep_recv(s, c.fd.get(), c.own_buf.data(), c.own_buf.size(), 0);
  } else {
    if (features_.multishot_recv) {
      io_uring_prep_recv_multishot(s, c.fd.get(), nullptr, 0, 0);
    } else {
      io_uring_prep_recv(s, c.fd.get(), nullptr, 0, 0);
    }
    s->flags |= IOSQE_BUFFER_SELECT;
    s->buf_group = kBufferGroup;
  }
  io_uring_sqe_set_data64(s, tag(kRecv, c.gen, c.fd.get()));
  c.recv_armed = true;
}

int UringServer::run() {
  arm_accept();
  io_uring_sqe* s = sqe();
  io_uring_prep_poll_add(s, core::stop_fd(), POLLIN);
  io_uring_sqe_set_data64(s, tag(kStop, 0, 0));
  auto next_sweep = Clock::now() + std::chrono::seconds(1);
  bool stopping = false;
  while (!stopping) {
    __kernel_timespec second{1, 0};
    io_uring_cqe* first = nullptr;
    io_uring_submit_and_wait_timeout(&ring_, &first, 1, &second, nullptr);
    unsigned head, seen = 0;
    io_uring_cqe* cqe;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      ++seen;
      uint64_t data = io_uring_cqe_get_data64(cqe);
      int fd = fd_of(data);
      switch (op_of(data)) {
        case kAccept: on_accept(*cqe); break;
        case kAcceptRetry: arm_accept(); break;
        case kStop: stopping = true; break;
        case kRecv:
        case kSend: {
          Conn* c = static_cast<size_t>(fd) < conns_.size() ? conns_[fd].get() : nullptr;
          if (!c || c->gen != gen_of(data)) {
            if (cqe->flags & IORING_CQE_F_BUFFER) give_back(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
            break;  // a completion for a connection already gone
          }
          if (op_of(data) == kRecv) on_recv(*c, *cqe); else on_send(*c, cqe->res);
          if (c->closing && !c->recv_armed && !c->send_inflight) {
            conns_[fd].reset();  // nothing in flight references it any more
            --live_;
          }
          break;
        }
        default: break;
      }
    }
    io_uring_cq_advance(&ring_, seen);
    if (auto now = Clock::now(); now >= next_sweep) {
      sweep_stalled();
      next_sweep = now + std::chrono::seconds(1);
    }
  }
  if (stalled_ > 0) server::log(ctx_, "closed " + std::to_string(stalled_) + " stalled connections");
  return 0;  // the destructor tears the ring down, then the connections
}

void UringServer::on_accept(const io_uring_cqe& cqe) {
  if (cqe.res < 0) {
    if (cqe.res == -EINVAL && features_.multishot_accept) {
      features_.multishot_accept = false;
      server::log(ctx_, "multishot accept refused by the kernel; falling back to single-shot accept");
      arm_accept();
    } else {
      accept_out_of_fds(-cqe.res, cqe.flags & IORING_CQE_F_MORE);
    }
    return;
  }
  if (!(cqe.flags & IORING_CQE_F_MORE)) arm_accept();  // single-shot, or the multishot ended
  core::Fd fd(cqe.res);
  core::set_nodelay(fd.get());
  if (live_ >= static_cast<size_t>(ctx_.options().max_conns)) {
    server::refuse(ctx_, std::move(fd), "connection limit reached");
    return;
  }
  int n = fd.get();
  if (static_cast<size_t>(n) >= conns_.size()) conns_.resize(static_cast<size_t>(n) + 1024);
  auto c = std::make_unique<Conn>();
  c->fd = std::move(fd);
  c->gen = next_gen_++;
  c->session = ctx_.sessions()();
  if (!features_.buffer_ring) c->own_buf.resize(kOwnBuffer);
  arm_recv(*c);
  conns_[n] = std::move(c);
  ++live_;
}

void UringServer::accept_out_of_fds(int err, bool still_armed) {
  // The completion-based accept failed (EMFILE, ...): shed waiting connections with the spare
  // descriptor through a non-blocking accept, then re-arm, or retry in 100 ms when even that fails.
  core::set_nonblocking(ctx_.listener(), true);
  server::AcceptResult r = acceptor_.on_accept_error(err);
  while (r == server::AcceptResult::kRefused) {
    r = acceptor_.on_accept_error(EMFILE);
  }
  core::set_nonblocking(ctx_.listener(), false);
  if (still_armed) {
    return;
  }
  // Not arm_accept() right away: io_uring's accept takes a descriptor before it looks for a
  // connection, so at the limit it fails with EMFILE at once even with nothing waiting, a spin.
  // Wait for the next connection (poll) or, with no spare left, 100 ms.
  io_uring_sqe* s = sqe();
  if (r == server::AcceptResult::kOutOfFds) {
    io_uring_prep_timeout(s, &retry_in_, 0, 0);
  } else {
    io_uring_prep_poll_add(s, ctx_.listener(), POLLIN);
  }
  io_uring_sqe_set_data64(s, tag(kAcceptRetry, 0, 0));
}

void UringServer::on_recv(Conn& c, const io_uring_cqe& cqe) {
  bool more = cqe.flags & IORING_CQE_F_MORE;
  if (!more) c.recv_armed = false;
  if (cqe.res > 0 && !c.closing && !c.reading_over) {
    const char* data = c.own_buf.data();
    if (cqe.flags & IORING_CQE_F_BUFFER) data = &buffers_[size_t{cqe.flags >> IORING_CQE_BUFFER_SHIFT} * kBufferSize];
    c.session->on_bytes({data, static_cast<size_t>(cqe.res)}, c.out);
    c.reading_over = c.out.wants_close();
  } else if (cqe.res == 0) {
    if (!c.reading_over && !c.closing) c.session->on_peer_closed(c.out);
    c.reading_over = true;
  } else if (cqe.res == -EINVAL && features_.multishot_recv) {
    features_.multishot_recv = false;
    server::log(ctx_, "multishot recv refused by the kernel; falling back to single-shot recv");
  } else if (cqe.res < 0 && cqe.res != -ENOBUFS && cqe.res != -ECANCELED) {
    c.reading_over = true;  // reset by the peer
    begin_close(c);
  }
  if (cqe.flags & IORING_CQE_F_BUFFER) give_back(cqe.flags >> IORING_CQE_BUFFER_SHIFT);
  if (c.out.pending_bytes() > server::kOutputCap && !c.paused) {
    c.paused = true;  // backpressure: stop receiving until the output drains
    if (c.recv_armed) {
      io_uring_sqe* s = sqe();
      io_uring_prep_cancel64(s, tag(kRecv, c.gen, c.fd.get()), 0);
      io_uring_sqe_set_data64(s, tag(kIgnore, 0, 0));
    }
  }
  if (!c.recv_armed && !c.paused && !c.reading_over && !c.closing) arm_recv(c);
  pump(c);
}

void UringServer::on_send(Conn& c, int res) {
  c.send_inflight = false;
  if (res < 0) {
    begin_close(c);
    return;
  }
  c.out.consume(static_cast<uint64_t>(res));
  if (c.paused && c.out.pending_bytes() <= server::kOutputCap) {
    c.paused = false;
    if (!c.recv_armed && !c.reading_over && !c.closing) arm_recv(c);
  }
  pump(c);
}

void UringServer::pump(Conn& c) {
  if (c.closing || c.send_inflight) return;
  if (c.out.empty()) {
    if (c.reading_over) begin_close(c);
    return;
  }
  const auto& chunk = c.out.front();
  size_t len = static_cast<size_t>(std::min<uint64_t>(c.out.pending_bytes(), kSendChunk));
  if (c.send_buf.size() < len) c.send_buf.resize(len);  // grows to the largest send seen, then stays
  if (chunk.is_file) {
    len = static_cast<size_t>(std::min<uint64_t>(chunk.range.length, len));
    ssize_t n = pread(chunk.range.file->get(), c.send_buf.data(), len, static_cast<off_t>(chunk.range.offset));
    if (n <= 0) {  // the file shrank or failed: the promised length cannot be sent
      begin_close(c);
      return;
    }
    len = static_cast<size_t>(n);
  } else {
    std::string_view bytes = c.out.front_bytes();
    len = std::min(bytes.size(), len);
    std::memcpy(c.send_buf.data(), bytes.data(), len);
  }
  io_uring_sqe* s = sqe();
  io_uring_prep_send(s, c.fd.get(), c.send_buf.data(), len, MSG_NOSIGNAL);
  io_uring_sqe_set_data64(s, tag(kSend, c.gen, c.fd.get()));
  c.send_inflight = true;
  c.send_since = Clock::now();
}

void UringServer::begin_close(Conn& c) {
  if (c.closing) return;
  c.closing = true;
  // Ends the in-flight recv (0) and send (EPIPE); the Conn is freed once both have completed.
  ::shutdown(c.fd.get(), SHUT_RDWR);
  if (c.recv_armed) {
    io_uring_sqe* s = sqe();
    io_uring_prep_cancel64(s, tag(kRecv, c.gen, c.fd.get()), 0);
    io_uring_sqe_set_data64(s, tag(kIgnore, 0, 0));
  }
}

void UringServer::give_back(unsigned bid) {
  io_uring_buf_ring_add(buf_ring_, &buffers_[size_t{bid} * kBufferSize], kBufferSize, static_cast<uint16_t>(bid),
                        io_uring_buf_ring_mask(kBuffers), 0);
  io_uring_buf_ring_advance(buf_ring_, 1);
}

void UringServer::sweep_stalled() {
  auto now = Clock::now();
  for (auto& c : conns_) {
    if (c && c->send_inflight && !c->closing && now - c->send_since > ctx_.options().send_timeout) {
      ++stalled_;
      if (stalled_ <= 10 || stalled_ % 1000 == 0) {
        server::log(ctx_, "closed a connection whose client stopped reading (" + std::to_string(c->out.pending_bytes()) +
                              " bytes unsent); " + std::to_string(stalled_) + " so far");
      }
      begin_close(*c);
    }
  }
}

}  // namespace

int serve(server::ServerContext& ctx) {
  server::raise_fd_limit();
  UringServer server(ctx);
  if (!server.start()) {
    return 1;
  }
  return server.run();
}
