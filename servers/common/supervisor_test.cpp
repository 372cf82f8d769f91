#include "servers/common/supervisor.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>

#include "core/net/stop.hpp"

namespace netlab::server {
namespace {

using Clock = std::chrono::steady_clock;

const ModelInfo kTestModel{.name = "supervisor_test", .transport = Transport::kTcp, .summary = "test"};

ServerContext make_context() {
  ServerOptions options;
  options.listen = core::Address::parse("127.0.0.1:0");
  return ServerContext(kTestModel, options);
}

// Reaps until every child is gone; the deadline only bounds a failing test.
std::vector<int> reap_all(Supervisor& supervisor) {
  std::vector<int> statuses;
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (supervisor.children() > 0 && Clock::now() < deadline) {
    supervisor.reap([&](pid_t, int status) { statuses.push_back(status); });
    usleep(1000);
  }
  return statuses;
}

// A child's body: waits until its stop is requested (SIGTERM reaches its own stop_fd).
int wait_for_stop() {
  pollfd p{core::stop_fd(), POLLIN, 0};
  while (poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
  return 0;
}

TEST(SupervisorTest, ChildStartsWithItsOwnStopAndTheParentDeathSignal) {
  core::install_stop_signals();
  ServerContext ctx = make_context();
  Supervisor supervisor(ctx);
  int parent_stop_fd = core::stop_fd();
  ASSERT_GT(supervisor.spawn([&] {
    int pdeathsig = 0;
    prctl(PR_GET_PDEATHSIG, &pdeathsig);
    struct sigaction chld {};
    sigaction(SIGCHLD, nullptr, &chld);
    bool own_stop = core::stop_fd() >= 0 && core::stop_fd() != parent_stop_fd;
    return own_stop && pdeathsig == SIGTERM && chld.sa_handler == SIG_DFL ? 7 : 1;
  }), 0);
  EXPECT_EQ(supervisor.children(), 1u);
  auto statuses = reap_all(supervisor);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(describe_exit(statuses[0]), "exited with status 7");
}

TEST(SupervisorTest, ChildWhoseBodyThrowsExitsWithOne) {
  ServerContext ctx = make_context();
  Supervisor supervisor(ctx);
  ASSERT_GT(supervisor.spawn([]() -> int { throw std::runtime_error("worker set-up failed"); }), 0);
  auto statuses = reap_all(supervisor);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(describe_exit(statuses[0]), "exited with status 1");
}

TEST(SupervisorTest, StopAllEndsEveryChildAndReapsIt) {
  core::install_stop_signals();
  ServerContext ctx = make_context();
  Supervisor supervisor(ctx);
  std::vector<pid_t> pids;
  for (int i = 0; i < 3; ++i) pids.push_back(supervisor.spawn(wait_for_stop));
  supervisor.stop_all();
  EXPECT_EQ(supervisor.children(), 0u);
  for (pid_t pid : pids) {
    EXPECT_TRUE(waitpid(pid, nullptr, WNOHANG) < 0 && errno == ECHILD) << "pid " << pid << " left unreaped";
  }
}

TEST(SupervisorTest, DescribesExitStatuses) {
  EXPECT_EQ(describe_exit(3 << 8), "exited with status 3");
  EXPECT_EQ(describe_exit(SIGKILL), "killed by signal 9 (Killed)");
}

// Reads one pid written by a worker; -1 when none came within ten seconds.
pid_t read_pid(int fd) {
  pollfd p{fd, POLLIN, 0};
  pid_t pid = -1;
  if (poll(&p, 1, 10'000) != 1 || read(fd, &pid, sizeof pid) != sizeof pid) return -1;
  return pid;
}

std::string read_all(int fd) {
  std::string text;
  char buf[512];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  return text;
}

// keep_alive runs until its process is asked to stop, so a forked master runs it here; its workers
// report their pids on a pipe, so the test knows when each one runs instead of sleeping.
TEST(SupervisorTest, KeepAliveReplacesAWorkerThatDiesAndStopsThemAll) {
  int pids[2], err[2];
  ASSERT_EQ(pipe(pids), 0);
  ASSERT_EQ(pipe(err), 0);
  pid_t master = fork();
  ASSERT_GE(master, 0);
  if (master == 0) {
    dup2(err[1], STDERR_FILENO);
    core::install_stop_signals();
    ServerContext ctx = make_context();
    Supervisor supervisor(ctx);
    _exit(supervisor.keep_alive(2, [&](size_t) {
      pid_t self = getpid();
      [[maybe_unused]] auto n = write(pids[1], &self, sizeof self);
      return wait_for_stop();
    }));
  }
  close(pids[1]);
  close(err[1]);
  std::set<pid_t> first{read_pid(pids[0]), read_pid(pids[0])};
  ASSERT_EQ(first.count(-1), 0u);
  ASSERT_EQ(first.size(), 2u);

  kill(*first.begin(), SIGKILL);
  pid_t replacement = read_pid(pids[0]);
  EXPECT_GT(replacement, 0) << "the dead worker was not replaced";
  EXPECT_EQ(first.count(replacement), 0u);

  kill(master, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(master, &status, 0), master);
  EXPECT_EQ(describe_exit(status), "exited with status 0");
  EXPECT_EQ(read_pid(pids[0]), -1) << "a worker started after the stop";  // every writer has exited: EOF
  for (pid_t pid : {*first.rbegin(), replacement}) {
    EXPECT_TRUE(kill(pid, 0) < 0 && errno == ESRCH) << "worker " << pid << " outlived its master";
  }
  std::string log = read_all(err[0]);
  EXPECT_NE(log.find("exited unexpectedly (killed by signal 9 (Killed)), starting a new one"), std::string::npos) << log;
  close(pids[0]);
  close(err[0]);
}

}  // namespace
}  // namespace netlab::server
