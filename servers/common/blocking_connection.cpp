#include "servers/common/blocking_connection.hpp"

#include "core/net/io.hpp"
#include "servers/common/send_outbox.hpp"

namespace netlab::server {

void serve_blocking_connection(int fd, proto::Session& session) {
  proto::Outbox out;
  char buf[16384];
  for (;;) {
    ssize_t n = core::read_some(fd, buf, sizeof buf);
    if (n < 0) {
      return;  // reset, or a stop interrupted the read
    }
    if (n == 0) {
      session.on_peer_closed(out);
      send_outbox(fd, out);  // a last reply to a half-closed peer, if the protocol has one
      return;
    }
    session.on_bytes({buf, static_cast<size_t>(n)}, out);
    if (send_outbox(fd, out) != SendResult::kDone || out.wants_close()) {
      return;
    }
  }
}

}  // namespace netlab::server
