#include "core/net/stop.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace netlab::core {
namespace {

using Clock = std::chrono::steady_clock;

// Child side: 0 when stop_fd turns readable within two seconds of the reset, 1 otherwise.
[[noreturn]] void child_waits_for_stop() {
  reset_stop_after_fork();
  pollfd p{stop_fd(), POLLIN, 0};
  int ready;
  while ((ready = poll(&p, 1, 2000)) < 0 && errno == EINTR) {  // the SIGTERM itself interrupts poll
  }
  _exit(ready == 1 && stop_requested() ? 0 : 1);
}

int exit_code(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(StopTest, ForkedChildSeesAStopAlreadyRequestedBeforeTheFork) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    install_stop_signals();
    request_stop();
    pid_t grandchild = fork();
    if (grandchild == 0) child_waits_for_stop();
    _exit(exit_code(grandchild));
  }
  EXPECT_EQ(exit_code(pid), 0);
}

// A server's master may send SIGTERM to a worker it has just forked, while the worker is still
// replacing its stop_fd. Wherever the signal lands, the worker must see it on its stop_fd: sweep
// the delay between fork and kill across the window the reset runs in.
TEST(StopTest, ForkedChildSeesASigtermThatLandsWhileItResets) {
  install_stop_signals();
  int missed = 0;
  for (int i = 0; i < 120; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) child_waits_for_stop();
    auto until = Clock::now() + std::chrono::microseconds(3 * i);
    while (Clock::now() < until) {
    }
    kill(pid, SIGTERM);
    missed += exit_code(pid) != 0;
  }
  EXPECT_EQ(missed, 0) << "children that never saw their SIGTERM on stop_fd";
}

}  // namespace
}  // namespace netlab::core
