#include "loadgen/clients/checksum.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netlab::loadgen {
namespace {

uint64_t in_pieces(const std::string& s, size_t piece) {
  Checksum c;
  for (size_t i = 0; i < s.size(); i += piece) c.update(s.data() + i, std::min(piece, s.size() - i));
  return c.value();
}

TEST(Checksum, AnySplitGivesTheSameValue) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 31 + 7);
  uint64_t whole = in_pieces(data, data.size());
  for (size_t piece : {1, 3, 7, 8, 9, 64, 999}) EXPECT_EQ(in_pieces(data, piece), whole) << piece;
}

TEST(Checksum, ChangedOrMovedOrTruncatedBytesDiffer) {
  std::string data(100, 'a');
  data[50] = 'b';
  uint64_t base = in_pieces(data, 100);
  std::string changed = data;
  changed[51] = 'c';
  std::string swapped = data;
  std::swap(swapped[50], swapped[49]);
  EXPECT_NE(in_pieces(changed, 100), base);
  EXPECT_NE(in_pieces(swapped, 100), base);
  EXPECT_NE(in_pieces(data.substr(0, 99), 99), base);
  EXPECT_NE(in_pieces(data + std::string(1, '\0'), 101), base);  // a trailing NUL still counts
  EXPECT_NE(Checksum().value(), base);
}

}  // namespace
}  // namespace netlab::loadgen
