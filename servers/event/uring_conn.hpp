// The state of one io_uring connection (servers/models/io_uring.cpp): its socket, session and
// Outbox, the buffers in-flight operations point into, and which operations are in flight. The
// model frees a Conn only once no recv or send references it any more.
//
// Thread contract: owned and used by the loop thread alone.
// Its own namespace: the op names (kAccept, kRecv, ...) are short and the model uses them bare.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/net/fd.hpp"
#include "core/proto/outbox.hpp"
#include "core/proto/session.hpp"
#include "servers/common/request_timer.hpp"
#include "servers/event/uring_ring.hpp"

namespace netlab::server::uring {

// What a completion is for: the op field of its UringTag.
enum Op : uint8_t { kAccept = 1, kRecv, kSend, kStop, kAcceptRetry, kIgnore };

struct Conn {
  explicit Conn(const ServerOptions& options) : timer(options) {}

  core::Fd fd;
  uint32_t gen;
  std::unique_ptr<proto::Session> session;
  proto::Outbox out;
  std::vector<char> send_buf;  // what the in-flight send reads: the Outbox may reallocate meanwhile
  std::vector<char> own_buf;   // recv buffer, only without a buffer ring
  std::chrono::steady_clock::time_point send_since{};
  RequestTimer timer;  // header and idle deadlines
  bool recv_armed = false;
  bool send_inflight = false;
  bool reading_over = false;  // peer closed or the session asked to close
  bool paused = false;        // outbox full (Outbox flow control): recv not re-armed
  bool eof_held = false;      // the peer closed while requests were held back: tell the session after them
  bool closing = false;

  UringTag tag(Op op) const { return {op, gen, fd.get()}; }
};

}  // namespace netlab::server::uring
