// Blocking test clients that speak the echo protocol and check every byte.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

#include "core/net/address.hpp"
#include "core/net/fd.hpp"

namespace netlab::test {

// Connects (blocking, TCP_NODELAY) with a receive timeout so a broken server fails a test
// instead of hanging it. Generous: a client of the iterative server waits for every client
// before it, which under TSan on two loaded cores takes tens of seconds.
core::Fd connect_with_timeout(const core::Address& addr, std::chrono::milliseconds timeout = std::chrono::seconds(90));
// A client that means never to read: its receive buffer is set small (`receive_buffer` bytes)
// before the handshake, so the window the server sees is small from the start and closes once
// full. Set after connect instead, the window already offered lets the kernel prune and collapse
// its queue and open the window a little now and then: the server's sends then progress and a
// send timeout may never fire (a CI flake of the never-reading-client test under ASan).
// Reads and writes time out after 2 s.
core::Fd connect_never_reading(const core::Address& addr, int receive_buffer = 4096);
// Reads until `count` bytes arrived; returns what arrived (shorter on EOF, error or timeout).
// read(2) that retries EINTR. Not only signals cause it: on this machine's kernel (6.18) a blocking
// socket read with SO_RCVTIMEO set returned EINTR although the test process has no signal handler,
// while an io_uring server worked on the other end; treating that as end of stream failed the
// io_uring never-reading-client test most runs. Every test client reads through this.
ssize_t read_retrying(int fd, char* buf, size_t len);
std::string read_exactly(int fd, size_t count);
// Reads one line, newline included; shorter without newline on EOF/timeout.
std::string read_line(int fd);
// True when the peer closed (read returns 0) within the socket's timeout.
bool peer_closed(int fd);

// A line of `size` printable bytes (no newline), deterministic for a seed.
std::string make_line(size_t size, unsigned seed);

}  // namespace netlab::test
