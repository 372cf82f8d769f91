// Outbox: what a protocol session wants sent, in order: bytes and file ranges.
//
// A session only appends; the model that owns the socket drains it (write/send for bytes,
// sendfile for file ranges) and, when it cannot write everything at once, keeps the rest here with
// write interest.
//
// Flow control, so that a client that pipelines requests and never reads cannot make the server
// hold unbounded memory or one open file per queued reply:
//   - the model stops reading a connection while its outbox is full() (more than kMaxBytes queued,
//     or kMaxFiles open files waiting to be sent);
//   - a session stops taking further requests from input it already has once the outbox is full,
//     keeps that input unparsed and says so with set_input_held(true);
//   - once the outbox is no longer full, the model calls the session's on_bytes({}) to go on, before
//     it reads more.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/fd.hpp"

namespace netlab::proto {

struct FileRange {
  std::shared_ptr<const core::Fd> file;  // shared: one open file may back several pipelined replies
  uint64_t offset = 0;
  uint64_t length = 0;
};

class Outbox {
 public:
  struct Chunk {
    std::string bytes;  // used when !is_file
    FileRange range;    // used when is_file
    bool is_file = false;
  };

  static constexpr uint64_t kMaxBytes = 256 * 1024;
  static constexpr size_t kMaxFiles = 8;

  void write(std::string_view bytes);
  void send_file(FileRange range);
  // Closes the connection once everything queued before this call is sent.
  void close_after_send() { close_after_ = true; }

  bool empty() const { return pending_ == 0; }
  uint64_t pending_bytes() const { return pending_; }
  // Open files queued (file ranges not yet sent).
  size_t pending_files() const { return files_; }
  bool full() const { return pending_ > kMaxBytes || files_ >= kMaxFiles; }
  // The session kept complete requests back because the outbox was full (see above).
  bool input_held() const { return input_held_; }
  void set_input_held(bool held) { input_held_ = held; }
  bool wants_close() const { return close_after_; }

  // For the model draining it: the first chunk, and how much of it was sent.
  const Chunk& front() const { return chunks_[head_]; }
  // Marks n bytes of the front chunk sent (bytes or file range alike).
  void consume(uint64_t n);
  // The unsent part of the front byte chunk.
  std::string_view front_bytes() const;

 private:
  void pop_front();

  // A vector with a head index, not a deque: a deque frees and allocates a node every few
  // requests as it advances, while this one is cleared (capacity kept) each time it drains.
  std::vector<Chunk> chunks_;
  size_t head_ = 0;        // the first unsent chunk
  std::string spare_;      // a drained byte buffer kept for reuse
  size_t front_sent_ = 0;  // bytes of the front byte chunk already sent
  uint64_t pending_ = 0;
  size_t files_ = 0;
  bool close_after_ = false;
  bool input_held_ = false;
};

}  // namespace netlab::proto
