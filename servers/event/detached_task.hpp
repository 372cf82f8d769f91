// DetachedTask: the return type of a fire-and-forget C++20 coroutine. It starts at once, runs until
// its first co_await, and frees its own frame when it finishes; nobody awaits it and nobody holds a
// handle to it, so whatever resumes it (an event loop) must not touch the handle after the final
// resume. Exceptions must be caught inside: one escaping the coroutine ends the process.
//
// Shared by the server's CoroLoop (servers/event/coro_loop.hpp) and bench/multitask's
// CoroutineLoop; it depends on nothing, so bench may include it while servers never include bench.
#pragma once

#include <coroutine>
#include <exception>

namespace netlab::server {

struct DetachedTask {
  struct promise_type {
    DetachedTask get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

}  // namespace netlab::server
