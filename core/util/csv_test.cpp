#include "core/util/csv.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace netlab::core {
namespace {

using Fields = std::vector<std::string>;

TEST(SplitCsvLine, KeepsEmptyFieldsEverywhere) {
  EXPECT_EQ(split_csv_line("a,b,c"), (Fields{"a", "b", "c"}));
  EXPECT_EQ(split_csv_line("a,,b,"), (Fields{"a", "", "b", ""}));
  EXPECT_EQ(split_csv_line(",a"), (Fields{"", "a"}));
  EXPECT_EQ(split_csv_line(","), (Fields{"", ""}));
  EXPECT_EQ(split_csv_line("one"), (Fields{"one"}));
  EXPECT_EQ(split_csv_line(""), Fields{});
}

TEST(ReadCsvRows, MapsColumnsAndSkipsRepeatedHeadersAndBlankLines) {
  std::string path = ::testing::TempDir() + "csv_test_rows.csv";
  std::ofstream(path) << "label,tps,reason\r\nx,10,\n\nlabel,tps,reason\ny,20,slow\nz\n";
  auto rows = read_csv_rows(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("label"), "x");
  EXPECT_EQ(rows[0].at("tps"), "10");
  EXPECT_EQ(rows[0].at("reason"), "");
  EXPECT_EQ(rows[1].at("reason"), "slow");
  EXPECT_EQ(rows[2].size(), 1u);  // a short row has only its own fields
}

TEST(ReadCsvRows, AMissingFileHasNoRows) { EXPECT_TRUE(read_csv_rows("/nonexistent/netlab.csv").empty()); }

}  // namespace
}  // namespace netlab::core
