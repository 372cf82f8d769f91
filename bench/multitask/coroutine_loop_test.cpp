#include "bench/multitask/coroutine_loop.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "bench/multitask/finishes_within.hpp"
#include "bench/multitask/tasks.hpp"

namespace netlab::bench {
namespace {

Detached read_one(CoroutineLoop& loop, int fd, int id, std::vector<int>& order) {
  co_await loop.readable(fd);
  char c = 0;
  EXPECT_EQ(read(fd, &c, 1), 1);
  order.push_back(id);
}

Detached wait_timer(CoroutineLoop& loop, int& finished) {
  int timer = arm_timer(std::chrono::milliseconds(2));
  co_await loop.readable(timer);
  finish_timer(timer);
  ++finished;
}

TEST(CoroutineLoopTest, CoroutinesSuspendUntilTheirDescriptorIsReadable) {
  int a[2], b[2];
  ASSERT_EQ(pipe(a), 0);
  ASSERT_EQ(pipe(b), 0);
  CoroutineLoop loop;
  std::vector<int> order;
  read_one(loop, a[0], 1, order);
  read_one(loop, b[0], 2, order);
  EXPECT_TRUE(order.empty()) << "a coroutine ran past co_await before its pipe was readable";
  ASSERT_EQ(write(b[1], "x", 1), 1);
  ASSERT_EQ(write(a[1], "x", 1), 1);
  loop.run();
  EXPECT_EQ(order, (std::vector<int>{2, 1}));  // resumed in the order the pipes became readable
  for (int fd : {a[0], a[1], b[0], b[1]}) close(fd);
}

TEST(CoroutineLoopTest, ManyTimerWaitsAllFinishInOneThread) {
  CoroutineLoop loop;
  int finished = 0;
  for (int i = 0; i < 200; ++i) wait_timer(loop, finished);
  EXPECT_EQ(finished, 0);
  loop.run();
  EXPECT_EQ(finished, 200);
}

TEST(CoroutineLoopTest, RunReturnsAtOnceWhenNothingWaits) {
  auto* loop = new CoroutineLoop;
  ASSERT_TRUE(finishes_within(std::chrono::seconds(2), [loop] { loop->run(); })) << "run() waited with nothing to wait for";
  delete loop;
}

}  // namespace
}  // namespace netlab::bench
