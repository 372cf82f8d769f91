// ThreadPool: a fixed set of workers taking jobs from one queue. Threads are created once, so a
// job costs a queue push and a wake-up instead of a thread creation, and the worker count caps how
// many jobs run at once (the knob that keeps a CPU-bound pool at one thread per core, or an
// IO-bound pool at as many waits as the device can usefully overlap).
// Thread contract: submit() and wait_idle() from any thread; the destructor runs what is queued.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace netlab::bench {

class ThreadPool {
 public:
  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(std::function<void()> job);
  // Blocks until the queue is empty and no job is running.
  void wait_idle();

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable has_job_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;  // guarded by mutex_
  int running_ = 0;                         // guarded by mutex_
  bool stopping_ = false;                   // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace netlab::bench
