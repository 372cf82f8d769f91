#include "core/net/stop.hpp"

#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "core/net/error.hpp"

namespace netlab::core {
namespace {

constexpr int kSlots = 16;
std::atomic<bool> g_stop{false};
std::atomic<int> g_event_fd{-1};
// Each slot holds fd + 1, so the zero-initialised table means "empty" without a constructor.
std::atomic<int> g_slots[kSlots];

// Runs inside a signal handler: only atomics and async-signal-safe syscalls here.
void stop_now() {
  int saved = errno;
  g_stop.store(true);
  if (int efd = g_event_fd.load(); efd >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(efd, &one, sizeof one);
  }
  for (auto& slot : g_slots) {
    if (int fd = slot.load() - 1; fd >= 0) {
      ::shutdown(fd, SHUT_RDWR);
    }
  }
  errno = saved;
}

void on_signal(int) { stop_now(); }

}  // namespace

void install_stop_signals() {
  if (g_event_fd.load() < 0) {
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd < 0) {
      throw_errno("eventfd", errno);
    }
    g_event_fd.store(efd);
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: blocking calls must see EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() { return g_stop.load(std::memory_order_relaxed); }

int stop_fd() { return g_event_fd.load(); }

void request_stop() { stop_now(); }

int shutdown_on_stop(int fd) {
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].compare_exchange_strong(expected, fd + 1)) {
      if (g_stop.load()) {
        ::shutdown(fd, SHUT_RDWR);  // the stop came first: do what the handler would have done
      }
      return i;
    }
  }
  return -1;
}

void forget_on_stop(int slot) {
  if (slot >= 0 && slot < kSlots) {
    g_slots[slot].store(0);
  }
}

void reset_stop_after_fork() {
  for (auto& slot : g_slots) {
    slot.store(0);
  }
  // Publish the new eventfd first and look at the flag after: a signal landing before the store
  // set g_stop (we see it below), one landing after it writes to the new eventfd. Reading the flag
  // first, as eventfd(g_stop ? 1 : 0) did, could lose a SIGTERM that came between the read and the
  // store, and the child would never stop.
  int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (efd < 0) {
    throw_errno("eventfd", errno);
  }
  if (int old = g_event_fd.exchange(efd); old >= 0) {
    ::close(old);
  }
  if (g_stop.load()) {
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(efd, &one, sizeof one);
  }
}

}  // namespace netlab::core
