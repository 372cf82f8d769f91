#include "loadgen/clients/http_response_parser.hpp"

#include <cstring>

namespace netlab::loadgen {
namespace {

constexpr char kPrefix[] = "HTTP/1.";
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

void HttpResponseParser::reset() { *this = HttpResponseParser{}; }

// Keeps what the caller asks about, then starts over for the next response on the stream.
HttpResponseParser::Result HttpResponseParser::finish() {
  int status = status_;
  bool close = close_after_;
  reset();
  done_status_ = status;
  done_close_ = close;
  return Result::kComplete;
}

HttpResponseParser::Result HttpResponseParser::bad(const char* why) {
  error_ = why;
  return Result::kBad;
}

// Called at the end of each header line: only the name decides what the value meant.
void HttpResponseParser::finish_header() {
  if (in_connection_ && value_len_ == 5 && std::memcmp(value_, "close", 5) == 0) close_after_ = true;
  if (in_transfer_encoding_) {
    // The last coding decides the framing: "gzip, chunked" is chunked, "chunked, gzip" is not.
    chunked_ = std::memcmp(coding_, "chunked", 7) == 0;
    other_coding_ = !chunked_;
    std::memset(coding_, 0, sizeof coding_);
  }
  in_content_length_ = in_connection_ = in_transfer_encoding_ = false;
  name_len_ = value_len_ = 0;
}

HttpResponseParser::Result HttpResponseParser::end_of_headers() {
  bool no_body = status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200);
  if (no_body) return finish();
  if (other_coding_) return bad("Transfer-Encoding without chunked last: no framing to follow");
  if (chunked_) {
    // RFC 9112 6.3: both is how requests get smuggled; a server under test should not send it.
    if (content_length_ >= 0) return bad("both Content-Length and Transfer-Encoding");
    state_ = State::kChunkSize;
    return Result::kNeedMore;
  }
  if (content_length_ < 0) return bad("response without Content-Length or chunked framing");
  body_left_ = static_cast<uint64_t>(content_length_);
  state_ = State::kBody;
  return body_left_ == 0 ? finish() : Result::kNeedMore;
}

// One byte of chunked framing (the data itself is counted in bulk by feed()).
HttpResponseParser::Result HttpResponseParser::chunk_byte(char c) {
  if ((state_ == State::kChunkSize || state_ == State::kChunkExtension) && ++line_bytes_ > kMaxChunkLine) {
    return bad("chunk size line over 4 KiB");
  }
  switch (state_) {
    case State::kChunkSize: {
      int v = (c >= '0' && c <= '9') ? c - '0' : (lower(c) >= 'a' && lower(c) <= 'f') ? lower(c) - 'a' + 10 : -1;
      if (v >= 0) {
        if (body_left_ > (uint64_t{1} << 40)) return bad("chunk size over 1 TiB");
        body_left_ = body_left_ * 16 + static_cast<uint64_t>(v);
        ++chunk_digits_;
        return Result::kNeedMore;
      }
      if (chunk_digits_ == 0) return bad("malformed chunk size");
      if (c == ';' || c == ' ' || c == '\t') {
        state_ = State::kChunkExtension;
        return Result::kNeedMore;
      }
      if (c == '\r') {
        state_ = State::kChunkSizeLf;
        return Result::kNeedMore;
      }
      if (c != '\n') return bad("malformed chunk size");
      break;  // a bare LF ends the size line too
    }
    case State::kChunkExtension:
      if (c != '\n') return Result::kNeedMore;
      break;
    case State::kChunkSizeLf:
      if (c != '\n') return bad("malformed chunk size line");
      break;
    case State::kChunkDataEnd:
      if (c == '\r' && pos_ == 0) {
        pos_ = 1;
        return Result::kNeedMore;
      }
      if (c != '\n') return bad("chunk data not followed by CRLF");
      state_ = State::kChunkSize;
      chunk_digits_ = 0;
      return Result::kNeedMore;
    case State::kTrailerStart:
      if (c == '\r' && pos_ == 0) {
        pos_ = 1;
        return Result::kNeedMore;
      }
      if (c == '\n') return finish();
      if (pos_ == 1) return bad("malformed end of trailers");
      state_ = State::kTrailer;
      return Result::kNeedMore;
    case State::kTrailer:
      if (c == '\n') {
        state_ = State::kTrailerStart;
        pos_ = 0;
      }
      return Result::kNeedMore;
    default:
      return bad("internal: not in chunked framing");
  }
  // The end of a chunk size line: data follows, or the zero-size last chunk and the trailers.
  line_bytes_ = 0;
  pos_ = 0;
  state_ = body_left_ > 0 ? State::kChunkData : State::kTrailerStart;
  return Result::kNeedMore;
}

HttpResponseParser::Result HttpResponseParser::feed(const char* data, size_t len, size_t& consumed) {
  size_t i = 0;
  while (i < len) {
    if (state_ == State::kBody || state_ == State::kChunkData) {
      size_t take = body_left_ < len - i ? static_cast<size_t>(body_left_) : len - i;
      body_left_ -= take;
      i += take;
      if (body_left_ > 0) continue;
      if (state_ == State::kBody) break;
      state_ = State::kChunkDataEnd;
      pos_ = 0;
      continue;
    }
    char c = data[i++];
    if (state_ >= State::kChunkSize && state_ != State::kTrailerStart && state_ != State::kTrailer) {
      Result r = chunk_byte(c);
      if (r != Result::kNeedMore) return consumed = i, r;
      continue;
    }
    // Headers and trailers share the 16 KiB limit.
    if (++header_bytes_ > kMaxHeaderBytes) return consumed = i, bad("response headers over 16 KiB");
    if (state_ == State::kTrailerStart || state_ == State::kTrailer) {
      Result r = chunk_byte(c);
      if (r != Result::kNeedMore) return consumed = i, r;
      continue;
    }
    switch (state_) {
      case State::kStatus:
        if (pos_ < 7) {
          if (c != kPrefix[pos_]) return consumed = i, bad("status line does not start with HTTP/1.");
        } else if (pos_ == 7) {
          if (c != '0' && c != '1') return consumed = i, bad("unsupported HTTP version");
        } else if (pos_ == 8) {
          if (c != ' ') return consumed = i, bad("malformed status line");
        } else if (pos_ <= 11) {
          if (c < '0' || c > '9') return consumed = i, bad("malformed status code");
          status_ = status_ * 10 + (c - '0');
        } else if (c == '\n') {
          state_ = State::kLineStart;
        }
        ++pos_;
        break;
      case State::kLineStart:
        if (c == '\r') {
          state_ = State::kHeadersLf;
        } else if (c == '\n') {
          --i;  // handled as the blank line below
          state_ = State::kHeadersLf;
        } else {
          state_ = State::kName;
          name_len_ = 0;
          name_ok_ = true;
          --i;
          --header_bytes_;
        }
        break;
      case State::kName:
        if (c == ':') {
          name_[name_len_ < sizeof name_ ? name_len_ : sizeof name_ - 1] = '\0';
          in_content_length_ = name_ok_ && std::strcmp(name_, "content-length") == 0;
          in_connection_ = name_ok_ && std::strcmp(name_, "connection") == 0;
          in_transfer_encoding_ = name_ok_ && std::strcmp(name_, "transfer-encoding") == 0;
          if (in_content_length_) {
            if (content_length_ >= 0) return consumed = i, bad("two Content-Length headers");
            content_length_ = 0;
          }
          state_ = State::kValue;
        } else if (c == '\n') {
          return consumed = i, bad("header line without a colon");
        } else if (name_len_ + 1u < sizeof name_) {
          name_[name_len_++] = lower(c);
        } else {
          name_ok_ = false;  // longer than any name we look for
        }
        break;
      case State::kValue:
        if (c == '\n') {
          finish_header();
          state_ = State::kLineStart;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          // optional whitespace
        } else if (in_content_length_) {
          if (c < '0' || c > '9' || content_length_ > (int64_t{1} << 40)) {
            return consumed = i, bad("bad Content-Length");
          }
          content_length_ = content_length_ * 10 + (c - '0');
        } else if (in_connection_ && value_len_ < sizeof value_) {
          value_[value_len_++] = lower(c);
        } else if (in_transfer_encoding_) {
          std::memmove(coding_, coding_ + 1, 6);
          coding_[6] = lower(c);
        }
        break;
      case State::kHeadersLf: {
        if (c != '\n') return consumed = i, bad("malformed end of headers");
        Result r = end_of_headers();
        if (r != Result::kNeedMore) return consumed = i, r;
        break;
      }
      default:
        break;  // body and chunked states are handled above
    }
  }
  consumed = i;
  if (state_ == State::kBody && body_left_ == 0) {
    return finish();
  }
  return Result::kNeedMore;
}

}  // namespace netlab::loadgen
