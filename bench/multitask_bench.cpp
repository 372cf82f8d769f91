// The notes' experiment: the same CPU-bound and IO-bound task sets run by one thread, by N
// processes, by N threads, by a pool of N threads and (IO) by coroutines on one thread.
//
// CPU set: kCpuTasks fixed computations (bench/multitask/tasks.hpp). IO set: kIoTasks waits of
// 10 ms on a timerfd, i.e. blocking on a descriptor, no CPU. Tasks are dealt round-robin to the
// workers. Processes are forked per run and send their result back through a pipe (the price of
// not sharing memory); threads and the pool write to memory they share. The pool's threads are
// created once per benchmark, outside the timed region, which is the point of a pool.
//
// What it shows on 2 vCPUs: CPU work speeds up until N reaches the core count and not after, and
// threads do as well as processes (no GIL); IO waits overlap freely, so N workers divide the time
// by N up to N = tasks, and coroutines overlap all of them in one thread.
//
// Usage:     netlab-bench-multitask [--benchmark_filter=cpu] (any Google Benchmark flag)
// Test with: scripts/bench  (writes CSV + JSON under results/bench/<stamp>/)
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench/multitask/coroutine_loop.hpp"
#include "bench/multitask/tasks.hpp"
#include "bench/multitask/thread_pool.hpp"

namespace netlab::bench {
namespace {

constexpr int kCpuTasks = 8;
constexpr int kIoTasks = 16;
constexpr int kManyIoTasks = 512;

using Task = std::function<std::uint64_t(int)>;

std::uint64_t run_single(const Task& task, int tasks, int) {
  std::uint64_t sum = 0;
  for (int t = 0; t < tasks; ++t) sum += task(t);
  return sum;
}

std::uint64_t run_processes(const Task& task, int tasks, int workers) {
  int results[2];
  if (pipe(results) != 0) std::abort();
  std::vector<pid_t> children;
  for (int w = 0; w < workers; ++w) {
    pid_t pid = fork();
    if (pid < 0) {
      std::perror("fork");
      std::abort();
    }
    if (pid == 0) {
      close(results[0]);
      std::uint64_t sum = 0;
      for (int t = w; t < tasks; t += workers) sum += task(t);
      // 8 bytes is below PIPE_BUF: one atomic write, never interleaved with a sibling's.
      _exit(write(results[1], &sum, sizeof sum) == sizeof sum ? 0 : 1);
    }
    children.push_back(pid);
  }
  close(results[1]);
  std::uint64_t sum = 0, part = 0;
  while (read(results[0], &part, sizeof part) == sizeof part) sum += part;
  close(results[0]);
  for (pid_t pid : children) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) std::abort();
  }
  return sum;
}

std::uint64_t run_threads(const Task& task, int tasks, int workers) {
  std::vector<std::uint64_t> sums(static_cast<size_t>(workers));
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (int t = w; t < tasks; t += workers) sums[static_cast<size_t>(w)] += task(t);
    });
  }
  for (auto& t : threads) t.join();
  std::uint64_t sum = 0;
  for (auto s : sums) sum += s;
  return sum;
}

// CPU time used by this process's threads and by its reaped children, in ms. Divided by wall time
// it says how many cores the task set actually got: on a shared machine that, not the worker
// count, is what bounds a CPU-bound speed-up.
double cpu_ms_used() {
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  auto ms = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3; };
  return ms(self.ru_utime) + ms(self.ru_stime) + ms(children.ru_utime) + ms(children.ru_stime);
}

void report(benchmark::State& state, int tasks, int workers, double cpu_ms_before) {
  state.counters["tasks"] = tasks;
  state.counters["workers"] = workers;
  state.counters["cpu_ms"] = (cpu_ms_used() - cpu_ms_before) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * tasks);
}

using Runner = std::uint64_t (*)(const Task&, int, int);

void bench_runner(benchmark::State& state, Runner runner, Task task, int tasks, int workers) {
  const double cpu_before = cpu_ms_used();
  for (auto _ : state) benchmark::DoNotOptimize(runner(task, tasks, workers));
  report(state, tasks, workers, cpu_before);
}

