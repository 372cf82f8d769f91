// A minimal blocking HTTP/1.1 client for tests: send raw bytes, read one response (head parsed,
// body by Content-Length), and find real client tools (curl, ab, wrk, h2load) on PATH.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace netlab::test {

struct HttpResponse {
  int status = 0;      // 0: no (complete) response head arrived
  std::string head;    // status line and headers, blank line included
  std::string body;    // kept unless a body sink was given
  uint64_t content_length = 0;
  bool complete = false;  // the whole body arrived
  // Value of header `name` (case-insensitive), empty when absent.
  std::string header(std::string_view name) const;
};

// Reads responses one after another from a connection (keeps bytes of pipelined replies that
// arrived early). Does not own the fd.
class HttpReader {
 public:
  explicit HttpReader(int fd) : fd_(fd) {}
  // `head_only`: the request was HEAD. When `sink` is set, body bytes go there in pieces instead
  // of into `body` (for bodies too big to hold).
  HttpResponse next(bool head_only = false, const std::function<void(std::string_view)>& sink = nullptr);

 private:
  int fd_;
  std::string buf_;
};

// The absolute path of `tool` on PATH, or "" when it is not installed.
std::string find_tool(const std::string& tool);

}  // namespace netlab::test
