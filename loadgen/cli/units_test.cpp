#include "loadgen/cli/units.hpp"

#include <gtest/gtest.h>

namespace netlab::loadgen {
namespace {

TEST(UnitsTest, TimesScaleAsWrkShowsThem) {
  EXPECT_EQ(time_text(uint64_t{0}), "0us");
  EXPECT_EQ(time_text(uint64_t{850}), "850us");
  EXPECT_EQ(time_text(uint64_t{9830}), "9.83ms");
  EXPECT_EQ(time_text(uint64_t{1'020'000}), "1.02s");
  EXPECT_EQ(time_text(394.7), "395us");
  EXPECT_EQ(time_text(-3.0), "0us");
}

TEST(UnitsTest, SecondsHaveNoTrailingZeros) {
  EXPECT_EQ(seconds_text(3), "3");
  EXPECT_EQ(seconds_text(0.1), "0.1");
  EXPECT_EQ(seconds_text(2.25), "2.25");
  EXPECT_EQ(seconds_text(0), "0");
}

TEST(UnitsTest, CountsAndBytesScaleInOneFamily) {
  EXPECT_EQ(count_text(12.5), "12.5");
  EXPECT_EQ(count_text(950), "950");
  EXPECT_EQ(count_text(12'345), "12.3k");
  EXPECT_EQ(count_text(45'600'000), "45.60M");
  EXPECT_EQ(bytes_text(512), "512 B");
  EXPECT_EQ(bytes_text(1500), "1.50 kB");
  EXPECT_EQ(bytes_text(23'400'000), "23.4 MB");
}

}  // namespace
}  // namespace netlab::loadgen
