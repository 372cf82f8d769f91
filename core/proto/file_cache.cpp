#include "core/proto/file_cache.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <utility>

namespace netlab::proto {
namespace {

// Reads up to `size` bytes from the start of `fd`; fewer when the file shrank meanwhile.
bool read_whole(int fd, uint64_t size, std::string& body) {
  body.resize(static_cast<size_t>(size));
  size_t got = 0;
  while (got < body.size()) {
    ssize_t n = ::pread(fd, body.data() + got, body.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  body.resize(got);
  return true;
}

}  // namespace

OpenResult open_page(const FileRoot& root, std::string& path, core::Fd& file, uint64_t& size) {
  OpenResult r = root.open_file(path, file, size);
  if (r == OpenResult::kIsDirectory) {
    path += path.empty() ? "index.html" : "/index.html";
    r = root.open_file(path, file, size);
    if (r == OpenResult::kIsDirectory) r = OpenResult::kNotFound;  // a directory named index.html
  }
  return r;
}

FileCache& FileCache::for_thread(const FileRoot& root, const FileCacheLimits& limits) {
  // Keyed by the root's id, not its address: a root made after another one was freed (tests) can
  // reuse the address, never the id.
  thread_local std::unordered_map<uint64_t, std::unique_ptr<FileCache>> caches;
  auto& cache = caches[root.id()];
  if (!cache || cache->limits() != limits) cache = std::make_unique<FileCache>(limits);
  return *cache;
}

OpenResult FileCache::lookup(const FileRoot& root, const std::string& path, const CachedFile*& file) {
  const auto now = Clock::now();
  auto it = entries_.find(path);
  if (it != entries_.end() && now - it->second.checked < limits_.valid) {
    file = &it->second.file;
    return OpenResult::kOk;
  }
  if (it != entries_.end()) {
    account(it->second, -1);
    entries_.erase(it);
  }
  Entry fresh;
  OpenResult r = load(root, path, fresh);
  if (r != OpenResult::kOk) {
    return r;  // gone, or now refused (a symlink out of the root): nothing of it stays cached
  }
  fresh.checked = now;
  make_room(!fresh.file.in_memory, fresh.file.body.size());
  account(fresh, +1);
  it = entries_.emplace(path, std::move(fresh)).first;
  file = &it->second.file;
  return OpenResult::kOk;
}

OpenResult FileCache::load(const FileRoot& root, const std::string& path, Entry& entry) {
  std::string page = path;
  core::Fd fd;
  uint64_t size = 0;
  OpenResult r = open_page(root, page, fd, size);
  if (r != OpenResult::kOk) {
    return r;
  }
  CachedFile& f = entry.file;
  f.in_memory = size <= limits_.max_body && size <= limits_.max_memory;
  if (f.in_memory) {
    // Read again on every revalidation, even when size and mtime look unchanged: a rewrite in
    // place within one timestamp tick keeps both, and a read a second per file costs little.
    if (!read_whole(fd.get(), size, f.body)) {
      return OpenResult::kError;
    }
    size = f.body.size();  // a file that shrank while it was read: what was read is the reply
  } else {
    f.file = std::make_shared<const core::Fd>(std::move(fd));
  }
  f.size = size;
  char length[48];
  int n = std::snprintf(length, sizeof length, "\r\nContent-Length: %llu\r\n", static_cast<unsigned long long>(size));
  f.headers = "Content-Type: ";
  f.headers += content_type_for(page);
  f.headers.append(length, static_cast<size_t>(n));
  return OpenResult::kOk;
}

void FileCache::account(const Entry& entry, int sign) {
  if (entry.file.in_memory) {
    memory_ = sign > 0 ? memory_ + entry.file.body.size() : memory_ - entry.file.body.size();
  } else {
    open_ = sign > 0 ? open_ + 1 : open_ - 1;
  }
}

void FileCache::make_room(bool needs_fd, uint64_t body_bytes) {
  // Each bound frees what it counts: any entry for the entry count, a held descriptor for the
  // descriptor bound, a body for the memory bound.
  while (entries_.size() + 1 > limits_.max_entries && evict_oldest([](const Entry&) { return true; })) {
  }
  if (needs_fd) {
    while (open_ + 1 > limits_.max_open && evict_oldest([](const Entry& e) { return !e.file.in_memory; })) {
    }
  } else {
    while (memory_ + body_bytes > limits_.max_memory && evict_oldest([](const Entry& e) { return e.file.in_memory; })) {
    }
  }
}

bool FileCache::evict_oldest(const std::function<bool(const Entry&)>& which) {
  // A scan, not an LRU list: it runs only when a bound is reached, over at most max_entries.
  auto oldest = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (which(it->second) && (oldest == entries_.end() || it->second.checked < oldest->second.checked)) oldest = it;
  }
  if (oldest == entries_.end()) return false;
  account(oldest->second, -1);
  entries_.erase(oldest);
  return true;
}

std::string_view content_type_for(std::string_view path) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"}, {"htm", "text/html; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"}, {"css", "text/css"},
      {"js", "text/javascript"},            {"json", "application/json"},
      {"png", "image/png"},                 {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},               {"gif", "image/gif"},
      {"svg", "image/svg+xml"},             {"ico", "image/x-icon"},
      {"pdf", "application/pdf"},           {"wasm", "application/wasm"},
      {"xml", "application/xml"},           {"csv", "text/csv"},
  };
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
    std::string ext(path.substr(dot + 1));
    std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; });
    for (const auto& [e, type] : kTypes) {
      if (e == ext) return type;
    }
  }
  return "application/octet-stream";
}

}  // namespace netlab::proto
