// The notes' IPC mechanisms, timed: a parent sends a message to a forked child, which sends it back.
// Time per iteration is one round trip; bytes_per_second counts both directions, so it is the
// channel's throughput with one message in flight (for large messages, close to its copy bandwidth).
//
// Every transport runs every message size it can carry (8 B .. 1 MiB; UDP up to 32 KiB; message
// queues up to fs.mqueue.msgsize_max, 8 KiB by default, so 4 KiB) in two
// placements: "split" pins parent and child to different CPUs, "same" pins both to CPU 0. On 2 vCPUs
// placement decides latency: a cross-CPU wake-up costs an IPI and the idle exit of the other core,
// a same-CPU one is a plain context switch; spinning (shm_atomic) only wins when split.
//
// Usage:     netlab-bench-ipc [--benchmark_filter=pipe] (any Google Benchmark flag)
// Test with: scripts/bench  (writes CSV + JSON under results/bench/<stamp>/)
#include <benchmark/benchmark.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "bench/ipc/channel.hpp"

namespace netlab::bench {
namespace {

enum class Placement { kSplit, kSame };

// Pins the calling thread to `cpu`; returns the previous mask so it can be restored.
cpu_set_t pin_to(int cpu) {
  cpu_set_t old, one;
  sched_getaffinity(0, sizeof old, &old);
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  sched_setaffinity(0, sizeof one, &one);
  return old;
}

[[noreturn]] void echo_forever(Endpoint& end, std::size_t size) {
  std::vector<char> buf(size);
  try {
    for (;;) {
      end.recv(buf.data(), size);
      end.send(buf.data(), size);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ipc child: %s\n", e.what());
    _exit(1);
  }
}

void bench_round_trip(benchmark::State& state, Transport transport, Placement placement) {
  const auto size = static_cast<std::size_t>(state.range(0));
  Channel channel;
  try {
    channel = make_channel(transport, size);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const cpu_set_t old_mask = pin_to(0);
  const pid_t child = fork();
  if (child < 0) {
    sched_setaffinity(0, sizeof old_mask, &old_mask);
    state.SkipWithError("fork failed");
    return;
  }
  if (child == 0) {
    channel.parent.reset();
    pin_to(placement == Placement::kSplit ? 1 : 0);
    echo_forever(*channel.child, size);
  }
  channel.child.reset();

  std::vector<char> out(size, 'x'), in(size);
  try {
    channel.parent->send(out.data(), size);  // one untimed round trip: the child is up and pinned
    channel.parent->recv(in.data(), size);
    for (auto _ : state) {
      channel.parent->send(out.data(), size);
      channel.parent->recv(in.data(), size);
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  sched_setaffinity(0, sizeof old_mask, &old_mask);

  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(2 * size));
  state.counters["size"] = static_cast<double>(size);
  state.SetLabel(std::string(transport_name(transport)) + (placement == Placement::kSplit ? " split" : " same"));
}

void register_all() {
  const bool two_cpus = sysconf(_SC_NPROCESSORS_ONLN) >= 2;
  for (Transport t : kAllTransports) {
    for (Placement p : {Placement::kSplit, Placement::kSame}) {
      if (p == Placement::kSplit && !two_cpus) continue;
      const std::string name =
          std::string("ipc/") + transport_name(t) + (p == Placement::kSplit ? "/split" : "/same");
      auto* b = benchmark::RegisterBenchmark(name.c_str(), bench_round_trip, t, p);
      for (std::int64_t size = 8; size <= (1 << 20); size *= 8) {
        if (static_cast<std::size_t>(size) <= max_message(t)) b->Arg(size);
      }
      if (max_message(t) >= (1 << 20)) b->Arg(1 << 20);
      b->ArgName("size")->MinTime(0.05)->UseRealTime()->Unit(benchmark::kMicrosecond);
    }
  }
}

// Registered during static initialisation, before BENCHMARK_MAIN's main() lists or runs them.
[[maybe_unused]] const bool kRegistered = (register_all(), true);

}  // namespace
}  // namespace netlab::bench

BENCHMARK_MAIN();
