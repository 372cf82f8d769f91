// The blocking models' classic pitfalls, each provoked for real: zombies after thousands of
// fork-per-connection clients, the thread cap, the pool's bounded queue, oversized lines, and a
// real nc client.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include <thread>

#include "core/net/io.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

TEST(ForkPerConnTest, NoZombiesAfterTwoThousandShortConnections) {
  ServerProcess server("netlab-server-fork_per_conn", {"--listen", "127.0.0.1:0"});
  for (int i = 0; i < 2000; ++i) {
    core::Fd fd = connect_with_timeout(server.address());
    ASSERT_TRUE(core::write_all(fd.get(), "ping\n"));
    ASSERT_EQ(read_line(fd.get()), "ping\n") << "connection " << i;
  }
  // Children exit once their client closes; the parent must reap every one of them.
  ChildCount children = wait_for_children(server.pid(), 0);
  EXPECT_EQ(children.zombies, 0);
  EXPECT_EQ(children.total, 0);
  auto exit = server.stop();
  EXPECT_EQ(exit.status, 0);
}

TEST(ForkPerConnTest, StopEndsChildrenServingIdleClients) {
  ServerProcess server("netlab-server-fork_per_conn", {"--listen", "127.0.0.1:0"});
  std::vector<core::Fd> idle;
  for (int i = 0; i < 5; ++i) {
    idle.push_back(connect_with_timeout(server.address()));
    ASSERT_TRUE(core::write_all(idle.back().get(), "hi\n"));
    ASSERT_EQ(read_line(idle.back().get()), "hi\n");
  }
  EXPECT_EQ(wait_for_children(server.pid(), 5).total, 5);
  pid_t pid = server.pid();
  auto exit = server.stop();
  EXPECT_EQ(exit.status, 0);
  EXPECT_EQ(count_children(pid).total, 0);
  for (auto& fd : idle) EXPECT_TRUE(peer_closed(fd.get()));
}

TEST(PreforkTest, ReplacesAWorkerThatDies) {
  ServerProcess server("netlab-server-prefork", {"--listen", "127.0.0.1:0", "--workers", "2"});
  auto before = wait_for_children(server.pid(), 2);
  ASSERT_EQ(before.total, 2);
  // Kill one worker from outside; the parent must notice and start another.
  kill(before.pids[0], SIGKILL);
  ASSERT_TRUE(wait_until_dead(before.pids[0]));
  auto after = wait_for_children(server.pid(), 2);
  EXPECT_EQ(after.total, 2);
  EXPECT_EQ(std::count(after.pids.begin(), after.pids.end(), before.pids[0]), 0);
  core::Fd again = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(again.get(), "still here\n"));
  EXPECT_EQ(read_line(again.get()), "still here\n");
  EXPECT_NE(server.stderr_text().find("exited unexpectedly"), std::string::npos);
  EXPECT_EQ(server.stop().status, 0);
}

TEST(ThreadPerConnTest, RefusesPolitelyPastTheConnectionCap) {
  ServerProcess server("netlab-server-thread_per_conn", {"--listen", "127.0.0.1:0", "--max-conns", "2"});
  core::Fd a = connect_with_timeout(server.address());
  core::Fd b = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(a.get(), "a\n"));
  ASSERT_EQ(read_line(a.get()), "a\n");
  ASSERT_TRUE(core::write_all(b.get(), "b\n"));
  ASSERT_EQ(read_line(b.get()), "b\n");
  core::Fd c = connect_with_timeout(server.address());
  EXPECT_EQ(read_line(c.get()), "ERR server busy: connection limit reached\n");
  EXPECT_TRUE(peer_closed(c.get()));
  // A freed slot is usable again: the server frees it once its thread sees the close, so a client
  // that comes sooner is still refused (or reset) and tries again.
  a.reset();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  std::string reply;
  for (;;) {
    core::Fd d = connect_with_timeout(server.address());
    ASSERT_TRUE(core::write_all(d.get(), "d\n"));
    reply = read_line(d.get());
    if (reply == "d\n" || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(reply, "d\n");
}

TEST(ThreadPoolTest, QueuesUpToItsBoundThenRefuses) {
  ServerProcess server("netlab-server-thread_pool",
                       {"--listen", "127.0.0.1:0", "--workers", "1", "--queue", "1"});
  core::Fd served = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(served.get(), "1\n"));
  ASSERT_EQ(read_line(served.get()), "1\n");  // the only worker now holds this connection
  core::Fd queued = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(queued.get(), "2\n"));
  ASSERT_TRUE(wait_until_accepted(server.address().port())) << "the second client was never accepted";
  core::Fd refused = connect_with_timeout(server.address());
  EXPECT_EQ(read_line(refused.get()), "ERR server busy: queue full\n");
  // When the worker is free the queued client is served, its early line included.
  served.reset();
  EXPECT_EQ(read_line(queued.get()), "2\n");
}

TEST(EchoLimitsTest, OversizedLineGetsAnErrorAndTheServerKeepsServing) {
  ServerProcess server("netlab-server-thread_per_conn", {"--listen", "127.0.0.1:0", "--max-line", "16"});
  core::Fd bad = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(bad.get(), std::string(17, 'x') + "\n"));
  EXPECT_EQ(read_line(bad.get()), "ERR line too long (max 16 bytes)\n");
  EXPECT_TRUE(peer_closed(bad.get()));
  core::Fd good = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(good.get(), "fine\n"));
  EXPECT_EQ(read_line(good.get()), "fine\n");
}

TEST(RealClientTest, NetcatGetsItsLinesBack) {
  if (access("/usr/bin/nc", X_OK) != 0) GTEST_SKIP() << "nc is not installed (scripts/setup installs it)";
  ServerProcess server("netlab-server-iterative_tcp", {"--listen", "127.0.0.1:0"});
  auto r = run_command({"/usr/bin/nc", "-N", "127.0.0.1", std::to_string(server.address().port())},
                       "hello\nfrom nc\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.output, "hello\nfrom nc\n");
}

TEST(RealClientTest, NetcatUdpGetsItsDatagramBack) {
  if (access("/usr/bin/nc", X_OK) != 0) GTEST_SKIP() << "nc is not installed (scripts/setup installs it)";
  ServerProcess server("netlab-server-iterative_udp", {"--listen", "127.0.0.1:0"});
  auto r = run_command({"/usr/bin/nc", "-u", "-w1", "127.0.0.1", std::to_string(server.address().port())},
                       "udp hello\n");
  EXPECT_EQ(r.output, "udp hello\n");
}

}  // namespace
}  // namespace netlab::test
