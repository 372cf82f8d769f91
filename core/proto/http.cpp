#include "core/proto/http.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace netlab::proto {
namespace {

std::string_view reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

constexpr std::string_view kIndex =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>netlab</title></head>\n"
    "<body><h1>netlab http</h1>\n"
    "<p>This is the built-in page of a netlab server. Start it with <code>--root DIR</code> to serve "
    "the files in DIR.</p>\n</body></html>\n";

// "Date: Tue, 24 Nov 2026 00:01:02 GMT\r\n" (RFC 9110 6.6.1), formatted at most once a second per
// thread: servers never call setlocale, so strftime's names are the C locale's English ones.
std::string_view date_line() {
  thread_local std::time_t cached = -1;
  thread_local char line[64];
  thread_local size_t len = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached) {
    std::tm t{};
    gmtime_r(&now, &t);
    len = std::strftime(line, sizeof line, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &t);
    cached = now;
  }
  return {line, len};
}

// The Connection header a reply needs, if any.
std::string_view connection_line(bool close, bool echo_keep_alive) {
  if (close) return "Connection: close\r\n";
  if (echo_keep_alive) return "Connection: keep-alive\r\n";  // HTTP/1.0 clients keep it only when told
  return {};
}

// Appends the status line and the headers every reply carries.
void head_lines(std::string& h, int status, uint64_t length, std::string_view type, bool close, bool echo_keep_alive) {
  char line[96];
  int n = std::snprintf(line, sizeof line, "HTTP/1.1 %d ", status);
  h.append(line, static_cast<size_t>(n));
  h += reason(status);
  h += "\r\nServer: netlab\r\n";
  h += date_line();
  h += "Content-Type: ";
  h += type;
  n = std::snprintf(line, sizeof line, "\r\nContent-Length: %llu\r\n", static_cast<unsigned long long>(length));
  h.append(line, static_cast<size_t>(n));
  h += connection_line(close, echo_keep_alive);
}

}  // namespace

std::string_view HttpSession::builtin_index() { return kIndex; }

void HttpSession::on_bytes(std::string_view data, Outbox& out) {
  if (closed_) {
    return;
  }
  const bool carried = !in_.empty();
  if (carried) {
    in_.append(data);
  }
  std::string_view buf = carried ? std::string_view(in_) : data;
  size_t used = 0;
  out.set_input_held(false);
  while (!closed_ && used < buf.size()) {
    if (body_left_ > 0) {
      uint64_t skip = std::min<uint64_t>(body_left_, buf.size() - used);
      used += static_cast<size_t>(skip);
      body_left_ -= skip;
      continue;
    }
    if (out.full()) {
      out.set_input_held(true);  // pipelined requests wait, unparsed, until the replies drain
      break;
    }
    HttpRequest req;
    size_t head_len = 0;
    switch (parse_http_request(buf.substr(used), limits_.max_head, req, head_len)) {
      case HttpParse::kIncomplete:
        goto done;
      case HttpParse::kOk:
        used += head_len;
        handle(req, out);
        continue;
      case HttpParse::kBad: reply(400, nullptr, false, true, out); break;
      case HttpParse::kUriTooLong: reply(414, nullptr, false, true, out); break;
      case HttpParse::kHeadTooLarge: reply(431, nullptr, false, true, out); break;
      case HttpParse::kBadVersion: reply(505, nullptr, false, true, out); break;
    }
  }
done:
  if (closed_) {
    in_.clear();
    in_.shrink_to_fit();
  } else if (carried) {
    in_.erase(0, used);
  } else {
    in_.assign(buf.substr(used));
  }
}

void HttpSession::on_request_timeout(Outbox& out) {
  if (!closed_) {
    reply(408, nullptr, false, true, out);
  }
}

