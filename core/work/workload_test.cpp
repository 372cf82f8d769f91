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
  Workload spinning;
  spinning.spin = 4;
  EXPECT_FALSE(spinning.empty());
}

// The spin is a fixed computation: the same steps give the same value, every step changes it.
TEST(WorkloadTest, SpinIsAFixedComputationOfItsStepCount) {
  EXPECT_EQ(spin_steps(1000), spin_steps(1000));
  EXPECT_NE(spin_steps(1000), spin_steps(1001));
  EXPECT_EQ(spin_steps(0), 0x9e3779b97f4a7c15UL);
}

}  // namespace
}  // namespace netlab::core
