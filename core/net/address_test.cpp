#include "core/net/address.hpp"

#include <gtest/gtest.h>

#include "core/net/error.hpp"

namespace netlab::core {
namespace {

TEST(AddressTest, ParsesIpv4WithPort) {
  auto a = Address::parse("127.0.0.1:8080");
  EXPECT_EQ(a.family(), AF_INET);
  EXPECT_EQ(a.port(), 8080);
  EXPECT_EQ(a.to_string(), "127.0.0.1:8080");
}

TEST(AddressTest, ParsesBracketedIpv6) {
  auto a = Address::parse("[::1]:80");
  EXPECT_EQ(a.family(), AF_INET6);
  EXPECT_EQ(a.port(), 80);
  EXPECT_EQ(a.host(), "::1");
  EXPECT_EQ(a.to_string(), "[::1]:80");
}

TEST(AddressTest, LocalhostIsIpv4Loopback) {
  EXPECT_EQ(Address::parse("localhost:9").to_string(), "127.0.0.1:9");
}

TEST(AddressTest, EmptyHostAndStarMeanAnyInterface) {
  EXPECT_EQ(Address::parse(":9000").to_string(), "0.0.0.0:9000");
  EXPECT_EQ(Address::parse("*:9000").to_string(), "0.0.0.0:9000");
}

TEST(AddressTest, PortZeroIsAllowed) { EXPECT_EQ(Address::parse("127.0.0.1:0").port(), 0); }

TEST(AddressTest, DefaultPortAppliesToBareHosts) {
  EXPECT_EQ(Address::parse("10.1.2.3", 80).to_string(), "10.1.2.3:80");
  EXPECT_EQ(Address::parse("::1", 80).to_string(), "[::1]:80");
  EXPECT_EQ(Address::parse("[fe80::1]", 443).port(), 443);
}

TEST(AddressTest, RejectsBadInputWithAClearMessage) {
  auto message_of = [](const char* text) {
    try {
      Address::parse(text);
    } catch (const NetError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of("127.0.0.1").find("missing port"), std::string::npos);
  EXPECT_NE(message_of("127.0.0.1:99999").find("0 to 65535"), std::string::npos);
  EXPECT_NE(message_of("127.0.0.1:http").find("not a number"), std::string::npos);
  EXPECT_NE(message_of("127.0.0.1:").find("not a number"), std::string::npos);
  EXPECT_NE(message_of("[::1:80").find("missing ']'"), std::string::npos);
  EXPECT_NE(message_of("[127.0.0.1]:80").find("not an IPv6 literal"), std::string::npos);
  EXPECT_NE(message_of("[::1]80").find("expected ':port'"), std::string::npos);
  EXPECT_NE(message_of("").find("expected host:port"), std::string::npos);
  EXPECT_NE(message_of("no-such-host.invalid:80").find("cannot resolve"), std::string::npos);
  EXPECT_NE(message_of("::1").find("missing port"), std::string::npos);
}

TEST(AddressTest, EqualityComparesFamilyHostAndPort) {
  EXPECT_EQ(Address::parse("127.0.0.1:1"), Address::parse("localhost:1"));
  EXPECT_FALSE(Address::parse("127.0.0.1:1") == Address::parse("127.0.0.1:2"));
}

TEST(SourceRangeTest, ExpandsRangesAndLists) {
  auto r = parse_source_range("127.0.0.1-127.0.0.4,127.0.1.9");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].host(), "127.0.0.1");
  EXPECT_EQ(r[3].host(), "127.0.0.4");
  EXPECT_EQ(r[4].host(), "127.0.1.9");
  EXPECT_EQ(r[4].port(), 0);
}

TEST(SourceRangeTest, CrossesOctetBoundaries) {
  auto r = parse_source_range("10.0.0.255-10.0.1.1");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].host(), "10.0.1.0");
}

TEST(SourceRangeTest, RejectsBackwardsAndIpv6Ranges) {
  EXPECT_THROW(parse_source_range("127.0.0.9-127.0.0.1"), NetError);
  EXPECT_THROW(parse_source_range("::1-::2"), NetError);
  EXPECT_THROW(parse_source_range(""), NetError);
}

}  // namespace
}  // namespace netlab::core
