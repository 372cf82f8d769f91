// The HTTP/1.1 request head parser and target decoder used by HttpSession: pure functions over
// bytes, no allocation. Strict where leniency would be a hazard (obsolete line folding, spaces
// before the colon, conflicting Content-Length, control bytes), lenient where the RFC asks for it
// (bare LF line ends, empty lines before the request line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace netlab::proto {

struct HttpRequest {
  std::string_view method;
  std::string_view target;
  int minor = 1;                // HTTP/1.<minor>
  bool keep_alive = true;       // after applying the version's default and Connection
  bool keep_alive_asked = false;  // "Connection: keep-alive" was sent (HTTP/1.0 echoes it)
  bool has_transfer_encoding = false;
  uint64_t content_length = 0;
};

enum class HttpParse {
  kOk,
  kIncomplete,       // need more bytes
  kBad,              // 400
  kUriTooLong,       // 414: no end of the request line within the limit
  kHeadTooLarge,     // 431
  kBadVersion,       // 505: well-formed HTTP/x.y other than 1.0 and 1.1
};

// Parses one request head at the start of `data`. On kOk, `head_len` is its length including the
// blank line; `req` views point into `data`. Heads longer than `max_head` are refused.
HttpParse parse_http_request(std::string_view data, size_t max_head, HttpRequest& req, size_t& head_len);

enum class HttpTarget {
  kOk,
  kBad,        // not origin- or absolute-form, bad %-escape, NUL, encoded '/' or '\\'
  kForbidden,  // a ".." segment (also when %-encoded)
};

// Turns a request target into a path relative to the document root: query dropped, %-escapes
// decoded, "." and empty segments dropped, no leading '/'. "/" gives "". `trailing_slash` tells
// whether the target named a directory explicitly.
HttpTarget decode_http_target(std::string_view target, std::string& path, bool& trailing_slash);

}  // namespace netlab::proto
