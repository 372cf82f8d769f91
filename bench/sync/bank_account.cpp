#include "bench/sync/bank_account.hpp"

namespace netlab::bench {

void UnlockedAccount::deposit(long amount, const Hook& between) {
  const long seen = balance_.load(std::memory_order_relaxed);
  if (between) between();
  balance_.store(seen + amount, std::memory_order_relaxed);
}

bool UnlockedAccount::withdraw(long amount, const Hook& between) {
  const long seen = balance_.load(std::memory_order_relaxed);
  if (between) between();
  if (seen < amount) return false;
  balance_.store(seen - amount, std::memory_order_relaxed);
  return true;
}

}  // namespace netlab::bench
