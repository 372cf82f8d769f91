// Workload: what a server does per request besides the protocol, so the notes' CPU-bound vs
// IO-bound comparison can be made with every model.
//   cpu: burn this much of the calling thread's CPU time (computation that needs a core).
//   io:  sleep this long, blocking the calling thread (a disk or database call that needs none).
//   spin: run this many steps of a fixed integer loop: the same instructions on every run, however
//        busy the machine, so a "build that does 2% more per request" can be made without a
//        rebuild (the regression gate's sensitivity checks, docs/gating.md).
// Both run where the model calls the session: inside an event loop they stall that loop, which is
// the lesson.
#pragma once

#include <chrono>
#include <cstdint>

namespace netlab::core {

struct Workload {
  std::chrono::microseconds cpu{0};
  std::chrono::microseconds io{0};
  uint64_t spin = 0;

  bool empty() const { return cpu.count() == 0 && io.count() == 0 && spin == 0; }
  // Runs one request's worth of work on the calling thread.
  void run() const;
};

// Spins until the calling thread has used `amount` of CPU time; returns a value that depends on the
// work done so the compiler cannot drop it.
unsigned long burn_cpu(std::chrono::microseconds amount);
// Runs `steps` steps of a xorshift recurrence, each depending on the last (a fixed instruction count).
unsigned long spin_steps(uint64_t steps);
// Sleeps `amount`, resuming after EINTR unless a stop was requested.
void block_for(std::chrono::microseconds amount);

}  // namespace netlab::core
