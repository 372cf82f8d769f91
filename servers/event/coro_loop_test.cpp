// CoroLoop's timers and waits on real descriptors (a socketpair): sleeps resume in due order, a
// read waits for data, a write wait times out, a write timeout that went stale (the wait it
// belonged to already ended) never wakes a later wait, and a stop destroys what is still suspended.
#include "servers/event/coro_loop.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/net/fd.hpp"
#include "tests/support/socket_pair.hpp"

namespace netlab::server {
namespace {

using namespace std::chrono_literals;
using Clock = CoroLoop::Clock;

using test::socket_pair;
using test::SocketPair;

void fill(int fd) {
  static const std::string chunk(65536, 'x');
  while (::write(fd, chunk.data(), chunk.size()) > 0) {
  }
}

void drain(int fd) {
  char buf[65536];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
}

DetachedTask sleep_then_note(CoroLoop& loop, std::chrono::milliseconds d, int id, std::vector<int>& order) {
  co_await loop.sleep(d);
  order.push_back(id);
}

DetachedTask stop_after(CoroLoop& loop, std::chrono::milliseconds d) {
  co_await loop.sleep(d);
  loop.stop();
}

TEST(CoroLoopTest, SleepsResumeInDueOrder) {
  CoroLoop loop;
  std::vector<int> order;
  sleep_then_note(loop, 60ms, 3, order);
  sleep_then_note(loop, 20ms, 1, order);
  sleep_then_note(loop, 40ms, 2, order);
  sleep_then_note(loop, 0ms, 0, order);  // no wait at all: runs to the end at once
  EXPECT_EQ(order, std::vector<int>{0});
  stop_after(loop, 80ms);
  auto start = Clock::now();
  loop.run();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_GE(Clock::now() - start, 60ms);
}

DetachedTask read_when_ready(CoroLoop& loop, int fd, std::string& got) {
  char buf[16];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) < 0) {
    co_await loop.readable(fd);
  }
  got.assign(buf, static_cast<size_t>(n));
  loop.stop();
}

DetachedTask write_later(CoroLoop& loop, int fd, std::chrono::milliseconds d) {
  co_await loop.sleep(d);
  EXPECT_EQ(::write(fd, "hi", 2), 2);
}

TEST(CoroLoopTest, ReadableResumesOnceDataArrives) {
  CoroLoop loop;
  SocketPair p = socket_pair();
  loop.watch(p.a.get());
  std::string got;
  read_when_ready(loop, p.a.get(), got);
  write_later(loop, p.b.get(), 20ms);
  loop.run();
  EXPECT_EQ(got, "hi");
  loop.forget(p.a.get());
}

DetachedTask wait_writable(CoroLoop& loop, int fd, std::chrono::milliseconds timeout, int& result) {
  result = (co_await loop.writable(fd, timeout)) ? 1 : 0;
  loop.stop();
}

TEST(CoroLoopTest, WritableTimesOutWhenThePeerNeverReads) {
  CoroLoop loop;
  SocketPair p = socket_pair();
  fill(p.a.get());
  loop.watch(p.a.get());
  int result = -1;
  auto start = Clock::now();
  wait_writable(loop, p.a.get(), 50ms, result);
  loop.run();
  EXPECT_EQ(result, 0);
  EXPECT_GE(Clock::now() - start, 50ms);
  loop.forget(p.a.get());
}

DetachedTask two_write_waits(CoroLoop& loop, int fd, int& first, int& second, Clock::duration& second_took) {
  first = (co_await loop.writable(fd, 100ms)) ? 1 : 0;  // the peer drains at 20 ms
  fill(fd);
  auto start = Clock::now();
  second = (co_await loop.writable(fd, 300ms)) ? 1 : 0;  // nobody drains now
  second_took = Clock::now() - start;
  loop.stop();
}

DetachedTask drain_later(CoroLoop& loop, int fd, std::chrono::milliseconds d) {
  co_await loop.sleep(d);
  drain(fd);
}

TEST(CoroLoopTest, AStaleWriteTimeoutNeverWakesTheNextWait) {
  CoroLoop loop;
  SocketPair p = socket_pair();
  fill(p.a.get());
  loop.watch(p.a.get());
  int first = -1, second = -1;
  Clock::duration second_took{};
  two_write_waits(loop, p.a.get(), first, second, second_took);
  drain_later(loop, p.b.get(), 20ms);
  loop.run();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 0);
  // The first wait's timer falls due about 80 ms into the second wait; only the second's own counts.
  EXPECT_GE(second_took, 250ms);
  loop.forget(p.a.get());
}

struct SetOnDestroy {
  bool& flag;
  ~SetOnDestroy() { flag = true; }
};

DetachedTask wait_forever_for_data(CoroLoop& loop, int fd, bool& destroyed) {
  SetOnDestroy guard{destroyed};
  for (;;) co_await loop.readable(fd);
}

DetachedTask sleep_long(CoroLoop& loop, bool& destroyed) {
  SetOnDestroy guard{destroyed};
  co_await loop.sleep(std::chrono::hours(1));
}

TEST(CoroLoopTest, StopDestroysSuspendedCoroutines) {
  CoroLoop loop;
  SocketPair p = socket_pair();
  loop.watch(p.a.get());
  bool reader_destroyed = false, sleeper_destroyed = false;
  wait_forever_for_data(loop, p.a.get(), reader_destroyed);
  sleep_long(loop, sleeper_destroyed);
  stop_after(loop, 10ms);
  loop.run();
  EXPECT_TRUE(reader_destroyed);
  EXPECT_TRUE(sleeper_destroyed);
  loop.forget(p.a.get());
}

}  // namespace
}  // namespace netlab::server
