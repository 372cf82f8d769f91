#include "bench/multitask/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>

#include "bench/multitask/finishes_within.hpp"

namespace netlab::bench {
namespace {

TEST(MultitaskThreadPoolTest, RunsEverySubmittedJobBeforeIdle) {
  ThreadPool pool(3);
  std::atomic<int> done{0};
  for (int round = 1; round <= 3; ++round) {
    for (int i = 0; i < 100; ++i) pool.submit([&] { done.fetch_add(1); });
    pool.wait_idle();
    EXPECT_EQ(done.load(), 100 * round);
  }
}

TEST(MultitaskThreadPoolTest, WaitIdleReturnsAtOnceWithNothingQueued) {
  auto* pool = new ThreadPool(2);
  ASSERT_TRUE(finishes_within(std::chrono::seconds(2), [pool] { pool->wait_idle(); })) << "wait_idle() hung with nothing queued";
  delete pool;
}

// Four jobs that each wait for all four to start can only finish if four workers run them at
// once: a pool that ran fewer jobs concurrently would hang here (and fail by ctest's timeout).
TEST(MultitaskThreadPoolTest, RunsAsManyJobsAtOnceAsItHasWorkers) {
  ThreadPool pool(4);
  std::latch all_started(4);
  std::atomic<int> done{0};
  for (int i = 0; i < 4; ++i) {
    pool.submit([&] {
      all_started.arrive_and_wait();
      done.fetch_add(1);
    });
  }
  pool.wait_idle();
  EXPECT_EQ(done.load(), 4);
}

TEST(MultitaskThreadPoolTest, DestructorRunsWhatIsQueued) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(1);
    for (int i = 0; i < 20; ++i) pool.submit([&] { done.fetch_add(1); });
  }
  EXPECT_EQ(done.load(), 20);
}

}  // namespace
}  // namespace netlab::bench
