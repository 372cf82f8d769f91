// Starting many threads: std::thread cannot choose a stack size, and the default 8 MiB stack (most
// of it never touched, but mapped) limits how many connection threads fit. The blocking models
// need at most a 16 KiB read buffer plus a session on the stack.
#pragma once

#include <functional>

namespace netlab::server {

constexpr size_t kConnectionThreadStack = 256 * 1024;

// Starts a detached thread running `body`. False (with errno) when the system refuses a thread.
bool start_detached_thread(std::function<void()> body, size_t stack_bytes = kConnectionThreadStack);

}  // namespace netlab::server
