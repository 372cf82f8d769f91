// io_uring: completion-based I/O. Instead of asking "which sockets are ready?" and then making one
// syscall per read and write (select, poll, epoll), the server queues the operations themselves
// (accept, recv, send) in a ring shared with the kernel and reaps their results; one
// io_uring_enter submits a whole batch and waits for the next. The ring's set-up, its feature
// probe (multishot accept and recv, provided buffer rings, DEFER_TASKRUN, each with a single-shot
// fallback, said in the log) and its buffers live in servers/event/uring_ring.hpp; this file is the
// connection state machine. Saturates at one core like epoll, with fewer syscalls per request;
// --cpu-work/--io-delay still stall the one loop. File ranges in the Outbox are sent with
// pread + send from a per-connection buffer (an in-flight send must not point into the Outbox).
//
// NETLAB_IO_URING_BASIC=1 in the environment forces every fallback (the tests use it to cover
// both paths on a kernel that has everything).
// Needs: Linux 5.6 or later (5.19+ for the fast paths), io_uring not disabled (sysctl
// kernel.io_uring_disabled, seccomp in containers).
// Usage:     netlab-server-io_uring --listen 127.0.0.1:9000
// Test with: strace -c -p "$(pgrep -f netlab-server-io_uring)" &   then, for a while:
//            netlab-loadgen --target 127.0.0.1:9000 --duration 3s; kill %1
//            # the summary shows io_uring_enter and almost nothing else: no epoll_wait, read or write
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include "core/net/socket.hpp"
#include "core/net/stop.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/quietest_connection.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/common/send_outbox.hpp"
#include "servers/event/event_connection.hpp"
#include "servers/event/stalled_clients.hpp"
#include "servers/event/uring_conn.hpp"
#include "servers/event/uring_ring.hpp"

using namespace netlab;
using server::UringTag;

const server::ModelInfo kModelInfo{
    .name = "io_uring",
    .transport = server::Transport::kTcp,
    .summary = "One io_uring completion loop: multishot accept/recv, provided buffers.",
};

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kSendChunk = 64 * 1024;
constexpr size_t kOwnBuffer = 16 * 1024;  // fallback without a buffer ring: one per connection

using namespace server::uring;

class UringServer {
 public:
  explicit UringServer(const server::ServerContext& ctx) : ctx_(ctx), acceptor_(ctx, ctx.listener()) {}
  ~UringServer() { ring_.reset(); }  // the ring first: in-flight requests point into the connections

  bool start();
  int run();

 private:
  void arm_accept() { ring_->accept(ctx_.listener(), {kAccept, 0, ctx_.listener()}); }
  void arm_recv(Conn& c);
  void on_accept(const io_uring_cqe& cqe);
  void on_recv(Conn& c, const io_uring_cqe& cqe);
  void on_send(Conn& c, int res);
  void pump(Conn& c);
  void begin_close(Conn& c);
  void sweep();
  void accept_out_of_fds(int err, bool still_armed);

  const server::ServerContext& ctx_;
  server::Acceptor acceptor_;
  std::unique_ptr<server::UringRing> ring_ = std::make_unique<server::UringRing>();
  std::vector<std::unique_ptr<Conn>> conns_;  // by fd
  uint32_t next_gen_ = 1;
  size_t live_ = 0;
  server::QuietestConnection quietest_;
  uint64_t made_room_ = 0;  // quiet connections closed at the limit to admit new ones
  server::StalledClients stalled_{ctx_};
  __kernel_timespec retry_in_{0, 100'000'000};
};

bool UringServer::start() {
  const bool basic = std::getenv("NETLAB_IO_URING_BASIC") != nullptr;
  if (std::string error = ring_->open(basic); !error.empty()) {
    server::log(ctx_, "io_uring unavailable: " + error);
    return false;
  }
  server::log(ctx_, "io_uring features: " + ring_->describe() +
                        (basic ? " (fallbacks forced by NETLAB_IO_URING_BASIC)" : ""));
  return true;
}

