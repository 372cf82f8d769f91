// What a model does with a session's Outbox, minus the socket: takes up to `budget` bytes off it
// in order, file ranges read with pread as sendfile would, and appends them to `sent`.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/proto/outbox.hpp"
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

}  // namespace netlab::fuzz
