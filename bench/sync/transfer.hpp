// Deadlock avoidance, on the notes' bank: a transfer needs both accounts' locks.
//
// Taking them "from, then to" deadlocks as soon as one thread sends A->B while another sends B->A:
// each holds its first lock and waits forever for the other's. Two cures, both here:
//   transfer():         std::scoped_lock, which takes several mutexes with a deadlock-avoidance
//                       algorithm (try-and-back-off), whatever order they are named in;
//   transfer_ordered(): a global lock order (lower account id first), so no cycle of waiters can
//                       form. This one also works across languages and for locks taken far apart.
// lock_sequence() states each policy's order so tests can show the cycle without hanging.
#pragma once

#include <mutex>
#include <utility>

namespace netlab::bench {

struct Account {
  explicit Account(int account_id, long initial = 0) : id(account_id), balance(initial) {}
  const int id;  // unique; defines the global lock order
  std::mutex mutex;
  long balance;  // guarded by mutex
};

enum class LockOrder {
  kAsGiven,  // from, then to: the naive order that deadlocks
  kById,     // lower id first: a global order, deadlock-free
};

// The two accounts in the order `order` locks them.
std::pair<Account*, Account*> lock_sequence(Account& from, Account& to, LockOrder order);

// Moves `amount` when `from` covers it; returns false (nothing moved) otherwise. A transfer to the
// same account is a no-op that succeeds. Thread-safe; never deadlocks.
bool transfer(Account& from, Account& to, long amount);
bool transfer_ordered(Account& from, Account& to, long amount);

}  // namespace netlab::bench
