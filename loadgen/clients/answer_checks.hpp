// Answer checkers: each protocol's verification of what a server sends back, apart from the
// sockets and the loop. A stream checker consumes bytes up to the end of one answer at most and
// says what it saw, as a small enum the caller switches on; the caller owns the bookkeeping
// (which request was answered, when, what to send next).
//
// Thread contract: one checker per connection, on its worker's thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "loadgen/clients/http_response_parser.hpp"

namespace netlab::loadgen {

enum class Answer : uint8_t {
  kMore,              // all bytes used, the answer is not complete yet
  kAnswered,          // one answer is complete; bytes may be left for the next one
  kAnsweredThenClose, // complete, and the server closes the connection after it (HTTP)
  kBad,               // not a valid answer: drop the connection
};

// Echo: the answer is the request's bytes, in order.
class EchoCheck {
 public:
  Answer feed(std::string_view request, const char* data, size_t len, size_t& used) {
    size_t take = std::min(len, request.size() - offset_);
    used = take;
    if (std::memcmp(data, request.data() + offset_, take) != 0) return Answer::kBad;
    offset_ += static_cast<uint32_t>(take);
    if (offset_ < request.size()) return Answer::kMore;
    offset_ = 0;
    return Answer::kAnswered;
  }
  // Part of an answer has arrived.
  bool partial() const { return offset_ > 0; }
  void reset() { offset_ = 0; }
  static const char* bad_reason() { return "echo: answer differs from the request"; }

 private:
  uint32_t offset_ = 0;
};

// HTTP/1.1: a well-framed response (http_response_parser.hpp); the status is the caller's to judge.
class HttpCheck {
 public:
  Answer feed(const char* data, size_t len, size_t& used) {
    switch (parser_.feed(data, len, used)) {
      case HttpResponseParser::Result::kNeedMore: return Answer::kMore;
      case HttpResponseParser::Result::kBad: return Answer::kBad;
      case HttpResponseParser::Result::kComplete: break;
    }
    return parser_.close_after() ? Answer::kAnsweredThenClose : Answer::kAnswered;
  }
  // Of the last complete response.
  int status() const { return parser_.status(); }
  bool success() const { return status() >= 200 && status() < 300; }
  const char* bad_reason() const { return parser_.error(); }
  void reset() { parser_.reset(); }

 private:
  HttpResponseParser parser_;
};

// UDP echo: a datagram carries its sequence number in 16 hex digits, then the payload pattern; the
// answer must be the same bytes. Answers may come in any order, so the number says which it is.
class DatagramCheck {
 public:
  static constexpr size_t kSeqDigits = 16;

  // Writes request `seq` into `out` (request.size() bytes).
  static void write(std::string_view request, uint64_t seq, char* out) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (size_t i = kSeqDigits; i-- > 0; seq >>= 4) out[i] = kHex[seq & 15];
    std::memcpy(out + kSeqDigits, request.data() + kSeqDigits, request.size() - kSeqDigits);
  }

  // True when `data` is request `seq` for some seq below `sent` (the numbers handed out so far).
  static bool read(std::string_view request, const char* data, size_t len, uint64_t sent, uint64_t& seq) {
    if (len != request.size()) return false;
    seq = 0;
    for (size_t i = 0; i < kSeqDigits; ++i) {
      char c = data[i];
      int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
      if (v < 0) return false;
      seq = seq << 4 | static_cast<uint64_t>(v);
    }
    return std::memcmp(data + kSeqDigits, request.data() + kSeqDigits, len - kSeqDigits) == 0 && seq < sent;
  }
  static const char* bad_reason() { return "udp: answer differs from every request sent"; }
};

}  // namespace netlab::loadgen
