#include "bench/sync/bank_account.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include "bench/sync/spinlock.hpp"

namespace netlab::bench {
namespace {

// A mutex that records how many lock() calls found it held and had to wait.
class CountingMutex {
 public:
  void lock() {
    if (mutex_.try_lock()) return;
    contended_.fetch_add(1);
    mutex_.lock();
  }
  bool try_lock() { return mutex_.try_lock(); }
  void unlock() { mutex_.unlock(); }
  int contended() const { return contended_.load(); }

 private:
  std::mutex mutex_;
  std::atomic<int> contended_{0};
};

// The barrier holds each thread between its read and its write until both have read: both see the
// same balance, every run, so the lost update is certain rather than likely.
TEST(BankAccountTest, UnlockedDepositsLoseAnUpdateWhenInterleaved) {
  UnlockedAccount account;
  std::barrier both_read(2);
  auto deposit = [&] { account.deposit(100, [&] { both_read.arrive_and_wait(); }); };
  std::thread a(deposit), b(deposit);
  a.join();
  b.join();
  EXPECT_EQ(account.balance(), 100) << "two deposits of 100, one lost";
}

TEST(BankAccountTest, UnlockedWithdrawalsBothPassAStaleCheck) {
  UnlockedAccount account(100);
  std::barrier both_checked(2);
  std::atomic<int> paid{0};
  auto withdraw = [&] {
    if (account.withdraw(80, [&] { both_checked.arrive_and_wait(); })) paid.fetch_add(80);
  };
  std::thread a(withdraw), b(withdraw);
  a.join();
  b.join();
  EXPECT_EQ(paid.load(), 160) << "paid out more than the 100 the account held";
  EXPECT_EQ(account.balance(), 20);
}

// With the lock, the first depositor waits inside its read-modify-write until the second has
// tried to take the lock and been made to wait. Without the lock the second deposit would complete
// in that window and one update would be lost, failing the balance check.
TEST(BankAccountTest, LockedDepositsSerialiseUnderTheSameInterleaving) {
  LockedAccount<CountingMutex> account;
  std::atomic<bool> first_inside{false}, second_done{false};
  std::thread first([&] {
    account.deposit(100, [&] {
      first_inside.store(true);
      while (account.mutex().contended() == 0 && !second_done.load()) std::this_thread::yield();
    });
  });
  while (!first_inside.load()) std::this_thread::yield();
  std::thread second([&] {
    account.deposit(100);
    second_done.store(true);
  });
  first.join();
  second.join();
  EXPECT_EQ(account.mutex().contended(), 1);
  EXPECT_EQ(account.balance(), 200);
}

TEST(BankAccountTest, LockedWithdrawalsPayOutOnlyWhatIsThere) {
  LockedAccount<CountingMutex> account(100);
  std::atomic<bool> first_inside{false}, second_done{false};
  std::atomic<int> paid{0};
  std::thread first([&] {
    if (account.withdraw(80, [&] {
          first_inside.store(true);
          while (account.mutex().contended() == 0 && !second_done.load()) std::this_thread::yield();
        })) {
      paid.fetch_add(80);
    }
  });
  while (!first_inside.load()) std::this_thread::yield();
  std::thread second([&] {
    if (account.withdraw(80)) paid.fetch_add(80);
    second_done.store(true);
  });
  first.join();
  second.join();
  EXPECT_EQ(paid.load(), 80);
  EXPECT_EQ(account.balance(), 20);
}

template <class Mutex>
long deposit_from_threads(int threads, int deposits) {
  LockedAccount<Mutex> account;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < deposits; ++i) account.deposit(1);
    });
  }
  for (auto& w : workers) w.join();
  return account.balance();
}

TEST(BankAccountTest, ManyLockedDepositsAllCount) {
  EXPECT_EQ(deposit_from_threads<std::mutex>(4, 5000), 20000);
  EXPECT_EQ(deposit_from_threads<Spinlock>(4, 5000), 20000);
}

}  // namespace
}  // namespace netlab::bench
