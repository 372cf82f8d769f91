#include "core/proto/http_request.hpp"

#include <gtest/gtest.h>

namespace netlab::proto {
namespace {

HttpParse parse(std::string_view text, HttpRequest& req, size_t& len, size_t max_head = 8192) {
  return parse_http_request(text, max_head, req, len);
}

TEST(HttpRequestTest, ParsesAMinimalGet) {
  HttpRequest req;
  size_t len = 0;
  std::string_view text = "GET /a/b.html?x=1 HTTP/1.1\r\nHost: x\r\n\r\nNEXT";
  ASSERT_EQ(parse(text, req, len), HttpParse::kOk);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/a/b.html?x=1");
  EXPECT_EQ(req.minor, 1);
  EXPECT_TRUE(req.keep_alive);
  EXPECT_EQ(text.substr(len), "NEXT");
}

TEST(HttpRequestTest, EveryPrefixIsIncomplete) {
  std::string text = "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n";
  for (size_t cut = 0; cut < text.size(); ++cut) {
    HttpRequest req;
    size_t len = 0;
    EXPECT_EQ(parse(text.substr(0, cut), req, len), HttpParse::kIncomplete) << cut;
  }
}

TEST(HttpRequestTest, ConnectionRulesFollowTheVersion) {
  HttpRequest req;
  size_t len = 0;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n", req, len), HttpParse::kOk);
  EXPECT_FALSE(req.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", req, len), HttpParse::kOk);
  EXPECT_FALSE(req.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", req, len), HttpParse::kOk);
  EXPECT_TRUE(req.keep_alive);
  EXPECT_EQ(req.minor, 0);
}

TEST(HttpRequestTest, AcceptsBareLineFeeds) {
  HttpRequest req;
  size_t len = 0;
  EXPECT_EQ(parse("\r\nGET / HTTP/1.1\nHost: x\n\n", req, len), HttpParse::kOk);
}

TEST(HttpRequestTest, RefusesMalformedHeads) {
  const char* bad[] = {
      "GET /\r\n\r\n",                                      // no version
      "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",                 // double space
      "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",                  // method not a token
      "GET / HTTX/1.1\r\nHost: x\r\n\r\n",                  // not HTTP
      "GET / HTTP/1.1\r\n\r\n",                             // 1.1 without Host
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",       // two Hosts
      "GET / HTTP/1.1\r\nHost : x\r\n\r\n",                 // space before colon
      "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",       // obsolete folding
      "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n",            // bare CR
      "GET / HTTP/1.1\r\nHost: x\x01\r\n\r\n",              // control byte in a value
  };
  for (const char* text : bad) {
    HttpRequest req;
    size_t len = 0;
    EXPECT_EQ(parse(text, req, len), HttpParse::kBad) << text;
  }
  HttpRequest req;
  size_t len = 0;
  EXPECT_EQ(parse(std::string_view("GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n", 28), req, len), HttpParse::kBad);
}

TEST(HttpRequestTest, UnknownVersionsAreTold505) {
  HttpRequest req;
  size_t len = 0;
  EXPECT_EQ(parse("GET / HTTP/2.0\r\nHost: x\r\n\r\n", req, len), HttpParse::kBadVersion);
  EXPECT_EQ(parse("GET / HTTP/1.2\r\nHost: x\r\n\r\n", req, len), HttpParse::kBadVersion);
}

TEST(HttpRequestTest, OversizedHeadsAreRefusedBeforeTheirEnd) {
  HttpRequest req;
  size_t len = 0;
  std::string long_line = "GET /" + std::string(200, 'a');
  EXPECT_EQ(parse(long_line, req, len, 100), HttpParse::kUriTooLong);
  std::string many = "GET / HTTP/1.1\r\n" + std::string(200, 'h');
  EXPECT_EQ(parse(many, req, len, 100), HttpParse::kHeadTooLarge);
  std::string complete = "GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(100, 'v') + "\r\n\r\n";
  EXPECT_EQ(parse(complete, req, len, 100), HttpParse::kHeadTooLarge);
}

TEST(HttpTargetTest, DecodesAndNormalises) {
  std::string path;
  bool slash = false;
  ASSERT_EQ(decode_http_target("/a//b/./c%20d.txt?q=/../", path, slash), HttpTarget::kOk);
  EXPECT_EQ(path, "a/b/c d.txt");
  EXPECT_FALSE(slash);
  ASSERT_EQ(decode_http_target("/", path, slash), HttpTarget::kOk);
  EXPECT_EQ(path, "");
  EXPECT_TRUE(slash);
  ASSERT_EQ(decode_http_target("http://example.com/x/y", path, slash), HttpTarget::kOk);
  EXPECT_EQ(path, "x/y");
}

TEST(HttpTargetTest, RefusesEveryWayOut) {
  std::string path;
  bool slash = false;
  EXPECT_EQ(decode_http_target("/../etc/passwd", path, slash), HttpTarget::kForbidden);
  EXPECT_EQ(decode_http_target("/a/%2e%2e/%2E%2E/etc/passwd", path, slash), HttpTarget::kForbidden);
  EXPECT_EQ(decode_http_target("/a/.%2e/b", path, slash), HttpTarget::kForbidden);
  EXPECT_EQ(decode_http_target("/..%2fetc%2fpasswd", path, slash), HttpTarget::kBad);
  EXPECT_EQ(decode_http_target("/a%00.html", path, slash), HttpTarget::kBad);
  using namespace std::string_view_literals;
  EXPECT_EQ(decode_http_target("/a\0.html"sv, path, slash), HttpTarget::kBad) << "a literal NUL";
  EXPECT_EQ(decode_http_target("/hello.txt\0/../x"sv, path, slash), HttpTarget::kBad);
  EXPECT_EQ(decode_http_target("/a%5c..%5cb", path, slash), HttpTarget::kBad);
  EXPECT_EQ(decode_http_target("etc/passwd", path, slash), HttpTarget::kBad);
  EXPECT_EQ(decode_http_target("*", path, slash), HttpTarget::kBad);
  EXPECT_EQ(decode_http_target("/a%2", path, slash), HttpTarget::kBad);
  EXPECT_EQ(decode_http_target("/a%zz", path, slash), HttpTarget::kBad);
}

}  // namespace
}  // namespace netlab::proto
