// select(2): three bit sets of FD_SETSIZE (1024) bits, copied in and out on every call, scanned up
// to the highest descriptor. A descriptor >= FD_SETSIZE cannot even be represented: FD_SET on it
// writes past the set, so add() refuses it and the loop refuses the connection.
#include <sys/select.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "servers/event/poller.hpp"

namespace netlab::server {
namespace {

class SelectPoller final : public Poller {
 public:
  SelectPoller() : interest_(FD_SETSIZE, 0) {
    FD_ZERO(&read_);
    FD_ZERO(&write_);
  }

  bool add(int fd, uint32_t interest) override {
    if (fd < 0 || fd >= FD_SETSIZE) {
      errno = ERANGE;
      return false;
    }
    modify(fd, interest);
    return true;
  }

  void modify(int fd, uint32_t interest) override {
    interest_[fd] = interest;
    if (interest & kReadable) FD_SET(fd, &read_); else FD_CLR(fd, &read_);
    if (interest & kWritable) FD_SET(fd, &write_); else FD_CLR(fd, &write_);
    if (interest != 0) {
      max_fd_ = std::max(max_fd_, fd);
    }
  }

  void remove(int fd) override {
    modify(fd, 0);
    while (max_fd_ >= 0 && interest_[max_fd_] == 0) --max_fd_;
  }

  int wait(std::span<ReadyEvent> out, int timeout_ms) override {
    fd_set readable = read_;
    fd_set writable = write_;
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int n = ::select(max_fd_ + 1, &readable, &writable, nullptr, timeout_ms < 0 ? nullptr : &tv);
    if (n <= 0) {
      return 0;
    }
    // The cost select is known for: a scan of every descriptor up to the highest one.
    int count = 0;
    for (int fd = 0; fd <= max_fd_ && count < static_cast<int>(out.size()); ++fd) {
      uint32_t ev = (FD_ISSET(fd, &readable) ? kReadable : 0) | (FD_ISSET(fd, &writable) ? kWritable : 0);
      if (ev != 0) {
        out[count++] = {fd, ev};
      }
    }
    return count;
  }

  std::string_view name() const override { return "select"; }

 private:
  fd_set read_;
  fd_set write_;
  std::vector<uint32_t> interest_;
  int max_fd_ = -1;
};

}  // namespace

std::unique_ptr<Poller> make_select_poller() { return std::make_unique<SelectPoller>(); }

}  // namespace netlab::server
