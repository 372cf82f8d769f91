#include "bench/sync/transfer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <barrier>
#include <thread>
#include <vector>

namespace netlab::bench {
namespace {

struct Step {
  bool holds_first = false;
  bool got_second = false;
};

// Two threads transfer A->B and B->A at the same moment. Each takes its first lock, all meet at a
// barrier, then each tries its second lock. A thread that holds one lock and cannot get the other
// would, with a blocking lock(), wait forever: if both are in that state we have the deadlock cycle.
// try_lock lets the test observe the cycle instead of hanging in it.
std::array<Step, 2> race_opposite_transfers(LockOrder order) {
  Account a(1), b(2);
  std::barrier sync(2);
  std::array<Step, 2> steps;
  auto run = [&](Account& from, Account& to, Step& step) {
    auto [first, second] = lock_sequence(from, to, order);
    step.holds_first = first->mutex.try_lock();
    sync.arrive_and_wait();
    if (step.holds_first) step.got_second = second->mutex.try_lock();
    sync.arrive_and_wait();  // both attempts made before anyone releases
    if (step.got_second) second->mutex.unlock();
    if (step.holds_first) first->mutex.unlock();
  };
  std::thread t1([&] { run(a, b, steps[0]); });
  std::thread t2([&] { run(b, a, steps[1]); });
  t1.join();
  t2.join();
  return steps;
}

bool deadlocked(const std::array<Step, 2>& s) {
  return s[0].holds_first && !s[0].got_second && s[1].holds_first && !s[1].got_second;
}

TEST(TransferTest, NaiveOrderLocksOppositeTransfersInOppositeOrder) {
  Account a(1), b(2);
  EXPECT_EQ(lock_sequence(a, b, LockOrder::kAsGiven), std::make_pair(&a, &b));
  EXPECT_EQ(lock_sequence(b, a, LockOrder::kAsGiven), std::make_pair(&b, &a));
  EXPECT_EQ(lock_sequence(a, b, LockOrder::kById), std::make_pair(&a, &b));
  EXPECT_EQ(lock_sequence(b, a, LockOrder::kById), std::make_pair(&a, &b));
}

TEST(TransferTest, NaiveOrderDeadlocksWhenOppositeTransfersInterleave) {
  EXPECT_TRUE(deadlocked(race_opposite_transfers(LockOrder::kAsGiven)));
}

TEST(TransferTest, IdOrderNeverHoldsOneLockWhileWaitingForTheOther) {
  auto steps = race_opposite_transfers(LockOrder::kById);
  EXPECT_FALSE(deadlocked(steps));
  // Both want account 1 first: exactly one gets it, and that one also gets account 2.
  EXPECT_NE(steps[0].holds_first, steps[1].holds_first);
  for (const auto& s : steps) EXPECT_EQ(s.holds_first, s.got_second);
}

TEST(TransferTest, MovesMoneyOnlyWhenCovered) {
  Account a(1, 100), b(2, 0);
  EXPECT_TRUE(transfer(a, b, 60));
  EXPECT_FALSE(transfer(a, b, 60));
  EXPECT_TRUE(transfer_ordered(b, a, 10));
  EXPECT_TRUE(transfer(a, a, 1000));
  EXPECT_EQ(a.balance, 50);
  EXPECT_EQ(b.balance, 50);
}

// Three threads send money round a ring in both directions at once, the pattern that deadlocks
// with the naive order; both fixes must finish (a hang fails by ctest's timeout) with every unit
// accounted for.
template <class Transfer>
void stress_ring(Transfer move) {
  std::array<Account, 3> accounts{Account(1, 1000), Account(2, 1000), Account(3, 1000)};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        Account& x = accounts[t];
        Account& y = accounts[(t + 1) % 3];
        if (i % 2 == 0) {
          move(x, y, 7);
        } else {
          move(y, x, 7);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  long total = 0;
  for (auto& acc : accounts) {
    std::lock_guard lock(acc.mutex);
    EXPECT_GE(acc.balance, 0);
    total += acc.balance;
  }
  EXPECT_EQ(total, 3000);
}

TEST(TransferTest, ScopedLockTransfersFinishAndConserveMoney) { stress_ring(transfer); }
TEST(TransferTest, OrderedTransfersFinishAndConserveMoney) { stress_ring(transfer_ordered); }

}  // namespace
}  // namespace netlab::bench
