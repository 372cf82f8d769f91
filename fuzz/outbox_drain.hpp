// What a model does with a session and its Outbox, minus the socket: feed() hands it a read,
// drain_outbox() sends (file ranges read with pread as sendfile would), settle() follows the
// Outbox's flow control before the next read. They check the session's side of that bargain.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/proto/outbox.hpp"
#include "core/proto/session.hpp"
#include "fuzz/fuzz_check.hpp"

namespace netlab::fuzz {

inline void drain_outbox(proto::Outbox& out, std::string& sent, uint64_t budget = UINT64_MAX) {
  while (!out.empty() && budget > 0) {
    const auto& chunk = out.front();
    if (chunk.is_file) {
      size_t n = static_cast<size_t>(std::min(budget, chunk.range.length));
      std::string part(n, '\0');
      ssize_t got = ::pread(chunk.range.file->get(), part.data(), n, static_cast<off_t>(chunk.range.offset));
      // The session promised this many bytes: the file must still hold them.
      FUZZ_CHECK(got == static_cast<ssize_t>(n));
      sent += part;
      out.consume(n);
      budget -= n;
    } else {
      std::string_view bytes = out.front_bytes();
      FUZZ_CHECK(!bytes.empty());  // an empty byte chunk would make a model spin
      size_t n = static_cast<size_t>(std::min<uint64_t>(budget, bytes.size()));
      sent.append(bytes.substr(0, n));
      out.consume(n);
      budget -= n;
    }
  }
}

// One read for the session: it may hold input back only because the outbox is full, and never
// queues more open files than the flow control allows (issue 13: a client that pipelines and never
// reads must not make the server hold a descriptor per request).
inline void feed(proto::Session& session, std::string_view read, proto::Outbox& out) {
  session.on_bytes(read, out);
  FUZZ_CHECK(!out.input_held() || out.full() || out.wants_close());
  FUZZ_CHECK(out.pending_files() <= proto::Outbox::kMaxFiles);
}

// Before the model reads again: while the outbox is full it only sends (`budget()` bytes at a
// time, at least one), then lets a session that held input back go on with on_bytes({}).
template <typename Budget>
void settle(proto::Session& session, proto::Outbox& out, std::string& sent, Budget budget) {
  while (!out.wants_close()) {
    if (out.full()) {
      drain_outbox(out, sent, std::max<uint64_t>(budget(), 1));
    } else if (out.input_held()) {
      feed(session, {}, out);
    } else {
      return;
    }
  }
}

}  // namespace netlab::fuzz
