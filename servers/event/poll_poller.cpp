// poll(2): an array of pollfd, one per watched descriptor, handed to the kernel whole on every call.
// No FD_SETSIZE limit, but the cost still grows with every connection, idle or not. A slot index
// per fd makes add/modify/remove O(1) (remove swaps the last entry into the hole).
#include <poll.h>

#include <vector>

#include "servers/event/poller.hpp"

namespace netlab::server {
namespace {

short to_poll(uint32_t interest) {
  return static_cast<short>(((interest & kReadable) ? POLLIN : 0) | ((interest & kWritable) ? POLLOUT : 0));
}

class PollPoller final : public Poller {
 public:
  bool add(int fd, uint32_t interest) override {
    if (static_cast<size_t>(fd) >= slot_.size()) {
      slot_.resize(static_cast<size_t>(fd) + 1, -1);
    }
    slot_[fd] = static_cast<int>(fds_.size());
    fds_.push_back({fd, to_poll(interest), 0});
    return true;
  }

  void modify(int fd, uint32_t interest) override { fds_[slot_[fd]].events = to_poll(interest); }

  void remove(int fd) override {
    int hole = slot_[fd];
    fds_[hole] = fds_.back();
    slot_[fds_[hole].fd] = hole;
    fds_.pop_back();
    slot_[fd] = -1;
  }

  int wait(std::span<ReadyEvent> out, int timeout_ms) override {
    int n = ::poll(fds_.data(), fds_.size(), timeout_ms);
    if (n <= 0) {
      return 0;
    }
    int count = 0;
    for (const pollfd& p : fds_) {
      if (p.revents == 0) continue;
      uint32_t ev = ((p.revents & POLLIN) ? kReadable : 0) | ((p.revents & POLLOUT) ? kWritable : 0) |
                    ((p.revents & (POLLERR | POLLHUP | POLLNVAL)) ? kHangup : 0);
      out[count++] = {p.fd, ev};
      if (count == n || count == static_cast<int>(out.size())) break;
    }
    return count;
  }

  std::string_view name() const override { return "poll"; }

 private:
  std::vector<pollfd> fds_;
  std::vector<int> slot_;  // fd -> index in fds_, -1 when not watched
};

}  // namespace

std::unique_ptr<Poller> make_poll_poller() { return std::make_unique<PollPoller>(); }

}  // namespace netlab::server
