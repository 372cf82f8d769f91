#include "loadgen/clients/http_response_parser.hpp"

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


TEST(HttpResponseParserTest, RejectsWhatItCannotFrame) {
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\n\r\n", 100).error, "response without Content-Length or chunked framing");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 100).error,
            "Transfer-Encoding without chunked last: no framing to follow");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 100).error,
            "Transfer-Encoding without chunked last: no framing to follow");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 100).error,
            "both Content-Length and Transfer-Encoding");
  EXPECT_EQ(parse_all("hello\n", 100).error, "status line does not start with HTTP/1.");
  EXPECT_EQ(parse_all("HTTP/1.1 2x0 OK\r\n", 100).error, "malformed status code");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", 100).error, "bad Content-Length");
  EXPECT_EQ(parse_all("HTTP/1.1 200 OK\r\nX: " + std::string(20000, 'a'), 100000).error, "response headers over 16 KiB");
}

// nginx's shape: a filter (sub_filter, gzip, SSI) drops Content-Length and sends chunks.
const std::string kChunked =
    "HTTP/1.1 200 OK\r\nServer: nginx\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n"
    "1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n"
    "0\r\n\r\n";
const std::string kChunkedWithTrailer =
    "HTTP/1.1 201 Created\r\ntransfer-encoding: gzip , Chunked\r\nConnection: close\r\n\r\n"
    "3\r\nabc\r\n0\r\nX-Checksum: 42\r\nX-Other: 1\r\n\r\n";

TEST(HttpResponseParserTest, ChunkedResponsesInAnySplit) {
  std::string stream = kChunked + kOk + kChunkedWithTrailer + kChunked;
  for (size_t chunk : {1u, 2u, 3u, 7u, 64u, 4096u}) {
    auto parsed = parse_all(stream, chunk);
    EXPECT_EQ(parsed.error, "") << chunk;
    EXPECT_EQ(parsed.statuses, (std::vector<int>{200, 200, 201, 200})) << chunk;
    EXPECT_EQ(parsed.closes, (std::vector<bool>{false, false, true, false})) << chunk;
  }
}

TEST(HttpResponseParserTest, ConsumedStopsAtTheEndOfOneResponse) {
  for (const std::string& first : {kOk, kChunked, kChunkedWithTrailer}) {
    HttpResponseParser p;
    std::string stream = first + kOk;
    size_t used = 0;
    ASSERT_EQ(p.feed(stream.data(), stream.size(), used), HttpResponseParser::Result::kComplete) << first;
    EXPECT_EQ(used, first.size()) << first;
  }
}

TEST(HttpResponseParserTest, RejectsBrokenChunks) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(parse_all(head + "zz\r\n", 100).error, "malformed chunk size");
  EXPECT_EQ(parse_all(head + "\r\n", 100).error, "malformed chunk size");
  EXPECT_EQ(parse_all(head + "3\r\nabcX\r\n", 100).error, "chunk data not followed by CRLF");
  EXPECT_EQ(parse_all(head + "3\rX", 100).error, "malformed chunk size line");
  EXPECT_EQ(parse_all(head + "fffffffffffffff\r\n", 100).error, "chunk size over 1 TiB");
  EXPECT_EQ(parse_all(head + "1;" + std::string(5000, 'e'), 10000).error, "chunk size line over 4 KiB");
  EXPECT_EQ(parse_all(head + std::string(5000, '0'), 10000).error, "chunk size line over 4 KiB");
  EXPECT_EQ(parse_all(head + "0\r\nX: " + std::string(20000, 't'), 30000).error, "response headers over 16 KiB");
  EXPECT_EQ(parse_all(head + "0\r\n\rX", 100).error, "malformed end of trailers");
}

TEST(HttpResponseParserTest, NoBodyStatusesNeedNoLength) {
  auto parsed = parse_all("HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n", 3);
  EXPECT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.statuses, std::vector<int>{304});
}

}  // namespace
}  // namespace netlab::loadgen
