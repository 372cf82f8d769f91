// The two kinds of task the notes time, made concrete and identical for every runner.
//
// cpu_task(): a fixed computation (kCpuTaskSteps rounds of xorshift, a serial dependency chain the
//   compiler cannot shorten or vectorise). Same work every call, so "N workers" splits a known
//   amount of work; it needs a core the whole time.
// io_task(): waits kIoWait for a file descriptor to become readable (a timerfd): the thread sleeps in
//   read() exactly as it would on a disk, a pipe or a slow peer, using no CPU. The coroutine runner
//   waits on the same kind of descriptor through epoll, so every runner waits the same way.
#pragma once

#include <chrono>
#include <cstdint>

namespace netlab::bench {

inline constexpr std::uint64_t kCpuTaskSteps = 10'000'000;  // about 30 ms on an idle core here
inline constexpr std::chrono::milliseconds kIoWait{10};

// Returns a value that depends on every step, so the work cannot be optimised away.
std::uint64_t cpu_task(std::uint64_t seed);
// A timerfd that becomes readable once, `after` from now. Throws on failure.
int arm_timer(std::chrono::nanoseconds after);
// Blocks in read() until the timer fires, then closes it.
void finish_timer(int timer_fd);
inline void io_task() { finish_timer(arm_timer(kIoWait)); }

}  // namespace netlab::bench
