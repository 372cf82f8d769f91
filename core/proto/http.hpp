// The http protocol: an HTTP/1.1 static file server session (the notes' httpserver).
//
// GET and HEAD of regular files under the document root (FileRoot refuses every way out of it);
// a directory serves its index.html. Keep-alive by default (HTTP/1.0: only when asked), pipelined
// requests are answered in order, bodies go out as Outbox file ranges so models can sendfile them
// and memory stays flat for any file size. Without a root, "/" is a small built-in page.
// Errors: 400 (then close), 403, 404, 405 with Allow, 408 (a head that took too long, then close),
// 413, 414, 431, 501, 505 (then close).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/proto/file_root.hpp"
#include "core/proto/http_request.hpp"
#include "core/proto/session.hpp"
#include "core/work/workload.hpp"

namespace netlab::proto {

struct HttpLimits {
  size_t max_head = 8 * 1024;        // request line + headers; past it 414/431 and close
  uint64_t max_body = 1024 * 1024;   // a request body we will read and discard; past it 413
};

class HttpSession final : public Session {
 public:
  // `root` may be null: the built-in index page is served.
  HttpSession(std::shared_ptr<const FileRoot> root, core::Workload workload = {}, HttpLimits limits = {})
      : root_(std::move(root)), workload_(workload), limits_(limits) {}
  void on_bytes(std::string_view data, Outbox& out) override;
  // A request head begun and not finished (a body being discarded does not count).
  bool partial_request() const override { return !closed_ && body_left_ == 0 && !in_.empty(); }
  // 408 Request Timeout, then close.
  void on_request_timeout(Outbox& out) override;

  // The page "/" shows when no document root is given.
  static std::string_view builtin_index();

 private:
  void handle(const HttpRequest& req, Outbox& out);
  void serve_file(const HttpRequest& req, bool head, Outbox& out);
  // An error or short reply with a text body; `close` ends the connection after it.
  void reply(int status, const HttpRequest* req, bool head, bool close, Outbox& out,
             std::string_view extra_headers = {});

  std::shared_ptr<const FileRoot> root_;
  core::Workload workload_;
  HttpLimits limits_;
  std::string in_;          // an incomplete request head carried over to the next read
  uint64_t body_left_ = 0;  // request body bytes still to discard
  std::string path_;        // scratch: the decoded target
  bool closed_ = false;     // a reply asked to close: read nothing more
};

// "text/html; charset=utf-8" for "a/b/index.html"; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace netlab::proto
