// The http protocol: an HTTP/1.1 static file server session (the notes' httpserver).
//
// GET and HEAD of regular files under the document root (FileRoot refuses every way out of it);
// a directory serves its index.html. Keep-alive by default (HTTP/1.0: only when asked), pipelined
// requests are answered in order. With the file cache (the default, FileCache), small bodies come
// from memory in the same send as the head and larger files from a shared open descriptor; without
// it each request opens its file. Bodies too large for memory go out as Outbox file ranges, so
// models can sendfile them and memory stays flat for any file size. Without a root, "/" is a small
// built-in page.
// Errors: 400 (then close), 403, 404, 405 with Allow, 408 (a head that took too long, then close),
// 413, 414, 431, 501, 505 (then close).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/proto/file_cache.hpp"
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
  // `root` may be null: the built-in index page is served. `cache`: the file cache's limits, or
  // nullopt to open every file per request (--no-file-cache).
  HttpSession(std::shared_ptr<const FileRoot> root, core::Workload workload = {}, HttpLimits limits = {},
              std::optional<FileCacheLimits> cache = FileCacheLimits{})
      : root_(std::move(root)), workload_(workload), limits_(limits), cache_(cache) {}
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
  // The reply for a file from the cache: the head's fixed lines and a small body were formatted
  // and read once, and go out in one write with the Date line.
  void serve_cached(const HttpRequest& req, bool head, Outbox& out);
  // 404, 403 or 500 for an open that failed.
  void reply_open_failed(OpenResult r, const HttpRequest& req, bool head, Outbox& out);
  // An error or short reply with a text body; `close` ends the connection after it.
  void reply(int status, const HttpRequest* req, bool head, bool close, Outbox& out,
             std::string_view extra_headers = {});

  std::shared_ptr<const FileRoot> root_;
  core::Workload workload_;
  HttpLimits limits_;
  std::optional<FileCacheLimits> cache_;
  std::string in_;          // an incomplete request head carried over to the next read
  uint64_t body_left_ = 0;  // request body bytes still to discard
  std::string path_;        // scratch: the decoded target
  bool closed_ = false;     // a reply asked to close: read nothing more
};

}  // namespace netlab::proto
