#include "loadgen/http_response_parser.hpp"

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
  in_content_length_ = in_connection_ = in_transfer_encoding_ = false;
  name_len_ = value_len_ = 0;
}

HttpResponseParser::Result HttpResponseParser::feed(const char* data, size_t len, size_t& consumed) {
  size_t i = 0;
  while (i < len) {
    if (state_ == State::kBody) {
      size_t take = body_left_ < len - i ? static_cast<size_t>(body_left_) : len - i;
      body_left_ -= take;
      i += take;
      if (body_left_ == 0) break;
      continue;
    }
    char c = data[i++];
    if (++header_bytes_ > kMaxHeaderBytes) return consumed = i, bad("response headers over 16 KiB");
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
          if (in_transfer_encoding_) return consumed = i, bad("Transfer-Encoding is not supported, need Content-Length");
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
        }
        break;
      case State::kHeadersLf:
        if (c != '\n') return consumed = i, bad("malformed end of headers");
        if (content_length_ < 0) {
          bool no_body = status_ == 204 || status_ == 304 || (status_ >= 100 && status_ < 200);
          if (!no_body) return consumed = i, bad("response without Content-Length");
          content_length_ = 0;
        }
        body_left_ = static_cast<uint64_t>(content_length_);
        state_ = State::kBody;
        if (body_left_ == 0) {
          consumed = i;
          return finish();
        }
        break;
      case State::kBody:
        break;
    }
  }
  consumed = i;
  if (state_ == State::kBody && body_left_ == 0) {
    return finish();
  }
  return Result::kNeedMore;
}

}  // namespace netlab::loadgen
