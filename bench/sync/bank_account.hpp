// The notes' bank-account race, and its fix.
//
// deposit() and withdraw() are read-modify-write: read the balance, compute, write it back. When two
// threads interleave between the read and the write, one update is lost (deposit) or a check is
// made against a stale balance (withdraw pays out money the account no longer has). Python's GIL
// does not prevent this, and neither does C++: only holding a lock across the whole sequence does.
//
// `between` is called between the read and the write. Tests pass a barrier there to force the bad
// interleaving every time instead of hoping for it; everything else passes nothing.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>

namespace netlab::bench {

using Hook = std::function<void()>;

// No lock. Each access is a relaxed atomic load or store, so there is no data race in the C++ sense
// (no undefined behaviour, ThreadSanitizer stays quiet), but load and store are separate steps: the
// update as a whole still races, which is the logical lost update the notes demonstrate.
class UnlockedAccount {
 public:
  explicit UnlockedAccount(long balance = 0) : balance_(balance) {}
  void deposit(long amount, const Hook& between = {});
  // Pays out `amount` if the balance (as read) covers it; returns whether it paid.
  bool withdraw(long amount, const Hook& between = {});
  long balance() const { return balance_.load(std::memory_order_relaxed); }

 private:
  std::atomic<long> balance_;
};

// The fix: the whole read-modify-write runs under one lock. Mutex is a template parameter so tests
// can observe contention and benchmarks can swap in a spinlock.
template <class Mutex = std::mutex>
class LockedAccount {
 public:
  explicit LockedAccount(long balance = 0) : balance_(balance) {}

  void deposit(long amount, const Hook& between = {}) {
    std::lock_guard lock(mutex_);
    const long seen = balance_;
    if (between) between();
    balance_ = seen + amount;
  }

  bool withdraw(long amount, const Hook& between = {}) {
    std::lock_guard lock(mutex_);
    const long seen = balance_;
    if (between) between();
    if (seen < amount) return false;
    balance_ = seen - amount;
    return true;
  }

  long balance() const {
    std::lock_guard lock(mutex_);
    return balance_;
  }
  Mutex& mutex() { return mutex_; }

 private:
  mutable Mutex mutex_;
  long balance_;
};

}  // namespace netlab::bench
