#include "loadgen/http_response_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netlab::loadgen {
namespace {

struct Parsed {
  std::vector<int> statuses;
  std::vector<bool> closes;
  std::string error;
};

// Feeds `text` in chunks of `chunk` bytes, as a socket might deliver it.
Parsed parse_all(const std::string& text, size_t chunk) {
  Parsed out;
  HttpResponseParser p;
  size_t at = 0;
  while (at < text.size()) {
    size_t len = std::min(chunk, text.size() - at);
    size_t used = 0;
    auto r = p.feed(text.data() + at, len, used);
    at += used;
    if (r == HttpResponseParser::Result::kBad) {
      out.error = p.error();
      return out;
    }
    if (r == HttpResponseParser::Result::kComplete) {
      out.statuses.push_back(p.status());
      out.closes.push_back(p.close_after());
    }
  }
  return out;
}

const std::string kOk = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello";
const std::string kNotFound = "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nConnection: close\r\n\r\n";

TEST(HttpResponseParserTest, PipelinedResponsesInAnySplit) {
  std::string stream = kOk + kNotFound + kOk;
  for (size_t chunk : {1u, 2u, 7u, 64u, 4096u}) {
    auto parsed = parse_all(stream, chunk);
    EXPECT_EQ(parsed.error, "") << chunk;
    EXPECT_EQ(parsed.statuses, (std::vector<int>{200, 404, 200})) << chunk;
    EXPECT_EQ(parsed.closes, (std::vector<bool>{false, true, false})) << chunk;
  }
}

TEST(HttpResponseParserTest, ConsumedStopsAtTheEndOfOneResponse) {
  HttpResponseParser p;
  std::string stream = kOk + kOk;
  size_t used = 0;
  ASSERT_EQ(p.feed(stream.data(), stream.size(), used), HttpResponseParser::Result::kComplete);
  EXPECT_EQ(used, kOk.size());
}

TEST(HttpResponseParserTest, RejectsWhatItCannotFrame) {
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 100).error,
            "Transfer-Encoding is not supported, need Content-Length");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\n\r\n", 100).error, "response without Content-Length");
  EXPECT_EQ(parse_all("hello\n", 100).error, "status line does not start with HTTP/1.");
  EXPECT_EQ(parse_all("HTTP/1.1 2x0 OK\r\n", 100).error, "malformed status code");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", 100).error, "bad Content-Length");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nX: " + std::string(20000, 'a'), 100000).error, "response headers over 16 KiB");
}

TEST(HttpResponseParserTest, NoBodyStatusesNeedNoLength) {
  auto parsed = parse_all("HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n", 3);
  EXPECT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.statuses, std::vector<int>{304});
}

}  // namespace
}  // namespace netlab::loadgen
