#include "servers/event/coro_loop.hpp"

#include <algorithm>
#include <utility>

#include "core/net/stop.hpp"

namespace netlab::server {

CoroLoop::CoroLoop() : poller_(make_poller(Backend::kEpoll, true)) {}

CoroLoop::Slot& CoroLoop::slot(int fd) {
  if (static_cast<size_t>(fd) >= slots_.size()) {
    slots_.resize(static_cast<size_t>(fd) + 1024);
  }
  return slots_[static_cast<size_t>(fd)];
}

void CoroLoop::watch(int fd) {
  slot(fd) = {};
  slot(fd).serial = ++watches_;
  poller_->add(fd, kReadable | kWritable);
}

void CoroLoop::forget(int fd) {
  poller_->remove(fd);
  if (static_cast<size_t>(fd) < slots_.size()) {
    slots_[static_cast<size_t>(fd)].reader = {};
    slots_[static_cast<size_t>(fd)].writer = {};
  }
}

void CoroLoop::Readable::await_suspend(std::coroutine_handle<> h) {
  Slot& s = loop.slot(fd);
  s.reader = h;
  s.read_deadline = deadline;
  s.read_quiet_since = quiet_since;
  s.read_timed_out = false;
}

bool CoroLoop::Readable::await_resume() const noexcept {
  return !loop.slots_[static_cast<size_t>(fd)].read_timed_out;
}

void CoroLoop::Writable::await_suspend(std::coroutine_handle<> h) {
  Slot& s = loop.slot(fd);
  s.writer = h;
  s.timed_out = false;
  loop.timers_.push({Clock::now() + timeout, fd, ++s.write_seq, {}});
}

bool CoroLoop::Writable::await_resume() const noexcept { return !loop.slots_[static_cast<size_t>(fd)].timed_out; }

void CoroLoop::Sleep::await_suspend(std::coroutine_handle<> h) {
  loop.timers_.push({Clock::now() + duration, -1, 0, h});
}

void CoroLoop::run() {
  int stop = core::stop_fd();
  poller_->add(stop, kReadable);
  ReadyEvent events[512];
  bool stopping = false;
  next_sweep_ = Clock::now() + sweep_every_;
  while (!stopping && !stop_) {
    int n = poller_->wait(events, wait_timeout_ms());
    for (int i = 0; i < n; ++i) {
      if (events[i].fd == stop) {
        stopping = stopping || (events[i].events & kReadable);
      } else {
        dispatch(events[i].fd, events[i].events);
      }
    }
    fire_timers();
    if (auto now = Clock::now(); now >= next_sweep_) {
      sweep_read_deadlines(now);
      next_sweep_ = now + sweep_every_;
    }
  }
  destroy_suspended();
}

void CoroLoop::dispatch(int fd, uint32_t events) {
  // Index every time: a resumed coroutine may watch new fds and grow slots_.
  auto idx = static_cast<size_t>(fd);
  if ((events & (kReadable | kHangup)) && idx < slots_.size() && slots_[idx].reader) {
    std::exchange(slots_[idx].reader, {}).resume();
  }
  if ((events & (kWritable | kHangup)) && idx < slots_.size() && slots_[idx].writer) {
    ++slots_[idx].write_seq;  // its timeout is now stale
    std::exchange(slots_[idx].writer, {}).resume();
  }
}

void CoroLoop::fire_timers() {
  auto now = Clock::now();
  while (!timers_.empty() && timers_.top().due <= now) {
    Timer t = timers_.top();
    timers_.pop();
    if (t.fd < 0) {
      t.handle.resume();
      continue;
    }
    Slot& s = slots_[static_cast<size_t>(t.fd)];
    if (s.writer && s.write_seq == t.seq) {
      s.timed_out = true;
      std::exchange(s.writer, {}).resume();
    }
  }
}

void CoroLoop::sweep_read_deadlines(Clock::time_point now) {
  // By index: a resumed coroutine may watch new fds and grow slots_.
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].reader && slots_[i].read_deadline <= now) {
      slots_[i].read_timed_out = true;
      std::exchange(slots_[i].reader, {}).resume();
    }
  }
}

bool CoroLoop::cut_quietest_reader() {
  Slot* quietest = quietest_.find_item(slots_, [](const Slot& s) {
    return s.reader ? QuietestConnection::Key{s.read_quiet_since, s.serial} : QuietestConnection::kBusy;
  });
  if (quietest == nullptr) return false;
  quietest->read_timed_out = true;
  std::exchange(quietest->reader, {}).resume();
  return true;
}

int CoroLoop::wait_timeout_ms() const {
  auto due = next_sweep_;
  if (!timers_.empty()) {
    due = std::min(due, timers_.top().due);
  }
  auto left = std::chrono::ceil<std::chrono::milliseconds>(due - Clock::now()).count();
  return static_cast<int>(std::clamp<long>(left, 0, 1000));
}

void CoroLoop::destroy_suspended() {
  // Collect first: destroying a frame runs destructors that call forget() on these tables.
  std::vector<std::coroutine_handle<>> handles;
  for (Slot& s : slots_) {
    if (s.reader) handles.push_back(std::exchange(s.reader, {}));
    if (s.writer) handles.push_back(std::exchange(s.writer, {}));
  }
  for (; !timers_.empty(); timers_.pop()) {
    if (timers_.top().fd < 0) handles.push_back(timers_.top().handle);
  }
  for (auto h : handles) {
    h.destroy();
  }
}

}  // namespace netlab::server
