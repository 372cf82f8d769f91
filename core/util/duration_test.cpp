#include "core/util/duration.hpp"

#include <gtest/gtest.h>

namespace netlab::core {
namespace {

using namespace std::chrono_literals;

TEST(DurationTest, ParsesEveryUnit) {
  EXPECT_EQ(parse_duration("250ns"), 250ns);
  EXPECT_EQ(parse_duration("250us"), 250us);
  EXPECT_EQ(parse_duration("500ms"), 500ms);
  EXPECT_EQ(parse_duration("10s"), 10s);
  EXPECT_EQ(parse_duration("2m"), 120s);
  EXPECT_EQ(parse_duration("1h"), 3600s);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
}

TEST(DurationTest, BareNumbersMeanSeconds) {
  EXPECT_EQ(parse_duration("3"), 3s);
  EXPECT_EQ(parse_duration("0.5"), 500ms);
  EXPECT_EQ(parse_duration("3", BareNumber::kSeconds), 3s);
}

TEST(DurationTest, FlagsThatNeedAUnitRefuseABareNumberButZero) {
  EXPECT_EQ(parse_duration("0", BareNumber::kNeedsUnit), 0ns);
  EXPECT_EQ(parse_duration("50us", BareNumber::kNeedsUnit), 50us);
  try {
    parse_duration("50", BareNumber::kNeedsUnit);
    ADD_FAILURE() << "a bare 50 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "bad duration '50': needs a unit: 50us, 50ms, 50s");
  }
}

TEST(DurationTest, RejectsGarbageWithTheText) {
  for (const char* bad : {"", "abc", "10 parsecs", "-1s", "5x", "nan"}) {
    try {
      parse_duration(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("bad duration"), std::string::npos);
    }
  }
}

TEST(DurationTest, FormatsShortestForm) {
  EXPECT_EQ(format_duration(0ns), "0s");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(250us), "250us");
  EXPECT_EQ(format_duration(120s), "2m");
}

}  // namespace
}  // namespace netlab::core
