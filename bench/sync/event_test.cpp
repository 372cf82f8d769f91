#include "bench/sync/event.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace netlab::bench {
namespace {

using namespace std::chrono_literals;

TEST(EventTest, StartsClearAndWaitForTimesOut) {
  Event event;
  EXPECT_FALSE(event.is_set());
  EXPECT_FALSE(event.wait_for(1ms));
}

TEST(EventTest, WaitReturnsAtOnceWhileSetAndClearRearms) {
  Event event;
  event.set();
  event.wait();
  EXPECT_TRUE(event.wait_for(0ms));
  event.clear();
  EXPECT_FALSE(event.is_set());
  EXPECT_FALSE(event.wait_for(0ms));
}

TEST(EventTest, SetWakesEveryWaiter) {
  Event go;
  std::atomic<int> woken{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&] {
      go.wait();
      woken.fetch_add(1);
    });
  }
  EXPECT_EQ(woken.load(), 0);
  go.set();
  for (auto& w : waiters) w.join();
  EXPECT_EQ(woken.load(), 4);
}

// Two threads hand a turn back and forth; every hand-off must be seen exactly once.
TEST(EventTest, PingPongHandsOffInOrder) {
  Event ping, pong;
  std::vector<int> seen;
  std::thread other([&] {
    for (int i = 0; i < 1000; ++i) {
      ping.wait();
      ping.clear();
      seen.push_back(i);
      pong.set();
    }
  });
  for (int i = 0; i < 1000; ++i) {
    ping.set();
    pong.wait();
    pong.clear();
  }
  other.join();
  ASSERT_EQ(seen.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen[i], i);
}

}  // namespace
}  // namespace netlab::bench
