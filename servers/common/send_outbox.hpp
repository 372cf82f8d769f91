// Writing a session's Outbox to a socket: bytes with send(), file ranges with sendfile().
// Works on blocking and non-blocking sockets alike; every readiness and blocking model uses it.
// A completion-based model (io_uring) instead copies the front bytes out with copy_front.
#pragma once

#include <sys/types.h>

#include <span>

#include "core/proto/outbox.hpp"

namespace netlab::server {

enum class SendResult {
  kDone,        // the outbox is empty
  kWouldBlock,  // the socket buffer is full (non-blocking socket): wait for writability
  kError,       // the peer is gone or the file failed; errno says why
};

SendResult send_outbox(int fd, proto::Outbox& out);

// Copies the start of the Outbox's front chunk into `buf` (up to buf.size() bytes; a file range is
// read with pread), for a send that must not point into the Outbox: io_uring's send is in flight
// while the session appends, and an append may reallocate. Consume what the send took. Returns the
// bytes copied, 0 when a file range cannot be read any more (the file shrank: its promised length
// cannot be sent), or -1 with errno set. The Outbox must not be empty.
ssize_t copy_front(const proto::Outbox& out, std::span<char> buf);

}  // namespace netlab::server
