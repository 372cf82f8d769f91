// The multi-loop models' own duties: processes supervises its workers (restart a dead one, stop
// them all, and they die with it; so do prefork's), reactors runs one loop per thread, and both
// spread connections over their loops.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "core/net/io.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

using namespace std::chrono_literals;

void expect_echo(const core::Address& addr, const std::string& line) {
  core::Fd fd = connect_with_timeout(addr, 2s);
  ASSERT_TRUE(core::write_all(fd.get(), line));
  EXPECT_EQ(read_line(fd.get()), line);
}

TEST(ProcessesTest, MasterRestartsAWorkerThatDiesAndKeepsServing) {
  ServerProcess server("netlab-server-processes", {"--listen", "127.0.0.1:0", "--workers", "2"});
  auto before = wait_for_children(server.pid(), 2);
  ASSERT_EQ(before.total, 2);
  kill(before.pids[0], SIGKILL);
  ASSERT_TRUE(wait_until_dead(before.pids[0]));
  auto after = wait_for_children(server.pid(), 2);
  EXPECT_EQ(after.total, 2);
  EXPECT_EQ(after.zombies, 0);
  EXPECT_EQ(std::count(after.pids.begin(), after.pids.end(), before.pids[0]), 0);
  EXPECT_NE(server.stderr_text().find("killed by"), std::string::npos) << server.stderr_text();
  // Every listener has a live worker again: many connections, hashed over both, all answered.
  for (int i = 0; i < 50; ++i) expect_echo(server.address(), "after restart " + std::to_string(i) + "\n");
  EXPECT_EQ(server.stop().status, 0);
}

TEST(ProcessesTest, SigtermStopsEveryWorker) {
  ServerProcess server("netlab-server-processes", {"--listen", "127.0.0.1:0", "--workers", "3"});
  ASSERT_EQ(wait_for_children(server.pid(), 3).total, 3);
  core::Fd idle = connect_with_timeout(server.address(), 2s);
  pid_t pid = server.pid();
  auto exit = server.stop(SIGTERM);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 0);
  EXPECT_EQ(count_children(pid).total, 0);
  EXPECT_TRUE(peer_closed(idle.get()));
}

// A master killed with SIGKILL cannot stop its workers; the kernel must (PR_SET_PDEATHSIG), or
// they keep serving, and holding the port, with nobody supervising them.
class MasterKilledTest : public ::testing::TestWithParam<const char*> {};

TEST_P(MasterKilledTest, WorkersStopWhenTheMasterIsKilled) {
  ServerProcess server(std::string("netlab-server-") + GetParam(), {"--listen", "127.0.0.1:0", "--workers", "3"});
  auto workers = wait_for_children(server.pid(), 3);
  ASSERT_EQ(workers.total, 3);
  server.stop(SIGKILL);
  auto deadline = std::chrono::steady_clock::now() + 3s;
  auto running = [&] { return std::count_if(workers.pids.begin(), workers.pids.end(), process_running); };
  while (running() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(running(), 0) << "workers outlived their killed master";
}

INSTANTIATE_TEST_SUITE_P(Masters, MasterKilledTest, ::testing::Values("prefork", "processes"));

TEST(ReactorsTest, RunsOneLoopThreadPerWorker) {
  ServerProcess server("netlab-server-reactors", {"--listen", "127.0.0.1:0", "--workers", "3"});
  for (int i = 0; i < 30; ++i) expect_echo(server.address(), "r" + std::to_string(i) + "\n");
  auto tasks = std::distance(std::filesystem::directory_iterator("/proc/" + std::to_string(server.pid()) + "/task"),
                             std::filesystem::directory_iterator());
  // main (waiting to join) + three loops; ThreadSanitizer adds a background thread of its own.
  EXPECT_GE(tasks, 4);
  EXPECT_LE(tasks, 5);
  EXPECT_EQ(server.stop().status, 0);
}

}  // namespace
}  // namespace netlab::test
