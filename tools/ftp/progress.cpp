#include "tools/ftp/progress.hpp"

#include <cstdio>
#include <string>

namespace netlab::ftp {

void ProgressBar::update(uint64_t done, uint64_t total) {
  done_ = done;
  total_ = total;
  auto now = std::chrono::steady_clock::now();
  if (enabled_ && (now - last_ >= std::chrono::milliseconds(100) || done == total)) {
    last_ = now;
    draw(done, total);
  }
}

void ProgressBar::draw(uint64_t done, uint64_t total) {
  constexpr int kWidth = 30;
  double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '-');
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double mib = 1024.0 * 1024.0;
  std::fprintf(stderr, "\r[%s] %3d%%  %.1f/%.1f MiB  %.1f MiB/s ", bar.c_str(), static_cast<int>(fraction * 100),
               static_cast<double>(done) / mib, static_cast<double>(total) / mib,
               secs > 0 ? static_cast<double>(done) / mib / secs : 0.0);
  std::fflush(stderr);
  drawn_ = true;
  drawn_done_ = done;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) {
    if (drawn_done_ != done_) draw(done_, total_);
    std::fputc('\n', stderr);
  }
}

}  // namespace netlab::ftp
