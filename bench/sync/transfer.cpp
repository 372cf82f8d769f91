#include "bench/sync/transfer.hpp"

namespace netlab::bench {
namespace {

// Caller holds both locks.
bool move_money(Account& from, Account& to, long amount) {
  if (from.balance < amount) return false;
  from.balance -= amount;
  to.balance += amount;
  return true;
}

}  // namespace

std::pair<Account*, Account*> lock_sequence(Account& from, Account& to, LockOrder order) {
  if (order == LockOrder::kById && to.id < from.id) return {&to, &from};
  return {&from, &to};
}

bool transfer(Account& from, Account& to, long amount) {
  if (&from == &to) return true;  // locking one mutex twice would deadlock by itself
  std::scoped_lock lock(from.mutex, to.mutex);
  return move_money(from, to, amount);
}

bool transfer_ordered(Account& from, Account& to, long amount) {
  if (&from == &to) return true;
  auto [first, second] = lock_sequence(from, to, LockOrder::kById);
  std::lock_guard lock_first(first->mutex);
  std::lock_guard lock_second(second->mutex);
  return move_money(from, to, amount);
}

}  // namespace netlab::bench
