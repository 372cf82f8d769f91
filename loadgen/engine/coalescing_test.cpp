#include "loadgen/engine/coalescing.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace netlab::loadgen {
namespace {

using Policy = Coalescing::Policy;

Coalescing settled(int64_t cap_ns, int64_t service_ns, Policy policy = Policy::kOn) {
  Coalescing c(policy, cap_ns);
  for (int i = 0; i < 400; ++i) c.record_answer(service_ns);
  return c;
}

TEST(CoalescingTest, NapIsASixteenthOfTheServiceTime) {
  Coalescing c = settled(1'000'000, 800'000);
  EXPECT_LE(std::abs(c.mean_service_ns() - 800'000), 1'000);
  EXPECT_LE(std::abs(c.nap_ns(50) - 50'000), 100);
}

TEST(CoalescingTest, NapNeverExceedsTheCap) { EXPECT_EQ(settled(100'000, 20'000'000).nap_ns(50), 100'000); }

TEST(CoalescingTest, NoNapWhenTheServiceTimeIsShort) {
  // 16 * 20 µs = 320 µs: below that a nap would be shorter than a timer is worth.
  EXPECT_EQ(settled(1'000'000, 300'000).nap_ns(50), 0);
  EXPECT_GT(settled(1'000'000, 340'000).nap_ns(50), 0);
}

TEST(CoalescingTest, NoNapWithFewRequestsInFlight) {
  Coalescing c = settled(1'000'000, 800'000);
  EXPECT_EQ(c.nap_ns(Coalescing::kMinInFlight - 1), 0);
  EXPECT_GT(c.nap_ns(Coalescing::kMinInFlight), 0);
}

TEST(CoalescingTest, CapZeroTurnsItOff) {
  EXPECT_FALSE(settled(0, 800'000).enabled());
  EXPECT_EQ(settled(0, 800'000).nap_ns(50), 0);
  EXPECT_EQ(settled(0, 800'000, Policy::kAuto).nap_ns(50), 0);
}

TEST(CoalescingTest, FollowsAServerThatSpeedsUp) {
  Coalescing c = settled(1'000'000, 800'000);
  for (int i = 0; i < 200; ++i) c.record_answer(50'000);
  EXPECT_EQ(c.nap_ns(50), 0);
}

TEST(CoalescingTest, StartsWithoutNapping) { EXPECT_EQ(Coalescing(Policy::kOn, 1'000'000).nap_ns(50), 0); }

// Auto against a server whose answers per second depend on whether we nap: drives `epochs`
// epochs of the policy and returns how many of them it spent napping.
int drive(Coalescing& c, int epochs, double per_s_napping, double per_s_not) {
  int64_t now = 1'000'000'000;
  c.tick(now);
  int napping = 0;
  for (int e = 0; e < epochs; ++e) {
    napping += c.napping() ? 1 : 0;
    double per_s = c.napping() ? per_s_napping : per_s_not;
    auto answers = static_cast<int>(per_s * Coalescing::kEpochNs / 1e9);
    for (int i = 0; i < answers; ++i) c.record_answer(800'000);
    now += Coalescing::kEpochNs;
    c.tick(now);
  }
  return napping;
}

TEST(CoalescingTest, AutoStartsAwakeAndNapsOnceNappingAnswersMore) {
  Coalescing c(Policy::kAuto, 100'000);
  EXPECT_FALSE(c.napping());
  int napping = drive(c, 100, 50'000, 40'000);
  EXPECT_TRUE(c.napping());
  EXPECT_GE(c.switches(), 1u);
  EXPECT_GT(napping, 85);  // settled within the first few epochs, then probes rarely
  EXPECT_GT(c.nap_ns(50), 0);
}

TEST(CoalescingTest, AutoStaysAwakeWhenNappingAnswersLess) {
  Coalescing c(Policy::kAuto, 100'000);
  int napping = drive(c, 300, 30'000, 40'000);
  EXPECT_FALSE(c.napping());
  EXPECT_EQ(c.switches(), 0u);
  // Losing probes back off: one probe epoch after 1, 2, 4, ... 32 settled epochs.
  EXPECT_LE(napping, 12);
  EXPECT_GE(napping, 5);
}

TEST(CoalescingTest, AutoKeepsItsModeWhenTheDifferenceIsNoise) {
  Coalescing c(Policy::kAuto, 100'000);
  drive(c, 100, 40'400, 40'000);  // 1% better napping: inside the 3% margin
  EXPECT_FALSE(c.napping());
  EXPECT_EQ(c.switches(), 0u);
}

TEST(CoalescingTest, AutoFollowsAServerWhoseBestModeChanges) {
  Coalescing c(Policy::kAuto, 100'000);
  drive(c, 100, 50'000, 40'000);
  ASSERT_TRUE(c.napping());
  drive(c, 200, 30'000, 40'000);
  EXPECT_FALSE(c.napping());
}

TEST(CoalescingTest, OnAndOffNeverProbe) {
  Coalescing on(Policy::kOn, 100'000);
  EXPECT_EQ(drive(on, 50, 30'000, 40'000), 50);
  Coalescing off(Policy::kOn, 0);
  EXPECT_EQ(drive(off, 50, 50'000, 40'000), 0);
}

}  // namespace
}  // namespace netlab::loadgen
