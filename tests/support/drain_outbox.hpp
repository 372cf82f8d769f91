// For protocol unit tests: everything a session queued, as the bytes a socket would carry (file
// ranges read from their files), leaving the Outbox empty.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "core/proto/outbox.hpp"
#include "core/proto/session.hpp"

namespace netlab::test {

inline std::string drain_outbox(proto::Outbox& out) {
  std::string all;
  while (!out.empty()) {
    const auto& chunk = out.front();
    if (chunk.is_file) {
      std::string part(chunk.range.length, '\0');
      ssize_t n = ::pread(chunk.range.file->get(), part.data(), part.size(), static_cast<off_t>(chunk.range.offset));
      EXPECT_EQ(n, static_cast<ssize_t>(part.size())) << "a queued file range could not be read in full";
      all += part;
      out.consume(chunk.range.length);
    } else {
      auto bytes = out.front_bytes();
      all.append(bytes);
      out.consume(bytes.size());
    }
  }
  return all;
}

// What a model does with one read: feeds `input` to the session, sends (here: drains) what it
// queued and, while the session held requests back because the outbox was full, lets it go on
// with on_bytes({}). Returns every byte the replies carry.
inline std::string feed_and_drain(proto::Session& session, std::string_view input, proto::Outbox& out) {
  session.on_bytes(input, out);
  std::string all = drain_outbox(out);
  while (out.input_held() && !out.wants_close()) {
    session.on_bytes({}, out);
    all += drain_outbox(out);
  }
  return all;
}

}  // namespace netlab::test
