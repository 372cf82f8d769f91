#include "tests/support/http_client.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "tests/support/line_client.hpp"

namespace netlab::test {
std::string HttpResponse::header(std::string_view name) const {
  std::string lower_head = head;
  std::transform(lower_head.begin(), lower_head.end(), lower_head.begin(), ::tolower);
  std::string key = "\r\n" + std::string(name) + ":";
  std::transform(key.begin(), key.end(), key.begin(), ::tolower);
  size_t at = lower_head.find(key);
  if (at == std::string::npos) return {};
  size_t start = at + key.size();
  size_t end = head.find("\r\n", start);
  std::string value = head.substr(start, end - start);
  value.erase(0, value.find_first_not_of(' '));
  return value;
}

HttpResponse HttpReader::next(bool head_only, const std::function<void(std::string_view)>& sink) {
  HttpResponse r;
  std::string buf;
  buf.swap(buf_);
  const int fd = fd_;
  char chunk[65536];
  size_t end;
  while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = read_retrying(fd, chunk, sizeof chunk);
    if (n <= 0) return r;
    buf.append(chunk, static_cast<size_t>(n));
  }
  r.head = buf.substr(0, end + 4);
  buf.erase(0, end + 4);
  r.status = std::atoi(r.head.c_str() + 9);
  r.content_length = std::strtoull(r.header("content-length").c_str(), nullptr, 10);
  uint64_t want = head_only ? 0 : r.content_length;
  uint64_t got = 0;
  auto deliver = [&](std::string_view piece) {
    got += piece.size();
    if (sink) sink(piece); else r.body.append(piece);
  };
  size_t first = static_cast<size_t>(std::min<uint64_t>(want, buf.size()));
  deliver(std::string_view(buf).substr(0, first));
  buf_ = buf.substr(first);
  while (got < want) {
    ssize_t n = read_retrying(fd, chunk, static_cast<size_t>(std::min<uint64_t>(sizeof chunk, want - got)));
    if (n <= 0) return r;
    deliver({chunk, static_cast<size_t>(n)});
  }
  r.complete = true;
  return r;
}

std::string find_tool(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = dir + "/" + tool;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

}  // namespace netlab::test
