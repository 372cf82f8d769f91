#include "core/work/workload.hpp"

#include <gtest/gtest.h>
#include <time.h>

namespace netlab::core {
namespace {

int64_t cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// Functional checks only (the burn uses at least what was asked); no upper bounds on a shared
// machine.
TEST(WorkloadTest, CpuBurnUsesAtLeastTheRequestedThreadCpuTime) {
  int64_t before = cpu_ns();
  burn_cpu(std::chrono::microseconds(3000));
  EXPECT_GE(cpu_ns() - before, 3000000);
}

TEST(WorkloadTest, IoDelaySleepsWithoutBurningCpu) {
  auto wall = std::chrono::steady_clock::now();
  int64_t before = cpu_ns();
  Workload{std::chrono::microseconds(0), std::chrono::microseconds(20000)}.run();
  EXPECT_GE(std::chrono::steady_clock::now() - wall, std::chrono::milliseconds(20));
  // A sleep uses far less CPU than it lasts; 10 ms of a 20 ms sleep would mean a busy wait.
  EXPECT_LT(cpu_ns() - before, 10000000);
}

TEST(WorkloadTest, EmptyWorkloadIsEmpty) {
  EXPECT_TRUE(Workload{}.empty());
  EXPECT_FALSE((Workload{std::chrono::microseconds(1), {}}).empty());
}

}  // namespace
}  // namespace netlab::core
