#include "core/proto/echo.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/drain_outbox.hpp"

namespace netlab::proto {
namespace {

std::string take(Outbox& out) { return test::drain_outbox(out); }

TEST(EchoSessionTest, EchoesWholeLines) {
  EchoSession s;
  Outbox out;
  s.on_bytes("hello\n", out);
  EXPECT_EQ(take(out), "hello\n");
  EXPECT_FALSE(out.wants_close());
}

TEST(EchoSessionTest, JoinsLinesSplitAcrossReads) {
  EchoSession s;
  Outbox out;
  s.on_bytes("hel", out);
  EXPECT_TRUE(out.empty());
  s.on_bytes("lo wor", out);
  EXPECT_TRUE(out.empty());
  s.on_bytes("ld\nnext", out);
  EXPECT_EQ(take(out), "hello world\n");
  s.on_bytes("\n", out);
  EXPECT_EQ(take(out), "next\n");
}

TEST(EchoSessionTest, SplitsSeveralLinesInOneRead) {
  EchoSession s;
  Outbox out;
  s.on_bytes("a\nbb\n\nccc\nd", out);
  EXPECT_EQ(take(out), "a\nbb\n\nccc\n");
  s.on_bytes("\n", out);
  EXPECT_EQ(take(out), "d\n");
}

TEST(EchoSessionTest, EveryByteSplitStillEchoesExactly) {
  const std::string input = "first line\nsecond\n\nthird with \r and \t\n";
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    EchoSession s;
    Outbox out;
    s.on_bytes(std::string_view(input).substr(0, cut), out);
    s.on_bytes(std::string_view(input).substr(cut), out);
    EXPECT_EQ(take(out), input) << "cut at " << cut;
  }
}

TEST(EchoSessionTest, LineOfExactlyMaxLengthIsEchoed) {
  EchoSession s({}, 8);
  Outbox out;
  s.on_bytes("12345678\n", out);
  EXPECT_EQ(take(out), "12345678\n");
  EXPECT_FALSE(out.wants_close());
}

TEST(EchoSessionTest, OversizedLineGetsAnErrorAndClose) {
  EchoSession s({}, 8);
  Outbox out;
  s.on_bytes("ok\n123456789\n", out);
  EXPECT_EQ(take(out), "ok\nERR line too long (max 8 bytes)\n");
  EXPECT_TRUE(out.wants_close());
  s.on_bytes("more\n", out);  // nothing more after the error
  EXPECT_TRUE(out.empty());
}

TEST(EchoSessionTest, OversizedPartialLineIsRefusedBeforeItsNewline) {
  EchoSession s({}, 8);
  Outbox out;
  s.on_bytes("12345", out);
  s.on_bytes("6789", out);  // 9 bytes buffered, no newline: must not keep growing
  EXPECT_EQ(take(out), "ERR line too long (max 8 bytes)\n");
  EXPECT_TRUE(out.wants_close());
}

TEST(EchoSessionTest, PeerCloseClosesAfterSending) {
  EchoSession s;
  Outbox out;
  s.on_peer_closed(out);
  EXPECT_TRUE(out.wants_close());
}

TEST(EchoSessionTest, AnUnfinishedLineIsAPartialRequest) {
  EchoSession s;
  Outbox out;
  EXPECT_FALSE(s.partial_request());
  s.on_bytes("ab", out);
  EXPECT_TRUE(s.partial_request());
  s.on_bytes("c\nd", out);
  EXPECT_TRUE(s.partial_request());
  s.on_bytes("\n", out);
  EXPECT_FALSE(s.partial_request());
  EXPECT_EQ(take(out), "abc\nd\n");
}

TEST(EchoDatagramServiceTest, ReturnsTheSameDatagramToItsSender) {
  EchoDatagramService s;
  DatagramOut out;
  auto from = core::Address::parse("127.0.0.1:5000");
  s.on_datagram(from, std::string_view("no newline needed\0x", 19), out);
  ASSERT_EQ(out.items().size(), 1u);
  EXPECT_EQ(out.items()[0].to, from);
  EXPECT_EQ(out.items()[0].bytes, std::string("no newline needed\0x", 19));
}

}  // namespace
}  // namespace netlab::proto
