// FileRoot: a directory that files are served from (http's document root, file's library), and
// the one way to open a file beneath it.
//
// Opening goes through openat2(RESOLVE_BENEATH) (Linux 5.6+): the kernel itself refuses any
// resolution that would leave the directory, whether by "..", an absolute symlink or a relative
// symlink climbing out. Callers still refuse ".." and odd names first, so a refusal is explained
// before the kernel is asked. Kernels without openat2 fall back to resolving the opened file's
// real path and checking it starts with the root's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/net/fd.hpp"

namespace netlab::proto {

enum class OpenResult { kOk, kNotFound, kForbidden, kIsDirectory, kNotRegular, kError };

class FileRoot {
 public:
  // Throws std::runtime_error ("cannot open document root DIR: No such file or directory").
  explicit FileRoot(const std::string& dir);

  int fd() const { return dir_.get(); }
  // Unique among the roots this process made: what per-thread caches key on.
  uint64_t id() const { return id_; }
  const std::string& path() const { return path_; }

  // Opens `relative` (no leading '/'; "" is the root itself) read-only. On kOk, `file` holds the
  // open regular file and `size` its length.
  OpenResult open_file(std::string_view relative, core::Fd& file, uint64_t& size) const;

 private:
  core::Fd dir_;
  std::string path_;
  std::string real_;  // realpath of the root, for the fallback check
  uint64_t id_ = 0;
};

}  // namespace netlab::proto
