#include "servers/event/event_loop.hpp"

#include <sys/select.h>

#include <climits>
#include <cstring>

#include "core/net/socket.hpp"
#include "core/net/stop.hpp"
#include "servers/common/acceptor.hpp"

namespace netlab::server {
namespace {

constexpr size_t kReadBuffer = 64 * 1024;
constexpr int kBatch = 512;
constexpr int kLevelAcceptBudget = 64;  // level-triggered: the listener stays ready, be fair to others
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

}  // namespace

EventLoop::EventLoop(const ServerContext& ctx, std::unique_ptr<Poller> poller, int listener, std::string label)
    : ctx_(ctx),
      poller_(std::move(poller)),
      listener_(listener),
      label_(std::move(label)),
      acceptor_(ctx, listener),
      stalled_(ctx, label_),
      edge_(poller_->edge_triggered()),
      max_conns_(static_cast<size_t>(ctx.options().max_conns)),
      send_timeout_(ctx.options().send_timeout),
      read_buf_(kReadBuffer) {
  core::set_nonblocking(listener_);
}

int EventLoop::run() {
  if (!poller_->add(core::stop_fd(), kReadable) || !poller_->add(listener_, kReadable)) {
    log(ctx_, label_ + "cannot watch the listener: " + std::strerror(errno));
    return 1;
  }
  ReadyEvent events[kBatch];
  const auto sweep_every = sweep_interval(ctx_.options());
  auto next_sweep = EventConnection::Clock::now() + sweep_every;
  bool stopping = false;
  while (!stopping) {
    int n = poller_->wait(events, accepting_ ? static_cast<int>(sweep_every.count()) : 20);
    for (int i = 0; i < n; ++i) {
      const ReadyEvent& ev = events[i];
      if (ev.fd == core::stop_fd()) {
        stopping = stopping || (ev.events & kReadable) != 0;
      } else if (ev.fd == listener_) {
        accept_ready();
      } else {
        serve(ev.fd, ev.events);
      }
    }
    auto now = EventConnection::Clock::now();
    if (!accepting_ && now >= resume_accepting_) {
      accepting_ = true;
      if (!edge_) poller_->modify(listener_, kReadable);
      accept_ready();  // edge-triggered: connections that queued meanwhile raised no new edge
    }
    if (now >= next_sweep) {
      sweep_stalled();
      next_sweep = now + sweep_every;
    }
  }
  // Stop: no new connections; in-flight replies get one last non-blocking send, then close.
  poller_->remove(listener_);
  for (auto& conn : conns_) {
    if (conn) {
      conn->flush();
      close(conn->fd());
    }
  }
  if (stalled_.count() + timed_out_ + made_room_ + refused_busy_ + acceptor_.refused_out_of_fds() > 0) {
    log(ctx_, label_ + "closed " + std::to_string(stalled_.count()) + " stalled connections, " +
                  std::to_string(timed_out_) + " past their header or idle timeout and " +
                  std::to_string(made_room_) + " idle ones to make room at the limit; refused " +
                  std::to_string(refused_busy_) + " at the connection limit and " +
                  std::to_string(acceptor_.refused_out_of_fds()) + " out of descriptors");
  }
  return 0;
}

void EventLoop::accept_ready() {
  int budget = edge_ ? INT_MAX : kLevelAcceptBudget;
  while (accepting_ && budget-- > 0) {
    core::Fd conn;
    switch (acceptor_.accept(conn)) {
      case AcceptResult::kAccepted: break;
      case AcceptResult::kRefused: continue;
      case AcceptResult::kAgain: return;
      case AcceptResult::kOutOfFds: pause_accepting(); return;
    }
    if (live_ >= max_conns_ && !close_quietest()) {
      ++refused_busy_;
      log_once("connection limit (--max-conns " + std::to_string(max_conns_) + ") reached; refusing with a busy reply", said_cap_);
      refuse(ctx_, std::move(conn), "connection limit reached");
      continue;
    }
    int fd = conn.get();
    if (!poller_->add(fd, kReadable)) {
      ++refused_busy_;
      log_once(std::string(poller_->name()) + " cannot watch descriptor " + std::to_string(fd) +
                   (errno == ERANGE ? " (FD_SETSIZE is " + std::to_string(FD_SETSIZE) + ")" : std::string()) +
                   "; refusing connections past that with a busy reply",
               said_backend_limit_);
      refuse(ctx_, std::move(conn), "connection limit reached");
      continue;
    }
    if (static_cast<size_t>(fd) >= conns_.size()) {
      conns_.resize(static_cast<size_t>(fd) + 1024);
      registered_.resize(conns_.size(), 0);
    }
    conns_[fd] = std::make_unique<EventConnection>(std::move(conn), ctx_.sessions()(), ctx_.options(), ++accepted_);
    registered_[fd] = kReadable;
    ++live_;
    if (edge_) {
      // Bytes that arrived before the registration raised their edge already: read them now.
      serve(fd, kReadable);
    }
  }
}

void EventLoop::serve(int fd, uint32_t events) {
  if (static_cast<size_t>(fd) >= conns_.size() || !conns_[fd]) {
    return;  // closed earlier in this batch
  }
  EventConnection& conn = *conns_[fd];
  std::span<char> buf(read_buf_);
  auto step = EventConnection::Step::kKeep;
  if (events & (kReadable | kHangup)) {
    step = conn.on_readable(buf, edge_);
  }
  // A hang-up or error also goes to the write side: a connection that is not reading (output over
  // the cap) would otherwise never notice it, and a level-triggered poller would report it forever.
  if (step == EventConnection::Step::kKeep && (events & (kWritable | kHangup))) {
    step = conn.on_writable(buf, edge_);
  }
  if (step == EventConnection::Step::kClose) {
    close(fd);
  } else if (!edge_) {
    update_interest(conn);
  }
}

void EventLoop::update_interest(EventConnection& conn) {
  // Level-triggered only: the one epoll_ctl/poll-slot change happens when the wish changes (output
  // queued, output drained, reading paused), never per request.
  uint32_t want = conn.wanted();
  if (want != registered_[conn.fd()]) {
    poller_->modify(conn.fd(), want);
    registered_[conn.fd()] = want;
  }
}

void EventLoop::close(int fd) {
  poller_->remove(fd);
  registered_[fd] = 0;
  conns_[fd].reset();
  --live_;
}

void EventLoop::sweep_stalled() {
  auto now = EventConnection::Clock::now();
  for (auto& conn : conns_) {
    if (!conn) {
      continue;
    }
    if (conn->stalled(now, send_timeout_)) {
      stalled_.closed(conn->pending_bytes());
      close(conn->fd());
    } else if (conn->expired(now)) {
      ++timed_out_;
      if (conn->time_out() == EventConnection::Step::kClose) {
        close(conn->fd());
      } else if (!edge_) {
        update_interest(*conn);
      }
    }
  }
}

bool EventLoop::close_quietest() {
  EventConnection* quietest = quietest_.find(conns_, [](const EventConnection& c) {
    return QuietestConnection::Key{c.quiet_since(), c.serial()};
  });
  if (quietest == nullptr) {
    return false;
  }
  log_once("connection limit (--max-conns " + std::to_string(max_conns_) +
               ") reached; closing the connections idle the longest to admit new ones",
           said_made_room_);
  ++made_room_;
  close(quietest->fd());
  return true;
}

void EventLoop::pause_accepting() {
  accepting_ = false;
  resume_accepting_ = EventConnection::Clock::now() + kAcceptPause;
  if (!edge_) poller_->modify(listener_, 0);
}

void EventLoop::log_once(std::string_view message, bool& said) {
  if (!said) {
    said = true;
    log(ctx_, label_ + std::string(message));
  }
}

}  // namespace netlab::server
