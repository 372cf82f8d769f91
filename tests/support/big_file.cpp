#include "tests/support/big_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "core/net/fd.hpp"

namespace netlab::test {

void Checksum::update(std::string_view bytes) {
  size_ += bytes.size();
  while (carried_ > 0 && carried_ < 8 && !bytes.empty()) {
    carry_[carried_++] = bytes.front();
    bytes.remove_prefix(1);
  }
  if (carried_ == 8) {
    uint64_t w;
    std::memcpy(&w, carry_, 8);
    mix(w);
    carried_ = 0;
  }
  while (bytes.size() >= 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data(), 8);
    mix(w);
    bytes.remove_prefix(8);
  }
  std::memcpy(carry_ + carried_, bytes.data(), bytes.size());
  carried_ += bytes.size();
}

uint64_t Checksum::value() const {
  uint64_t h = hash_;
  if (carried_ > 0) {
    uint64_t w = static_cast<uint64_t>(carried_) << 56;  // the top byte says how long the tail is
    std::memcpy(&w, carry_, carried_);
    h = (h ^ w) * 1099511628211ull;
  }
  return h;
}

uint64_t write_pattern_file(const std::string& path, uint64_t size, uint64_t seed) {
  core::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  std::vector<uint64_t> block(1 << 17);  // 1 MiB
  Checksum sum;
  uint64_t word = 0;
  for (uint64_t done = 0; done < size;) {
    for (auto& w : block) w = (word++ + seed) * 0x9E3779B97F4A7C15ull;
    size_t len = static_cast<size_t>(std::min<uint64_t>(size - done, block.size() * 8));
    std::string_view bytes(reinterpret_cast<const char*>(block.data()), len);
    if (::write(fd.get(), bytes.data(), len) != static_cast<ssize_t>(len)) {
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    sum.update(bytes);
    done += len;
  }
  return sum.value();
}

Checksum checksum_file(const std::string& path) {
  core::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  Checksum sum;
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    if (n == 0) break;
    sum.update({buf.data(), static_cast<size_t>(n)});
  }
  return sum;
}

}  // namespace netlab::test
