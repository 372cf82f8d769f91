#include "core/proto/file_root.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/net/error.hpp"

namespace netlab::proto {
namespace {

int open_beneath(int dir, const std::string& rel, bool& no_openat2) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;  // O_NONBLOCK: a FIFO must not block us
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, dir, rel.c_str(), &how, sizeof how);
  if (fd < 0 && errno == ENOSYS) {
    no_openat2 = true;
    return ::openat(dir, rel.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  }
  return static_cast<int>(fd);
}

}  // namespace

FileRoot::FileRoot(const std::string& dir) : path_(dir) {
  static std::atomic<uint64_t> next_id{1};
  id_ = next_id.fetch_add(1);
  dir_.reset(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_) {
    throw std::runtime_error("cannot open directory " + dir + ": " + core::errno_text(errno));
  }
  char real[PATH_MAX];
  if (::realpath(dir.c_str(), real) != nullptr) {
    real_ = real;
  }
}

OpenResult FileRoot::open_file(std::string_view relative, core::Fd& file, uint64_t& size) const {
  std::string rel = relative.empty() ? std::string(".") : std::string(relative);
  if (rel.find('\0') != std::string::npos || rel.front() == '/') {
    return OpenResult::kForbidden;
  }
  bool no_openat2 = false;
  core::Fd fd(open_beneath(dir_.get(), rel, no_openat2));
  if (!fd) {
    switch (errno) {
      case ENOENT:
      case ENOTDIR:
      case ENAMETOOLONG:
        return OpenResult::kNotFound;
      case EXDEV:  // RESOLVE_BENEATH: the path tried to leave the root
      case ELOOP:
      case EACCES:
      case EPERM:
        return OpenResult::kForbidden;
      default:
        return OpenResult::kError;
    }
  }
  if (no_openat2) {
    char link[64], real[PATH_MAX];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd.get());
    ssize_t n = ::readlink(link, real, sizeof real - 1);
    if (n < 0 || real_.empty()) {
      return OpenResult::kError;
    }
    std::string_view resolved(real, static_cast<size_t>(n));
    if (resolved != real_ && (resolved.substr(0, real_.size()) != real_ || resolved[real_.size()] != '/')) {
      return OpenResult::kForbidden;
    }
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) {
    return OpenResult::kError;
  }
  if (S_ISDIR(st.st_mode)) {
    return OpenResult::kIsDirectory;
  }
  if (!S_ISREG(st.st_mode)) {
    return OpenResult::kNotRegular;
  }
  size = static_cast<uint64_t>(st.st_size);
  file = std::move(fd);
  return OpenResult::kOk;
}

}  // namespace netlab::proto