void bench_pool(benchmark::State& state, Task task, int tasks, int workers) {
  ThreadPool pool(workers);
  std::atomic<std::uint64_t> sum{0};
  const double cpu_before = cpu_ms_used();
  for (auto _ : state) {
    for (int t = 0; t < tasks; ++t) pool.submit([&, t] { sum.fetch_add(task(t), std::memory_order_relaxed); });
    pool.wait_idle();
  }
  benchmark::DoNotOptimize(sum.load());
  report(state, tasks, workers, cpu_before);
}

Detached io_coroutine(CoroutineLoop& loop) {
  int timer = arm_timer(kIoWait);
  co_await loop.readable(timer);
  finish_timer(timer);
}

void bench_coroutines(benchmark::State& state, int tasks) {
  const double cpu_before = cpu_ms_used();
  for (auto _ : state) {
    CoroutineLoop loop;
    for (int t = 0; t < tasks; ++t) io_coroutine(loop);
    loop.run();
  }
  report(state, tasks, 1, cpu_before);
}

// Every case runs a few whole task sets, three times, and reports mean, median and spread:
// a task set is long enough (10-500 ms) that a handful of runs gives a usable median.
void tune(benchmark::internal::Benchmark* b, std::int64_t iterations) {
  b->Iterations(iterations)->Repetitions(3)->ReportAggregatesOnly(true)->UseRealTime()->Unit(benchmark::kMillisecond);
}

void register_all() {
  const Task cpu = [](int t) { return cpu_task(static_cast<std::uint64_t>(t) + 1); };
  const Task io = [](int) -> std::uint64_t {
    io_task();
    return 1;
  };
  struct Kind {
    const char* name;
    Task task;
    int tasks;
    std::vector<int> workers;
    std::int64_t iterations;
  };
  const Kind kinds[] = {{"cpu", cpu, kCpuTasks, {2, 4, 8}, 2}, {"io", io, kIoTasks, {2, 4, 16}, 5}};
  for (const auto& k : kinds) {
    const std::string prefix = std::string("multitask/") + k.name;
    tune(benchmark::RegisterBenchmark((prefix + "/single/workers:1").c_str(), bench_runner, run_single, k.task,
                                      k.tasks, 1),
         2);
    const std::pair<const char*, Runner> runners[] = {{"processes", run_processes}, {"threads", run_threads}};
    for (const auto& [name, runner] : runners) {
      for (int w : k.workers) {
        tune(benchmark::RegisterBenchmark((prefix + "/" + name + "/workers:" + std::to_string(w)).c_str(),
                                          bench_runner, runner, k.task, k.tasks, w),
             k.iterations);
      }
    }
    for (int w : k.workers) {
      tune(benchmark::RegisterBenchmark((prefix + "/pool/workers:" + std::to_string(w)).c_str(), bench_pool, k.task,
                                        k.tasks, w),
           k.iterations);
    }
  }
  tune(benchmark::RegisterBenchmark("multitask/io/coroutines/workers:1", bench_coroutines, kIoTasks), 5);
  // Many concurrent waits: a thread per wait against a small pool against one coroutine thread.
  const std::string many = "multitask/io" + std::to_string(kManyIoTasks);
  tune(benchmark::RegisterBenchmark((many + "/threads/workers:512").c_str(), bench_runner, run_threads, io,
                                    kManyIoTasks, kManyIoTasks),
       2);
  tune(benchmark::RegisterBenchmark((many + "/pool/workers:16").c_str(), bench_pool, io, kManyIoTasks, 16), 2);
  tune(benchmark::RegisterBenchmark((many + "/coroutines/workers:1").c_str(), bench_coroutines, kManyIoTasks), 5);
}

// Registered during static initialisation, before BENCHMARK_MAIN's main() lists or runs them.
[[maybe_unused]] const bool kRegistered = (register_all(), true);

}  // namespace
}  // namespace netlab::bench

BENCHMARK_MAIN();
