// HttpResponseParser: the client side of HTTP/1.1 for the load generator. A byte-at-a-time state
// machine over a stream of responses (keep-alive, pipelined), so it never buffers: it checks the
// status line, finds Content-Length, Transfer-Encoding and "Connection: close" in the headers, and
// counts the body: Content-Length bytes, or chunked framing (chunk sizes, extensions, trailers;
// nginx answers that way when a filter changes the body). A response framed by neither (closed-
// delimited) is reported as bad: a load generator cannot tell its end from a server that died.
// The server side lives in core/proto/http.
#pragma once

#include <cstddef>
#include <cstdint>

namespace netlab::loadgen {

class HttpResponseParser {
 public:
  enum class Result { kNeedMore, kComplete, kBad };
  static constexpr size_t kMaxHeaderBytes = 16 * 1024;

  // Consumes bytes from `data`; stops after one complete response. `consumed` says how many bytes
  // were used. After kComplete, status() and close_after() describe it and the parser is ready for
  // the next response; after kBad, error() says why and the connection should be dropped.
  Result feed(const char* data, size_t len, size_t& consumed);
  int status() const { return done_status_; }
  bool close_after() const { return done_close_; }
  const char* error() const { return error_; }
  void reset();

 private:
  enum class State : uint8_t {
    kStatus, kLineStart, kName, kValue, kHeadersLf, kBody,
    // chunked: size line, its extension, the CRLF after a chunk's data, the trailer section
    kChunkSize, kChunkExtension, kChunkSizeLf, kChunkData, kChunkDataEnd, kTrailerStart, kTrailer,
  };
  static constexpr uint32_t kMaxChunkLine = 4096;
  Result bad(const char* why);
  Result finish();
  void finish_header();
  Result end_of_headers();
  Result chunk_byte(char c);

  State state_ = State::kStatus;
  uint32_t pos_ = 0;  // position in the status line or header name
  uint32_t header_bytes_ = 0;
  int status_ = 0;
  int64_t content_length_ = -1;
  uint64_t body_left_ = 0;
  bool close_after_ = false;
  bool chunked_ = false;            // Transfer-Encoding ends in "chunked"
  bool other_coding_ = false;       // Transfer-Encoding without "chunked" last: cannot be framed
  uint32_t chunk_digits_ = 0;       // hex digits of the current chunk size
  uint32_t line_bytes_ = 0;         // bytes of the current chunk size line
  bool in_content_length_ = false, in_connection_ = false, in_transfer_encoding_ = false;
  bool name_ok_ = false;   // the header name read so far still matches one we care about
  uint8_t name_len_ = 0;
  char name_[20] = {};
  char value_[8] = {};     // first bytes of a Connection value, lower case
  uint8_t value_len_ = 0;
  char coding_[8] = {};    // Transfer-Encoding: the last 7 non-blank bytes, lower case
  const char* error_ = "";
  int done_status_ = 0;  // of the last complete response
  bool done_close_ = false;
};

}  // namespace netlab::loadgen
