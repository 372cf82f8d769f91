// The notes' thread synchronisation primitives, timed in two shapes.
//
// Contention (sync/lock/<kind>, 1, 2, 4 and 8 threads): every iteration takes the lock (or does the
// atomic operation), increments one shared counter and releases it: the bank account's deposit at
// its smallest. items_per_second is the total across threads. With one thread it is the
// uncontended cost; past the core count (2 here) a sleeping lock keeps its throughput while a
// spinlock whose holder was preempted makes every waiter burn a whole time slice.
//
// Hand-off (sync/handoff/<kind>, 2 threads): a turn passes A -> B -> A, the notes' Event used as a
// signal. Time per iteration is one round trip of two wake-ups: a condition-variable Event, a pair
// of semaphores, C++20 atomic wait/notify (a futex without the mutex) and a pure spin on an atomic.
//
// Usage:     netlab-bench-sync [--benchmark_filter=handoff] (any Google Benchmark flag)
// Test with: scripts/bench  (writes CSV + JSON under results/bench/<stamp>/)
#include <benchmark/benchmark.h>

#include <atomic>
#include <mutex>
#include <semaphore>
#include <thread>

#include "bench/sync/event.hpp"
#include "bench/sync/spinlock.hpp"

namespace netlab::bench {
namespace {

// The shared counter sits on its own cache line, away from the lock, as in a well laid-out struct.
struct alignas(64) Counter {
  long value = 0;
};

void finish(benchmark::State& state, const char* label) {
  state.SetItemsProcessed(state.iterations());
  state.counters["threads"] = benchmark::Counter(state.threads(), benchmark::Counter::kAvgThreads);
  state.SetLabel(label);
}

template <class Lock>
void bench_lock(benchmark::State& state, const char* label) {
  static Lock lock;
  static Counter counter;
  for (auto _ : state) {
    std::lock_guard guard(lock);
    ++counter.value;
  }
  finish(state, label);
}

// std::binary_semaphore used as a lock (the notes' Semaphore(1)).
struct SemaphoreLock {
  std::binary_semaphore sem{1};
  void lock() { sem.acquire(); }
  void unlock() { sem.release(); }
};

void bench_fetch_add(benchmark::State& state) {
  static std::atomic<long> counter{0};
  for (auto _ : state) counter.fetch_add(1);
  finish(state, "atomic_fetch_add");
}

void bench_cas_loop(benchmark::State& state) {
  static std::atomic<long> counter{0};
  for (auto _ : state) {
    long seen = counter.load(std::memory_order_relaxed);
    while (!counter.compare_exchange_weak(seen, seen + 1)) {
    }
  }
  finish(state, "atomic_cas_loop");
}

// --- hand-off: thread 0 passes the turn to thread 1 and waits for it back.

void bench_handoff_event(benchmark::State& state) {
  static Event ping, pong;
  for (auto _ : state) {
    if (state.thread_index() == 0) {
      ping.set();
      pong.wait();
      pong.clear();
    } else {
      ping.wait();
      ping.clear();
      pong.set();
    }
  }
  finish(state, "cv_event");
}

void bench_handoff_semaphore(benchmark::State& state) {
  static std::binary_semaphore ping{0}, pong{0};
  for (auto _ : state) {
    if (state.thread_index() == 0) {
      ping.release();
      pong.acquire();
    } else {
      ping.acquire();
      pong.release();
    }
  }
  finish(state, "semaphore");
}

// turn: 0 = thread 0 may go, 1 = thread 1 may go. Both threads run the same number of iterations,
// so the turn is back at 0 when a run ends.
void bench_handoff_atomic_wait(benchmark::State& state) {
  static std::atomic<int> turn{0};
  const int me = state.thread_index();
  for (auto _ : state) {
    int seen;
    while ((seen = turn.load(std::memory_order_acquire)) != me) turn.wait(seen);
    turn.store(1 - me, std::memory_order_release);
    turn.notify_one();
  }
  finish(state, "atomic_wait");
}

void bench_handoff_spin(benchmark::State& state) {
  static std::atomic<int> turn{0};
  const int me = state.thread_index();
  for (auto _ : state) {
    while (turn.load(std::memory_order_acquire) != me) cpu_relax();
    turn.store(1 - me, std::memory_order_release);
  }
  finish(state, "atomic_spin");
}

void contended(benchmark::internal::Benchmark* b) {
  b->Threads(1)->Threads(2)->Threads(4)->Threads(8)->MinTime(0.1)->UseRealTime();
}
void pair(benchmark::internal::Benchmark* b) { b->Threads(2)->MinTime(0.1)->UseRealTime(); }

void bench_mutex(benchmark::State& state) { bench_lock<std::mutex>(state, "mutex"); }
void bench_spinlock(benchmark::State& state) { bench_lock<Spinlock>(state, "spinlock"); }
void bench_semaphore(benchmark::State& state) { bench_lock<SemaphoreLock>(state, "semaphore"); }

BENCHMARK(bench_mutex)->Name("sync/lock/mutex")->Apply(contended);
BENCHMARK(bench_spinlock)->Name("sync/lock/spinlock")->Apply(contended);
BENCHMARK(bench_semaphore)->Name("sync/lock/semaphore")->Apply(contended);
BENCHMARK(bench_fetch_add)->Name("sync/lock/atomic_fetch_add")->Apply(contended);
BENCHMARK(bench_cas_loop)->Name("sync/lock/atomic_cas_loop")->Apply(contended);

BENCHMARK(bench_handoff_event)->Name("sync/handoff/cv_event")->Apply(pair);
BENCHMARK(bench_handoff_semaphore)->Name("sync/handoff/semaphore")->Apply(pair);
BENCHMARK(bench_handoff_atomic_wait)->Name("sync/handoff/atomic_wait")->Apply(pair);
BENCHMARK(bench_handoff_spin)->Name("sync/handoff/atomic_spin")->Apply(pair);

}  // namespace
}  // namespace netlab::bench

BENCHMARK_MAIN();
