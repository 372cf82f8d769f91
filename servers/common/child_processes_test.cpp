#include "servers/common/child_processes.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <vector>

namespace netlab::server {
namespace {

const ModelInfo kTestModel{.name = "child_processes_test", .transport = Transport::kTcp, .summary = "test"};

ServerContext make_context() {
  ServerOptions options;
  options.listen = core::Address::parse("127.0.0.1:0");
  return ServerContext(kTestModel, options);
}

// Returns once the child has set up its SIGTERM disposition, so the test never races it.
pid_t fork_child(bool ignores_sigterm) {
  int ready[2];
  if (pipe(ready) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    if (ignores_sigterm) signal(SIGTERM, SIG_IGN);  // stands in for a child wedged after fork
    [[maybe_unused]] auto n = write(ready[1], "r", 1);
    for (;;) pause();
  }
  char byte;
  [[maybe_unused]] auto n = read(ready[0], &byte, 1);
  close(ready[0]);
  close(ready[1]);
  return pid;
}

bool reaped(pid_t pid) { return waitpid(pid, nullptr, WNOHANG) < 0 && errno == ECHILD; }

TEST(StopChildrenTest, StopsEveryChildAndKillsOnlyTheOneThatIgnoresSigterm) {
  ServerContext ctx = make_context();
  std::vector<pid_t> children{fork_child(false), fork_child(true), fork_child(false)};
  for (pid_t pid : children) ASSERT_GT(pid, 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(stop_children(ctx, children, std::chrono::milliseconds(200)), 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5)) << "waited on a child forever";
  for (pid_t pid : children) EXPECT_TRUE(reaped(pid)) << "pid " << pid << " left running or a zombie";
}

TEST(StopChildrenTest, SkipsSlotsWithoutAProcess) {
  ServerContext ctx = make_context();
  std::vector<pid_t> children{-1, fork_child(false)};
  EXPECT_EQ(stop_children(ctx, children), 0u);
  EXPECT_TRUE(reaped(children[1]));
}

}  // namespace
}  // namespace netlab::server
