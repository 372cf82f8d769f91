#include "core/proto/outbox.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

namespace netlab::proto {
namespace {

TEST(OutboxTest, MergesAdjacentBytesAndCountsPending) {
  Outbox out;
  out.write("ab");
  out.write("cd");
  EXPECT_EQ(out.pending_bytes(), 4u);
  EXPECT_EQ(out.front_bytes(), "abcd");
  out.consume(1);
  EXPECT_EQ(out.front_bytes(), "bcd");
  out.consume(3);
  EXPECT_TRUE(out.empty());
}

TEST(OutboxTest, KeepsFilesAndBytesInOrder) {
  Outbox out;
  auto file = std::make_shared<const core::Fd>(::open("/dev/null", O_RDONLY));
  out.write("head");
  out.send_file({file, 10, 100});
  out.write("tail");
  EXPECT_EQ(out.pending_bytes(), 108u);
  out.consume(4);
  ASSERT_TRUE(out.front().is_file);
  out.consume(40);
  EXPECT_EQ(out.front().range.offset, 50u);
  EXPECT_EQ(out.front().range.length, 60u);
  out.consume(60);
  EXPECT_EQ(out.front_bytes(), "tail");
  out.consume(4);
  EXPECT_TRUE(out.empty());
}

TEST(OutboxTest, ANeverDrainedPipelineKeepsOrderAcrossCompaction) {
  Outbox out;
  auto file = std::make_shared<const core::Fd>(::open("/dev/null", O_RDONLY));
  // Alternate bytes and files, always leaving one reply queued, far past the compaction point.
  out.write("r0");
  for (int i = 1; i < 1000; ++i) {
    out.send_file({file, 0, 3});
    out.write("r" + std::to_string(i));
    ASSERT_EQ(out.front_bytes(), "r" + std::to_string(i - 1));
    out.consume(out.front_bytes().size());
    ASSERT_TRUE(out.front().is_file);
    out.consume(3);
  }
  EXPECT_EQ(out.front_bytes(), "r999");
  EXPECT_EQ(out.pending_bytes(), 4u);
}

TEST(OutboxTest, EmptyWritesAndRangesAddNothing) {
  Outbox out;
  out.write("");
  out.send_file({nullptr, 0, 0});
  EXPECT_TRUE(out.empty());
}

TEST(OutboxTest, CloseAfterSendIsRemembered) {
  Outbox out;
  out.write("bye");
  out.close_after_send();
  EXPECT_TRUE(out.wants_close());
  EXPECT_FALSE(out.empty());
}

}  // namespace
}  // namespace netlab::proto
