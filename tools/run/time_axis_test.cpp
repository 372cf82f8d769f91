#include "tools/run/time_axis.hpp"

#include <gtest/gtest.h>

namespace netlab::run {
namespace {

TEST(TimeAxisTest, LabelsArePeoplesUnits) {
  EXPECT_EQ(time_label(50), "50 µs");
  EXPECT_EQ(time_label(2000), "2 ms");
  EXPECT_EQ(time_label(1500), "1.5 ms");
  EXPECT_EQ(time_label(1e6), "1 s");
  EXPECT_EQ(time_label(5e7), "50 s");
}

TEST(TimeAxisTest, TicsEncloseTheValuesOneTwoFivePerDecade) {
  TimeRange r;
  r.add(60);
  r.add(90);
  EXPECT_EQ(time_axis(r), "tlo=50; thi=100; ttics=\"('50 µs' 50, '100 µs' 100)\"");
  r.add(1200);  // under three decades: still 1, 2, 5
  EXPECT_EQ(time_axis(r), "tlo=50; thi=2000; ttics=\"('50 µs' 50, '100 µs' 100, '200 µs' 200, '500 µs' 500, "
                          "'1 ms' 1000, '2 ms' 2000)\"");
}

TEST(TimeAxisTest, WideRangesKeepOnlyDecades) {
  TimeRange r;
  r.add(14);
  r.add(20000);
  EXPECT_EQ(time_axis(r), "tlo=10; thi=100000; ttics=\"('10 µs' 10, '100 µs' 100, '1 ms' 1000, '10 ms' 10000, "
                          "'100 ms' 100000)\"");
}

TEST(TimeAxisTest, OneValueOnATicGetsAStepAndNothingGetsNoAxis) {
  TimeRange r;
  EXPECT_EQ(time_axis(r), "");
  r.add(0);  // a log axis cannot show 0: ignored
  r.add(-5);
  EXPECT_TRUE(r.empty());
  r.add(100);
  EXPECT_EQ(time_axis(r), "tlo=100; thi=200; ttics=\"('100 µs' 100, '200 µs' 200)\"");
}

}  // namespace
}  // namespace netlab::run
