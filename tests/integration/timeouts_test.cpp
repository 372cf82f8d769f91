// Hostile clients against every TCP model, with the timeouts made small by flags: a request that
// never completes (one byte, or a slowloris trickle) is cut after --header-timeout and HTTP gets
// 408; an idle keep-alive connection is closed after --idle-timeout; a client that sends without
// reading is dropped after --send-timeout (blocking models too); and a pool of two workers held by
// two slowloris clients still serves a third.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <thread>

#include "core/net/io.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/models.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Generous upper bounds: two loaded cores under sanitizers.
constexpr auto kCloseWithin = 5s;

std::vector<std::string> server_args(const std::string& model, std::vector<std::string> extra) {
  std::vector<std::string> args{"--listen", "127.0.0.1:0"};
  if (model == "reactors" || model == "processes" || model == "prefork" || model == "thread_pool") {
    args.insert(args.end(), {"--workers", "2"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Seconds until the peer closed (EOF or reset) reading and discarding everything; -1 if it did not
// within kCloseWithin.
double seconds_until_closed(int fd, Clock::time_point since) {
  char buf[65536];
  while (Clock::now() - since < kCloseWithin) {
    ssize_t n = read_retrying(fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      return std::chrono::duration<double>(Clock::now() - since).count();
    }
  }
  return -1;
}

void expect_echo_served(const core::Address& addr) {
  core::Fd fd = connect_with_timeout(addr, 10s);
  ASSERT_TRUE(core::write_all(fd.get(), "fresh\n"));
  EXPECT_EQ(read_line(fd.get()), "fresh\n");
}

class TimeoutTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TimeoutTest, AnUnfinishedRequestIsCutAfterTheHeaderTimeout) {
  ServerProcess server("netlab-server-" + GetParam(),
                       server_args(GetParam(), {"--header-timeout", "300ms", "--idle-timeout", "30s"}));
  core::Fd fd = connect_with_timeout(server.address(), 1s);
  auto start = Clock::now();
  ASSERT_TRUE(core::write_all(fd.get(), "x"));
  double closed = seconds_until_closed(fd.get(), start);
  EXPECT_GT(closed, 0.25) << "closed before its time, or never (-1)";
  EXPECT_LT(closed, 3.0);
  expect_echo_served(server.address());
  EXPECT_EQ(server.stop().status, 0);
}

// A connection that never sends a byte waits for its first request, under the header timeout
// (10 s by default), not the keep-alive idle timeout (60 s): edge-triggered loops once gave it the
// idle one, after the read they make at accept found nothing.
TEST_P(TimeoutTest, ASilentNewConnectionIsCutAfterTheHeaderTimeout) {
  std::vector<std::vector<std::string>> triggers{{}};
  if (GetParam() == "epoll" || GetParam() == "reactors" || GetParam() == "processes") {
    triggers.push_back({"--trigger", "edge"});
  }
  for (const auto& trigger : triggers) {
    auto extra = trigger;
    extra.insert(extra.end(), {"--header-timeout", "300ms", "--idle-timeout", "30s"});
    ServerProcess server("netlab-server-" + GetParam(), server_args(GetParam(), extra));
    core::Fd fd = connect_with_timeout(server.address(), 1s);
    double closed = seconds_until_closed(fd.get(), Clock::now());
    EXPECT_GT(closed, 0.25) << "closed before its time, or never (-1)";
    EXPECT_LT(closed, 3.0) << (trigger.empty() ? "" : "edge-triggered");
    EXPECT_EQ(server.stop().status, 0);
  }
}

TEST_P(TimeoutTest, ASlowlorisTrickleDoesNotResetTheHeaderClock) {
  ServerProcess server("netlab-server-" + GetParam(),
                       server_args(GetParam(), {"--header-timeout", "400ms", "--idle-timeout", "30s"}));
  core::Fd fd = connect_with_timeout(server.address(), 100ms);
  auto start = Clock::now();
  bool closed = false;
  // A byte every 100 ms, never a newline: without a fixed deadline this would last forever.
  while (!closed && Clock::now() - start < kCloseWithin) {
    if (!core::write_all(fd.get(), "y")) break;
    char c;
    ssize_t n = read_retrying(fd.get(), &c, 1);  // waits up to 100 ms
    closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }
  double after = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_LT(after, 3.0) << "the trickle kept the request alive";
  EXPECT_GT(after, 0.35);
  expect_echo_served(server.address());
  EXPECT_EQ(server.stop().status, 0);
}

TEST_P(TimeoutTest, AnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerProcess server("netlab-server-" + GetParam(),
                       server_args(GetParam(), {"--idle-timeout", "300ms", "--header-timeout", "30s"}));
  core::Fd fd = connect_with_timeout(server.address(), 1s);
  ASSERT_TRUE(core::write_all(fd.get(), "hi\n"));
  ASSERT_EQ(read_line(fd.get()), "hi\n");
  double closed = seconds_until_closed(fd.get(), Clock::now());
  EXPECT_GT(closed, 0.25) << "closed before its time, or never (-1)";
  EXPECT_LT(closed, 3.0);
  expect_echo_served(server.address());
  EXPECT_EQ(server.stop().status, 0);
}

TEST_P(TimeoutTest, HttpAnswersAHeadThatNeverEndsWith408) {
  ServerProcess server("netlab-server-" + GetParam(),
                       server_args(GetParam(), {"--proto", "http", "--header-timeout", "300ms"}));
  core::Fd fd = connect_with_timeout(server.address(), 3s);
  ASSERT_TRUE(core::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_EQ(read_line(fd.get()), "HTTP/1.1 408 Request Timeout\r\n");
  EXPECT_GT(seconds_until_closed(fd.get(), Clock::now()), 0);
  EXPECT_EQ(server.stop().status, 0);
}

TEST_P(TimeoutTest, AClientThatSendsButNeverReadsIsDroppedAfterTheSendTimeout) {
  ServerProcess server("netlab-server-" + GetParam(),
                       server_args(GetParam(), {"--send-timeout", "300ms", "--idle-timeout", "30s"}));
  core::Fd fd = connect_never_reading(server.address());
  ::fcntl(fd.get(), F_SETFL, O_NONBLOCK);
  // Lines until both directions' buffers are full: the server is stuck sending replies.
  const std::string lines = std::string(1023, 'z') + "\n";
  auto start = Clock::now();
  for (auto quiet = Clock::now(); Clock::now() - quiet < 500ms && Clock::now() - start < 10s;) {
    if (::send(fd.get(), lines.data(), lines.size(), MSG_NOSIGNAL) > 0) {
      quiet = Clock::now();
    } else {
      std::this_thread::sleep_for(5ms);
    }
  }
  std::this_thread::sleep_for(1500ms);  // the send timeout plus a sweep, with room
  // Had the server kept the connection, reading would unblock it and it would keep echoing.
  ::fcntl(fd.get(), F_SETFL, 0);
  EXPECT_GT(seconds_until_closed(fd.get(), Clock::now()), -1) << "still served";
  expect_echo_served(server.address());
  EXPECT_EQ(server.stop().status, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, TimeoutTest, ::testing::ValuesIn(kTcpModels), [](const auto& p) { return p.param; });

// The lock-out: every worker held by a client that sends a byte now and then.
class SlowlorisPoolTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SlowlorisPoolTest, TwoSlowClientsDoNotLockATwoWorkerPoolOut) {
  ServerProcess server("netlab-server-" + GetParam(),
                       {"--listen", "127.0.0.1:0", "--workers", "2", "--header-timeout", "500ms"});
  std::vector<core::Fd> slow;
  for (int i = 0; i < 2; ++i) {
    slow.push_back(connect_with_timeout(server.address(), 1s));
    ASSERT_TRUE(core::write_all(slow.back().get(), "s"));
  }
  std::this_thread::sleep_for(100ms);  // both are with a worker now
  for (auto& fd : slow) core::write_all(fd.get(), "s");
  auto start = Clock::now();
  expect_echo_served(server.address());
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 2.0);
  EXPECT_EQ(server.stop().status, 0);
}

INSTANTIATE_TEST_SUITE_P(Pools, SlowlorisPoolTest, ::testing::Values("thread_pool", "prefork"),
                         [](const auto& p) { return p.param; });

// Ten slow clients queued for two workers: the header clock of each runs from its accept, not from
// when a worker takes it, so the queue drains within about one header timeout (not five turns of
// it), and a fresh client behind them is served. Clients that sent a whole request while they
// waited are still answered. prefork's queue is the kernel's backlog, where the accept time is
// unknown: it sheds instead (PreforkShedTest).
TEST(SlowlorisQueueTest, AQueueOfSlowClientsDrainsWithinOneHeaderTimeout) {
  ServerProcess server("netlab-server-thread_pool",
                       {"--listen", "127.0.0.1:0", "--workers", "2", "--header-timeout", "500ms"});
  std::vector<core::Fd> slow;
  for (int i = 0; i < 10; ++i) {
    slow.push_back(connect_with_timeout(server.address(), 1s));
    ASSERT_TRUE(core::write_all(slow.back().get(), "s"));
  }
  core::Fd patient = connect_with_timeout(server.address(), 5s);  // whole request, waits its turn
  ASSERT_TRUE(core::write_all(patient.get(), "patient\n"));
  auto start = Clock::now();
  expect_echo_served(server.address());
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 1.5) << "five turns would take 2.5 s";
  EXPECT_EQ(read_line(patient.get()), "patient\n");
  EXPECT_EQ(server.stop().status, 0);
}

// prefork under a slowloris backlog: twenty slow clients for two workers and a 10 s header
// timeout. While clients wait in the backlog, a worker cuts a connection that went quiet (100 ms)
// in the middle of a request, so the fresh client is served at once instead of after ten header
// timeouts. Who is never cut: a client that sent its whole request while it waited, and one that
// is idle between kept-alive requests (and one that sent nothing yet: OneConnectionPerProcessTest).
TEST(PreforkShedTest, ASlowlorisBacklogDoesNotHoldThePool) {
  ServerProcess server("netlab-server-prefork", {"--listen", "127.0.0.1:0", "--workers", "2"});
  core::Fd kept = connect_with_timeout(server.address(), 1s);  // served, then idle between requests
  ASSERT_TRUE(core::write_all(kept.get(), "kept\n"));
  ASSERT_EQ(read_line(kept.get()), "kept\n");
  std::vector<core::Fd> slow;
  for (int i = 0; i < 20; ++i) {
    slow.push_back(connect_with_timeout(server.address(), 1s));
    ASSERT_TRUE(core::write_all(slow.back().get(), "s"));
  }
  core::Fd patient = connect_with_timeout(server.address(), 1s);  // whole request, waits its turn
  ASSERT_TRUE(core::write_all(patient.get(), "patient\n"));
  std::this_thread::sleep_for(200ms);  // every slow client has gone quiet
  auto start = Clock::now();
  EXPECT_EQ(read_line(patient.get()), "patient\n");
  patient = core::Fd();  // done: its worker is free (kept alive, it would hold it, as `kept` does)
  expect_echo_served(server.address());
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 1.0) << "ten turns would take 100 s";
  int cut = 0;
  for (auto& fd : slow) cut += peer_closed(fd.get()) ? 1 : 0;
  EXPECT_GE(cut, 18) << "slowloris connections cut to make room";
  ASSERT_TRUE(core::write_all(kept.get(), "still\n"));
  EXPECT_EQ(read_line(kept.get()), "still\n") << "a kept-alive connection is not cut";
  EXPECT_EQ(server.stop().status, 0);
}

}  // namespace
}  // namespace netlab::test
