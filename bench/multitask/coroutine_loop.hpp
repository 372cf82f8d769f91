// CoroutineLoop: the smallest C++20 coroutine runtime that can wait for I/O. One thread, one epoll
// instance; `co_await loop.readable(fd)` parks the coroutine until fd is readable, and run() resumes
// parked coroutines as epoll reports their descriptors. Thousands of waits overlap in one thread at
// the cost of a few hundred bytes of coroutine frame each, where threads need a stack and a kernel
// task each. Like every event loop, a coroutine that computes instead of waiting stalls all others.
// Thread contract: single-threaded; create, await and run on one thread.
#pragma once

#include <coroutine>

#include "core/net/fd.hpp"
#include "servers/event/detached_task.hpp"

namespace netlab::bench {

// A coroutine that starts at once and frees itself when it finishes (the server's type).
using Detached = server::DetachedTask;

class CoroutineLoop {
 public:
  CoroutineLoop();

  struct Readable {
    CoroutineLoop& loop;
    int fd;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> waiter);
    void await_resume() const noexcept {}
  };
  // Awaitable: resumes the awaiting coroutine once `fd` is readable (one-shot).
  Readable readable(int fd) { return {*this, fd}; }

  // Resumes coroutines as their descriptors become readable, until none is waiting.
  void run();

 private:
  core::Fd epoll_;
  int waiting_ = 0;
};

}  // namespace netlab::bench
