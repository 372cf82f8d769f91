#include "bench/sync/spinlock.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

namespace netlab::bench {
namespace {

TEST(SpinlockTest, TryLockFailsWhileHeld) {
  Spinlock lock;
  ASSERT_TRUE(lock.try_lock());
  EXPECT_FALSE(lock.try_lock());
  lock.unlock();
  EXPECT_TRUE(lock.try_lock());
  lock.unlock();
}

// A plain counter incremented under the lock by several threads: any lost increment means two
// threads were inside at once (ThreadSanitizer would also report the race on `count`).
TEST(SpinlockTest, ExcludesConcurrentIncrements) {
  Spinlock lock;
  long count = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        std::lock_guard guard(lock);
        count = count + 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(count, 80000);
}

}  // namespace
}  // namespace netlab::bench
