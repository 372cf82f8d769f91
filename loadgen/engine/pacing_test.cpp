#include "loadgen/engine/pacing.hpp"

#include <gtest/gtest.h>

namespace netlab::loadgen {
namespace {

TEST(RateScheduleTest, EvenlySpacedWithoutDrift) {
  RateSchedule s(1000, 3.0);  // every 333,333,333.3 ns
  EXPECT_EQ(s.at(0), 1000);
  EXPECT_EQ(s.at(1), 1000 + 333'333'333);
  EXPECT_EQ(s.at(2), 1000 + 666'666'667);
  EXPECT_EQ(s.at(3), 1000 + 1'000'000'000);
  // A million events at 3/s end exactly where they should: no accumulated rounding.
  EXPECT_EQ(s.at(3'000'000), 1000 + int64_t{1'000'000} * 1'000'000'000);
}

TEST(RateScheduleTest, DueAndTakeWalkTheSchedule) {
  RateSchedule s(0, 1000.0);  // 1 ms apart
  EXPECT_TRUE(s.due(0));
  EXPECT_EQ(s.take(), 0u);
  EXPECT_FALSE(s.due(999'999));
  EXPECT_TRUE(s.due(1'000'000));
  // A loop that wakes late finds every missed event still due, each with its own intended time.
  int late = 0;
  while (s.due(10'000'000)) {
    int64_t intended = s.next();
    s.take();
    if (10'000'000 - intended > kLateThresholdNs) ++late;
  }
  EXPECT_EQ(s.taken(), 11u);
  EXPECT_EQ(late, 8);  // events at 1..8 ms are more than 1 ms behind 10 ms; 9 and 10 are not
}

TEST(RateScheduleTest, RestartBeginsAgainFromANewOrigin) {
  RateSchedule s(0, 10.0);
  s.take();
  s.take();
  s.restart(5'000);
  EXPECT_EQ(s.taken(), 0u);
  EXPECT_EQ(s.next(), 5'000);
}

}  // namespace
}  // namespace netlab::loadgen
