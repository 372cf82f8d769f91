#include "core/proto/http_request.hpp"

#include <cstring>

namespace netlab::proto {
namespace {

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool is_token(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

HttpParse parse_version(std::string_view v, int& minor) {
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.' || v[5] < '0' || v[5] > '9' || v[7] < '0' ||
      v[7] > '9') {
    return HttpParse::kBad;
  }
  if (v[5] != '1' || (v[7] != '0' && v[7] != '1')) {
    return HttpParse::kBadVersion;
  }
  minor = v[7] - '0';
  return HttpParse::kOk;
}

HttpParse parse_request_line(std::string_view line, HttpRequest& req) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return HttpParse::kBad;
  }
  req.method = line.substr(0, sp1);
  req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (!is_token(req.method) || req.target.empty()) {
    return HttpParse::kBad;
  }
  for (char c : req.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return HttpParse::kBad;
  }
  return parse_version(line.substr(sp2 + 1), req.minor);
}

// Applies one "name: value" line; false when it makes the request malformed.
bool apply_header(std::string_view line, HttpRequest& req, int& hosts, bool& saw_length, bool& close) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    return false;  // also catches "Name : value" and obsolete folding (leading space)
  }
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  for (char c : value) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  if (iequals(name, "host")) {
    ++hosts;
  } else if (iequals(name, "content-length")) {
    if (value.empty() || value.size() > 18) return false;
    uint64_t n = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (saw_length && n != req.content_length) return false;
    saw_length = true;
    req.content_length = n;
  } else if (iequals(name, "transfer-encoding")) {
    req.has_transfer_encoding = true;
  } else if (iequals(name, "connection")) {
    while (!value.empty()) {
      size_t comma = value.find(',');
      std::string_view option = trim(value.substr(0, comma));
      if (iequals(option, "close")) close = true;
      if (iequals(option, "keep-alive")) req.keep_alive_asked = true;
      value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
  }
  return true;
}

}  // namespace

HttpParse parse_http_request(std::string_view data, size_t max_head, HttpRequest& req, size_t& head_len) {
  req = HttpRequest{};
  size_t pos = 0;
  // RFC 9112 2.2: ignore at least one empty line before the request line.
  while (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n') && pos < 4) ++pos;
  bool first = true, saw_length = false, close = false;
  int hosts = 0;
  for (;;) {
    const void* nl = pos < data.size() ? std::memchr(data.data() + pos, '\n', data.size() - pos) : nullptr;
    if (nl == nullptr) {
      if (data.size() > max_head) {
        return first ? HttpParse::kUriTooLong : HttpParse::kHeadTooLarge;
      }
      return HttpParse::kIncomplete;
    }
    size_t end = static_cast<size_t>(static_cast<const char*>(nl) - data.data());
    if (end + 1 > max_head) {
      return first ? HttpParse::kUriTooLong : HttpParse::kHeadTooLarge;
    }
    std::string_view line = data.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return HttpParse::kBad;
    }
    pos = end + 1;
    if (first) {
      if (auto st = parse_request_line(line, req); st != HttpParse::kOk) return st;
      first = false;
      continue;
    }
    if (line.empty()) {
      break;
    }
    if (!apply_header(line, req, hosts, saw_length, close)) return HttpParse::kBad;
  }
  head_len = pos;
  // HTTP/1.1 requires exactly one Host (RFC 9112 3.2); 1.0 may omit it.
  if ((req.minor == 1 && hosts != 1) || hosts > 1) {
    return HttpParse::kBad;
  }
  req.keep_alive = !close && (req.minor == 1 || req.keep_alive_asked);
  return HttpParse::kOk;
}

HttpTarget decode_http_target(std::string_view target, std::string& path, bool& trailing_slash) {
  path.clear();
  if (target.size() >= 7 && (target.substr(0, 7) == "http://" || target.substr(0, 8) == "https://")) {
    size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || target.front() != '/') {
    return HttpTarget::kBad;
  }
  target = target.substr(0, target.find_first_of("?#"));
  trailing_slash = target.back() == '/';
  std::string segment;
  while (!target.empty()) {
    target.remove_prefix(1);  // the '/'
    size_t next = target.find('/');
    std::string_view raw = target.substr(0, next);
    target = next == std::string_view::npos ? std::string_view() : target.substr(next);
    segment.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '%') {
        auto hex = [](char h) {
          if (h >= '0' && h <= '9') return h - '0';
          if (h >= 'a' && h <= 'f') return h - 'a' + 10;
          if (h >= 'A' && h <= 'F') return h - 'A' + 10;
          return -1;
        };
        int hi = i + 2 < raw.size() ? hex(raw[i + 1]) : -1;
        int lo = i + 2 < raw.size() ? hex(raw[i + 2]) : -1;
        if (hi < 0 || lo < 0) return HttpTarget::kBad;
        c = static_cast<char>(hi * 16 + lo);
        i += 2;
        if (c == '\0' || c == '/' || c == '\\') return HttpTarget::kBad;
      } else if (c == '\0') {
        return HttpTarget::kBad;  // a literal NUL would cut the path short at open()
      }
      segment += c;
    }
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") return HttpTarget::kForbidden;
    if (!path.empty()) path += '/';
    path += segment;
  }
  return HttpTarget::kOk;
}

}  // namespace netlab::proto