void UringServer::arm_recv(Conn& c) {
  ring_->recv(c.fd.get(), c.own_buf, c.tag(kRecv));
  c.recv_armed = true;
}

int UringServer::run() {
  arm_accept();
  ring_->poll_readable(core::stop_fd(), {kStop, 0, 0});
  const auto sweep_every = server::sweep_interval(ctx_.options());
  const __kernel_timespec wait{sweep_every.count() / 1000, sweep_every.count() % 1000 * 1'000'000};
  auto next_sweep = Clock::now() + sweep_every;
  bool stopping = false;
  while (!stopping) {
    ring_->wait_and_reap(wait, [&](const io_uring_cqe& cqe) {
      UringTag tag = UringTag::unpack(io_uring_cqe_get_data64(&cqe));
      switch (tag.op) {
        case kAccept: on_accept(cqe); break;
        case kAcceptRetry:
          acceptor_.restore_spare();  // before the accept takes a freed slot
          arm_accept();
          break;
        case kStop: stopping = true; break;
        case kRecv:
        case kSend: {
          Conn* c = static_cast<size_t>(tag.fd) < conns_.size() ? conns_[tag.fd].get() : nullptr;
          if (!c || c->gen != tag.gen) {
            ring_->recycle(cqe);
            break;  // a completion for a connection already gone
          }
          if (tag.op == kRecv) on_recv(*c, cqe); else on_send(*c, cqe.res);
          if (c->closing && !c->recv_armed && !c->send_inflight) {
            conns_[tag.fd].reset();  // nothing in flight references it any more
            --live_;
          }
          break;
        }
        default: break;
      }
    });
    if (auto now = Clock::now(); now >= next_sweep) {
      sweep();
      next_sweep = now + sweep_every;
    }
  }
  if (stalled_.count() > 0) server::log(ctx_, "closed " + std::to_string(stalled_.count()) + " stalled connections");
  if (made_room_ > 0) server::log(ctx_, "closed " + std::to_string(made_room_) + " idle connections to make room at the limit");
  return 0;  // the destructor tears the ring down, then the connections
}

