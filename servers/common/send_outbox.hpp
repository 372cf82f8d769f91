// Writing a session's Outbox to a socket: bytes with send(), file ranges with sendfile().
// Works on blocking and non-blocking sockets alike; every model uses it.
#pragma once

#include "core/proto/outbox.hpp"

namespace netlab::server {

enum class SendResult {
  kDone,        // the outbox is empty
  kWouldBlock,  // the socket buffer is full (non-blocking socket): wait for writability
  kError,       // the peer is gone or the file failed; errno says why
};

SendResult send_outbox(int fd, proto::Outbox& out);

}  // namespace netlab::server
