// thread_pool: the notes' thread pool. N worker threads are started once; the main thread accepts
// and hands each connection to the pool through a bounded queue. No thread creation per
// connection, and memory is fixed, but a worker is blocked on one connection for its whole life: N
// busy connections saturate it and the rest wait in the queue (their latency is that wait). A full
// queue refuses new connections with the protocol's busy reply, never growing without bound.
//
// Usage:     netlab-server-thread_pool --listen 127.0.0.1:9000 --workers 16 --queue 1024
// Test with: netlab-server-thread_pool --listen 127.0.0.1:9000 --workers 2 --queue 1, then
//            for i in 1 2 3; do (printf 'hi\n'; sleep 10) | nc -N 127.0.0.1 9000 & done
//            # two answered at once, the third only when a worker frees up (it waited in the queue)
//            printf 'hi\n' | nc -N 127.0.0.1 9000   # a fourth: ERR server busy: queue full
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "core/net/stop.hpp"
#include "servers/common/acceptor.hpp"
#include "servers/common/blocking_connection.hpp"
#include "servers/common/connection_set.hpp"

using namespace netlab;

const server::ModelInfo kModelInfo{
    .name = "thread_pool",
    .transport = server::Transport::kTcp,
    .summary = "Fixed pool of worker threads fed by a bounded connection queue.",
    .default_workers = 16,
    .uses_queue = true,
};

namespace {

// The hand-off between the accepting thread and the workers.
// A connection waiting for a worker, and when it was accepted: its header clock runs from then.
struct Accepted {
  core::Fd conn;
  server::RequestTimer::Clock::time_point at;
};

class ConnectionQueue {
 public:
  explicit ConnectionQueue(size_t capacity) : capacity_(capacity) {}

  // False when full: the caller refuses the connection.
  bool try_push(core::Fd& conn) {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) {
      return false;
    }
    queue_.push_back({std::move(conn), server::RequestTimer::now()});
    ready_.notify_one();
    return true;
  }

  // Blocks for the next connection; an invalid Fd once closed.
  Accepted pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !queue_.empty(); });
    if (closed_) {
      return {};
    }
    Accepted next = std::move(queue_.front());
    queue_.pop_front();
    return next;
  }

  // Wakes every worker; connections still queued are closed unserved.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    queue_.clear();
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Accepted> queue_;
  size_t capacity_;
  bool closed_ = false;
};

}  // namespace

int serve(server::ServerContext& ctx) {
  core::ShutdownOnStop wake_accept(ctx.listener());
  ConnectionQueue queue(static_cast<size_t>(ctx.options().queue));
  server::ConnectionSet live;
  std::vector<std::thread> workers;
  for (int i = 0; i < ctx.options().workers; ++i) {
    workers.emplace_back([&] {
      for (;;) {
        auto [conn, accepted_at] = queue.pop();
        if (!conn || !live.try_add(conn.get(), SIZE_MAX)) {
          break;  // stopping
        }
        auto session = ctx.sessions()();
        server::serve_blocking_connection(conn.get(), *session, ctx.options(), accepted_at);
        live.remove(conn.get());  // before the close, so a stop never shuts a recycled fd
      }
    });
  }
  server::Acceptor acceptor(ctx, ctx.listener(), server::AcceptMode::kBlocking);
  while (core::Fd conn = acceptor.next()) {
    if (!queue.try_push(conn)) {
      server::refuse(ctx, std::move(conn), "queue full");
    }
  }
  queue.close();
  live.shutdown_all();
  for (auto& worker : workers) {
    worker.join();
  }
  return 0;
}