void UringServer::on_accept(const io_uring_cqe& cqe) {
  if (cqe.res < 0) {
    if (cqe.res == -EINVAL && ring_->features().multishot_accept) {
      ring_->drop_multishot_accept();
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
    Conn* quietest = quietest_.find(conns_, [](const Conn& c) {
      auto since = c.closing ? Clock::time_point::max() : server::quiet_since(c.timer, *c.session, c.out, c.reading_over);
      return server::QuietestConnection::Key{since, c.gen};  // gen: the accept order
    });
    if (quietest == nullptr) {
      server::refuse(ctx_, std::move(fd), "connection limit reached");
      return;
    }
    if (made_room_++ == 0) {
      server::log(ctx_, "connection limit (--max-conns " + std::to_string(ctx_.options().max_conns) +
                            ") reached; closing the connections idle the longest to admit new ones");
    }
    begin_close(*quietest);  // freed once its recv completes; the new one is admitted now
  }
  int n = fd.get();
  if (static_cast<size_t>(n) >= conns_.size()) conns_.resize(static_cast<size_t>(n) + 1024);
  auto c = std::make_unique<Conn>(ctx_.options());
  c->fd = std::move(fd);
  c->gen = next_gen_++;
  c->session = ctx_.sessions()();
  if (!ring_->features().buffer_ring) c->own_buf.resize(kOwnBuffer);
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
  if (r == server::AcceptResult::kOutOfFds) {
    ring_->timeout(retry_in_, {kAcceptRetry, 0, 0});
  } else {
    ring_->poll_readable(ctx_.listener(), {kAcceptRetry, 0, 0});
  }
}

void UringServer::on_recv(Conn& c, const io_uring_cqe& cqe) {
  bool more = cqe.flags & IORING_CQE_F_MORE;
  if (!more) c.recv_armed = false;
  if (cqe.res > 0 && !c.closing && !c.reading_over) {
    c.session->on_bytes({ring_->received(cqe, c.own_buf.data()), static_cast<size_t>(cqe.res)}, c.out);
    c.reading_over = c.out.wants_close();
  } else if (cqe.res == 0) {
    // A multishot recv may complete after the pause: held requests are still answered first.
    if (!c.reading_over && !c.closing) {
      if (c.out.input_held()) {
        c.eof_held = true;
      } else {
        c.session->on_peer_closed(c.out);
      }
    }
    c.reading_over = true;
  } else if (cqe.res == -EINVAL && ring_->features().multishot_recv) {
    ring_->drop_multishot_recv();
    server::log(ctx_, "multishot recv refused by the kernel; falling back to single-shot recv");
  } else if (cqe.res < 0 && cqe.res != -ENOBUFS && cqe.res != -ECANCELED) {
    c.reading_over = true;  // reset by the peer
    begin_close(c);
  }
  ring_->recycle(cqe);
  if (c.out.full() && !c.paused) {
    c.paused = true;  // backpressure: stop receiving until the output drains
    if (c.recv_armed) ring_->cancel(c.tag(kRecv), {kIgnore, 0, 0});
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
  if (c.paused && !c.out.full()) {
    // Requests held back while the outbox was full go on first; they may fill it again.
    if (c.out.input_held() && !c.closing && !c.out.wants_close()) {
      c.session->on_bytes({}, c.out);
      if (c.eof_held && !c.out.input_held() && !c.out.wants_close()) {
        c.eof_held = false;
        c.session->on_peer_closed(c.out);
      }
      c.reading_over = c.reading_over || c.out.wants_close();
    }
    c.paused = c.out.full();
    if (!c.paused && !c.recv_armed && !c.reading_over && !c.closing) arm_recv(c);
  }
  pump(c);
}

void UringServer::pump(Conn& c) {
  if (c.closing || c.send_inflight) return;
  c.timer.update(*c.session, c.out);
  if (c.out.empty()) {
    if (c.reading_over) begin_close(c);
    return;
  }
  size_t want = static_cast<size_t>(std::min<uint64_t>(c.out.pending_bytes(), kSendChunk));
  if (c.send_buf.size() < want) c.send_buf.resize(want);  // grows to the largest send seen, then stays
  ssize_t len = server::copy_front(c.out, {c.send_buf.data(), want});
  if (len <= 0) {  // the file shrank or failed: the promised length cannot be sent
    begin_close(c);
    return;
  }
  ring_->send(c.fd.get(), c.send_buf.data(), static_cast<size_t>(len), c.tag(kSend));
  c.send_inflight = true;
  c.send_since = Clock::now();
}

void UringServer::begin_close(Conn& c) {
  if (c.closing) return;
  c.closing = true;
  // Ends the in-flight recv (0) and send (EPIPE); the Conn is freed once both have completed.
  ::shutdown(c.fd.get(), SHUT_RDWR);
  if (c.recv_armed) ring_->cancel(c.tag(kRecv), {kIgnore, 0, 0});
}

void UringServer::sweep() {
  auto now = Clock::now();
  for (auto& c : conns_) {
    if (!c || c->closing) continue;
    if (c->send_inflight && now - c->send_since > ctx_.options().send_timeout) {
      stalled_.closed(c->out.pending_bytes());
      begin_close(*c);
    } else if (!c->reading_over && c->timer.expired(now)) {
      // Header or idle deadline: stop receiving, send HTTP's 408 if a request was begun, close.
      c->reading_over = true;
      server::time_out(*c->session, c->out);
      if (c->recv_armed) ring_->cancel(c->tag(kRecv), {kIgnore, 0, 0});
      pump(*c);
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
