// TempDir: a private folder for the file-serving targets, made once per process (mkdtemp) and
// removed with everything in it when the process ends normally. reset() empties it. It goes in
// /dev/shm when there is one: on tmpfs the file target's creates and unlinks run about three times
// faster than on this machine's ext4, and what the targets write is a few KiB.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace netlab::fuzz {

class TempDir {
 public:
  TempDir() {
    std::filesystem::path base = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::string pattern = (base / "netlab-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a folder like " + pattern);
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Removes everything inside, keeping the folder itself (open FileRoots keep a descriptor to it).
  void reset() const {
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      std::filesystem::remove_all(entry.path());
    }
  }

 private:
  std::filesystem::path path_;
};

}  // namespace netlab::fuzz
