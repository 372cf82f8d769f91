#include "loadgen/clients/answer_checks.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netlab::loadgen {
namespace {

TEST(EchoCheckTest, AnAnswerSplitAcrossReadsCompletesOnItsLastByte) {
  EchoCheck check;
  std::string request = "hello\n";
  size_t used = 0;
  EXPECT_EQ(check.feed(request, "hel", 3, used), Answer::kMore);
  EXPECT_EQ(used, 3u);
  EXPECT_TRUE(check.partial());
  EXPECT_EQ(check.feed(request, "lo\nhe", 5, used), Answer::kAnswered);
  EXPECT_EQ(used, 3u) << "stops at the end of one answer";
  EXPECT_FALSE(check.partial());
}

TEST(EchoCheckTest, AWrongByteIsBad) {
  EchoCheck check;
  size_t used = 0;
  EXPECT_EQ(check.feed("hello\n", "help\n", 5, used), Answer::kBad);
  EXPECT_STREQ(EchoCheck::bad_reason(), "echo: answer differs from the request");
}

TEST(HttpCheckTest, PipelinedAnswersComeOneAtATimeWithTheirStatus) {
  HttpCheck check;
  std::string two = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                    "Connection: close\r\n\r\n";
  size_t used = 0;
  EXPECT_EQ(check.feed(two.data(), two.size(), used), Answer::kAnswered);
  EXPECT_TRUE(check.success());
  size_t rest = two.size() - used;
  EXPECT_EQ(check.feed(two.data() + used, rest, used), Answer::kAnsweredThenClose);
  EXPECT_EQ(used, rest);
  EXPECT_EQ(check.status(), 404);
  EXPECT_FALSE(check.success());
}

TEST(HttpCheckTest, GarbageIsBadWithAReason) {
  HttpCheck check;
  size_t used = 0;
  EXPECT_EQ(check.feed("SSH-2.0\r\n", 9, used), Answer::kBad);
  EXPECT_STRNE(check.bad_reason(), "");
}

TEST(DatagramCheckTest, ADatagramReadsBackItsSequenceNumber) {
  std::string request(32, 'x');
  std::string datagram(request.size(), '\0');
  DatagramCheck::write(request, 0xbeef, datagram.data());
  EXPECT_EQ(datagram.substr(0, 16), "000000000000beef");
  uint64_t seq = 0;
  EXPECT_TRUE(DatagramCheck::read(request, datagram.data(), datagram.size(), 0xbef0, seq));
  EXPECT_EQ(seq, 0xbeefu);
}

TEST(DatagramCheckTest, RejectsNumbersNotYetSentWrongLengthsAndWrongPayloads) {
  std::string request(32, 'x');
  std::string datagram(request.size(), '\0');
  DatagramCheck::write(request, 7, datagram.data());
  uint64_t seq = 0;
  EXPECT_FALSE(DatagramCheck::read(request, datagram.data(), datagram.size(), 7, seq)) << "7 was never handed out";
  EXPECT_FALSE(DatagramCheck::read(request, datagram.data(), datagram.size() - 1, 8, seq));
  datagram.back() = 'y';
  EXPECT_FALSE(DatagramCheck::read(request, datagram.data(), datagram.size(), 8, seq));
  datagram.back() = 'x';
  datagram[3] = 'G';
  EXPECT_FALSE(DatagramCheck::read(request, datagram.data(), datagram.size(), 8, seq));
}

}  // namespace
}  // namespace netlab::loadgen
