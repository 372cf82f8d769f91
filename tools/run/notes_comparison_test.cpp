#include "tools/run/notes_comparison.hpp"

#include <gtest/gtest.h>

namespace netlab::run {
namespace {

TEST(NotesComparisonTest, SpeedUpsAreOverTheSingleServerOnBothSides) {
  auto rows = compare_with_notes({{"iterative_tcp", {1000, 1000}},
                                  {"prefork", {1900, 3800}},
                                  {"thread_pool", {1950, 3900}},
                                  {"epoll", {1000, 1000}},
                                  {"poll", {1, 1}}});  // not one of the notes' approaches
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].approach, "single process");
  EXPECT_DOUBLE_EQ(rows[0].ours_cpu, 1.0);
  EXPECT_DOUBLE_EQ(rows[0].notes_cpu, 1.0);
  EXPECT_EQ(rows[1].model, "prefork");
  EXPECT_DOUBLE_EQ(rows[1].ours_io, 3.8);
  EXPECT_NEAR(rows[1].notes_cpu, 8.7 / 4.2, 1e-9);
  EXPECT_EQ(rows[2].model, "thread_pool");
  EXPECT_NEAR(rows[2].notes_cpu, 8.7 / 12.5, 1e-9);  // the GIL: Python threads lose on CPU work
  EXPECT_EQ(rows[3].approach, "event loop");
  EXPECT_EQ(rows[3].notes_io, 0);
}

TEST(NotesComparisonTest, NothingWithoutTheSingleServerMeasuredBothWays) {
  EXPECT_TRUE(compare_with_notes({{"prefork", {1, 1}}}).empty());
  EXPECT_TRUE(compare_with_notes({{"iterative_tcp", {1000, 0}}, {"prefork", {1, 1}}}).empty());
}

}  // namespace
}  // namespace netlab::run
