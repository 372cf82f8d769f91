// FileCache: the http session's cache of open files and small bodies, one per thread and root.
//
// Without it every GET opens, stats and closes its file and sends the head and the body in two
// calls (a send and a sendfile): four to five system calls a request on top of the read. h2o keeps
// open files and small bodies, and nginx has open_file_cache (off by default) for the same reason.
// With it a small file is one lookup and the whole reply, head and body, goes out in one send.
//
// - Keyed by the decoded request path beneath the root; every (re)open still goes through
//   FileRoot::open_file, so RESOLVE_BENEATH judges each file whenever it is opened.
// - Valid for `valid` (1 s by default): after that the next request reopens the file, so a file
//   rewritten on disk is seen within that time, and a file replaced by a symlink out of the root
//   is refused.
// - Bodies up to `max_body` bytes are held in memory; larger files keep one open descriptor that
//   every reply of it shares (sent with sendfile). A connection holds references to cached
//   descriptors, never extra descriptors: the outbox's per-connection bound still counts them.
// - Bounded per thread: at most `max_entries` files, `max_memory` bytes of bodies and `max_open`
//   open descriptors; past a bound the entry checked longest ago goes.
// - The per-response header bytes (Content-Type, Content-Length) are formatted once per file.
//
// Thread contract: a FileCache is used by one thread; for_thread() gives each thread its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/net/fd.hpp"
#include "core/proto/file_root.hpp"

namespace netlab::proto {

struct FileCacheLimits {
  std::chrono::milliseconds valid{1000};  // a file changed on disk is seen this soon
  uint64_t max_body = 64 * 1024;          // bodies up to this size are kept in memory (0: none)
  size_t max_entries = 1024;
  uint64_t max_memory = 32ull << 20;      // body bytes kept
  size_t max_open = 64;                   // descriptors kept open for files larger than max_body

  bool operator==(const FileCacheLimits&) const = default;
};

struct CachedFile {
  std::string headers;  // "Content-Type: ...\r\nContent-Length: N\r\n"
  uint64_t size = 0;
  bool in_memory = false;
  std::string body;                      // in_memory: the whole file
  std::shared_ptr<const core::Fd> file;  // otherwise: the open file, sent with sendfile
};

// Opens `path` beneath `root` as a web server would: a directory serves its index.html (`path`
// then names it).
OpenResult open_page(const FileRoot& root, std::string& path, core::Fd& file, uint64_t& size);

class FileCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit FileCache(FileCacheLimits limits) : limits_(limits) {}

  // The file `path` names beneath `root`, from the cache or opened now. On kOk `file` points into
  // the cache and stays valid until the next lookup.
  OpenResult lookup(const FileRoot& root, const std::string& path, const CachedFile*& file);

  // The calling thread's cache for `root`, made with `limits` on first use (and made anew when
  // asked with other limits, as tests do).
  static FileCache& for_thread(const FileRoot& root, const FileCacheLimits& limits);

  const FileCacheLimits& limits() const { return limits_; }
  size_t entries() const { return entries_.size(); }
  uint64_t memory() const { return memory_; }
  size_t open_files() const { return open_; }

 private:
  struct Entry {
    CachedFile file;
    Clock::time_point checked;  // opened through the root at this time
  };

  // Opens `path` into `entry`: its body, or its open descriptor, and its header lines.
  OpenResult load(const FileRoot& root, const std::string& path, Entry& entry);
  void account(const Entry& entry, int sign);
  // Drops the entries checked longest ago until one more entry (with a descriptor, or with
  // `body_bytes` of body) fits every bound.
  void make_room(bool needs_fd, uint64_t body_bytes);
  // Drops the entry checked longest ago among those `which` accepts; false when there is none.
  bool evict_oldest(const std::function<bool(const Entry&)>& which);

  FileCacheLimits limits_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t memory_ = 0;
  size_t open_ = 0;
};

// "text/html; charset=utf-8" for "a/b/index.html"; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace netlab::proto