void HttpSession::handle(const HttpRequest& req, Outbox& out) {
  workload_.run();
  const bool head = req.method == "HEAD";
  const bool allowed = head || req.method == "GET";
  if (req.has_transfer_encoding) {
    // We never read bodies, and a chunked one cannot be skipped without parsing it: answer, close.
    reply(allowed ? 501 : 405, &req, head, true, out, allowed ? "" : "Allow: GET, HEAD\r\n");
    return;
  }
  if (req.content_length > limits_.max_body) {
    reply(413, &req, head, true, out);
    return;
  }
  body_left_ = req.content_length;  // read and dropped: neither GET nor HEAD has a use for it
  if (!allowed) {
    reply(405, &req, false, !req.keep_alive, out, "Allow: GET, HEAD\r\n");
    return;
  }
  serve_file(req, head, out);
}

void HttpSession::serve_file(const HttpRequest& req, bool head, Outbox& out) {
  bool dir_slash = false;
  switch (decode_http_target(req.target, path_, dir_slash)) {
    case HttpTarget::kBad: return reply(400, &req, head, true, out);
    case HttpTarget::kForbidden: return reply(403, &req, head, !req.keep_alive, out);
    case HttpTarget::kOk: break;
  }
  if (root_ != nullptr && cache_) {
    return serve_cached(req, head, out);
  }
  core::Fd fd;
  uint64_t size = 0;
  std::string_view type;
  if (root_ == nullptr) {
    if (path_ != "" && path_ != "index.html") {
      return reply(404, &req, head, !req.keep_alive, out);
    }
  } else if (OpenResult r = open_page(*root_, path_, fd, size); r != OpenResult::kOk) {
    return reply_open_failed(r, req, head, out);
  }
  type = root_ == nullptr ? content_type_for("index.html") : content_type_for(path_);
  std::string h;
  h.reserve(160);
  head_lines(h, 200, root_ == nullptr ? kIndex.size() : size, type, !req.keep_alive,
             req.minor == 0 && req.keep_alive);
  h += "\r\n";
  if (root_ == nullptr && !head) {
    h += kIndex;
  }
  out.write(h);
  if (root_ != nullptr && !head) {
    out.send_file({std::make_shared<const core::Fd>(std::move(fd)), 0, size});
  }
  if (!req.keep_alive) {
    out.close_after_send();
    closed_ = true;
  }
}

void HttpSession::serve_cached(const HttpRequest& req, bool head, Outbox& out) {
  const CachedFile* file = nullptr;
  if (OpenResult r = FileCache::for_thread(*root_, *cache_).lookup(*root_, path_, file); r != OpenResult::kOk) {
    return reply_open_failed(r, req, head, out);
  }
  // Appended piece by piece to the outbox's buffer: no temporary string, and with pipelined
  // requests every reply of a batch lands in one buffer and one send.
  out.write("HTTP/1.1 200 OK\r\nServer: netlab\r\n");
  out.write(date_line());
  out.write(file->headers);
  out.write(connection_line(!req.keep_alive, req.minor == 0 && req.keep_alive));
  out.write("\r\n");
  if (!head && file->in_memory) {
    out.write(file->body);
  } else if (!head) {
    out.send_file({file->file, 0, file->size});
  }
  if (!req.keep_alive) {
    out.close_after_send();
    closed_ = true;
  }
}

void HttpSession::reply_open_failed(OpenResult r, const HttpRequest& req, bool head, Outbox& out) {
  switch (r) {
    case OpenResult::kForbidden: return reply(403, &req, head, !req.keep_alive, out);
    case OpenResult::kError: return reply(500, &req, head, !req.keep_alive, out);
    default: return reply(404, &req, head, !req.keep_alive, out);  // not found, a directory, not a regular file
  }
}

void HttpSession::reply(int status, const HttpRequest* req, bool head, bool close, Outbox& out,
                        std::string_view extra_headers) {
  std::string body = std::to_string(status) + " " + std::string(reason(status)) + "\n";
  std::string h;
  head_lines(h, status, body.size(), "text/plain; charset=utf-8", close,
             req != nullptr && req->minor == 0 && req->keep_alive);
  h += extra_headers;
  h += "\r\n";
  if (!head) {
    h += body;
  }
  out.write(h);
  if (close) {
    out.close_after_send();
    closed_ = true;
  }
}

}  // namespace netlab::proto
