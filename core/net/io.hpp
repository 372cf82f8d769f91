// Blocking I/O helpers for the blocking server models and for tests.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace netlab::core {

// Writes all of `data`, retrying short writes and EINTR (unless a stop was requested).
// Returns false on error with errno set (EPIPE and ECONNRESET when the peer went away).
bool write_all(int fd, std::string_view data);
// One read(); EINTR is retried unless a stop was requested. Returns what read() returns.
ssize_t read_some(int fd, char* buf, size_t len);

}  // namespace netlab::core
