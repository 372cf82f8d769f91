// ReadSplitter: how a stream target cuts its input into the reads a socket would deliver.
//
// The first input byte is a control byte, the rest is the stream. The control byte chooses the cut:
// 0 one read with everything, 1 one byte per read, otherwise reads of 1..N bytes from a small
// pseudo-random sequence seeded by it (N grows with the byte, up to 505). The same sequence says
// how many queued bytes the "socket" takes between reads, so replies are drained in odd pieces too.
// Targets may also read option bits from control(). Seeds in corpus/ start with a printable control
// byte so they stay readable: '0' (0x30) is a pseudo-random cut of reads up to 97 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace netlab::fuzz {

class ReadSplitter {
 public:
  ReadSplitter(const uint8_t* data, size_t size)
      : control_(size > 0 ? data[0] : 0),
        rest_(size > 0 ? std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1) : std::string_view()),
        stream_(rest_),
        state_(0x9E3779B9u ^ control_) {}

  uint8_t control() const { return control_; }
  // Everything after the control byte, as one piece.
  std::string_view stream() const { return stream_; }

  bool done() const { return rest_.empty(); }
  // The next read: never empty while !done().
  std::string_view next() {
    size_t n = rest_.size();
    if (control_ == 1) {
      n = 1;
    } else if (control_ != 0) {
      n = 1 + random() % (1 + static_cast<size_t>(control_ >> 2) * 8);
    }
    n = n < rest_.size() ? n : rest_.size();
    std::string_view read = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return read;
  }
  // How many queued bytes to take off an Outbox before the next read (the socket's free space).
  uint64_t drain_budget() { return control_ <= 1 ? UINT64_MAX : random() % 600; }

 private:
  // xorshift32: deterministic, so a saved crash input replays the same cuts.
  size_t random() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

  uint8_t control_;
  std::string_view rest_;
  std::string_view stream_;
  uint32_t state_;
};

}  // namespace netlab::fuzz
