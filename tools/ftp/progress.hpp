// A one-line progress bar on stderr for long transfers:
//   [##########----------]  52%  104.0/200.0 MiB  143.2 MiB/s
// Redrawn at most ten times a second; finish() ends the line.
#pragma once

#include <chrono>
#include <cstdint>

namespace netlab::ftp {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void update(uint64_t done, uint64_t total);
  void finish();

 private:
  void draw(uint64_t done, uint64_t total);

  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
  uint64_t done_ = 0, total_ = 0, drawn_done_ = 0;
};

}  // namespace netlab::ftp
