// Fuzz target: the HTTP request head parser, parse_http_request (core/proto/http_request.hpp).
//
// Input: the first byte picks the head limit (64 to 8,192 bytes), the rest is what a client sent.
// Checks the parser's contract: on kOk the head ends with a line feed within the limit, the
// method is a token and the target has no space or control byte, both views lie inside the
// head, the version is 1.0 or 1.1, keep-alive follows the version's default and Connection, and
// the head alone parses the same (no byte after it mattered); kIncomplete only while the limit
// has not been passed.
#include <cstdint>
#include <string_view>

#include "core/proto/http_request.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using namespace netlab;

bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t max_head = data[0] % 2 == 0 ? 8192 : 64 + data[0];
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  proto::HttpRequest req;
  size_t head_len = 0;
  proto::HttpParse result = proto::parse_http_request(input, max_head, req, head_len);
  if (result == proto::HttpParse::kIncomplete) {
    FUZZ_CHECK(input.size() <= max_head);
    return 0;
  }
  if (result != proto::HttpParse::kOk) return 0;

  FUZZ_CHECK(head_len > 0 && head_len <= input.size() && head_len <= max_head);
  FUZZ_CHECK(input[head_len - 1] == '\n');
  std::string_view head = input.substr(0, head_len);
  FUZZ_CHECK(inside(req.method, head) && inside(req.target, head));
  FUZZ_CHECK(!req.method.empty() && !req.target.empty());
  for (char c : req.method) FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7f);
  for (char c : req.target) FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7f);
  FUZZ_CHECK(req.minor == 0 || req.minor == 1);
  if (req.minor == 0 && !req.keep_alive_asked) FUZZ_CHECK(!req.keep_alive);

  proto::HttpRequest again;
  size_t again_len = 0;
  FUZZ_CHECK(proto::parse_http_request(head, max_head, again, again_len) == proto::HttpParse::kOk);
  FUZZ_CHECK(again_len == head_len && again.method == req.method && again.target == req.target);
  FUZZ_CHECK(again.minor == req.minor && again.keep_alive == req.keep_alive &&
             again.content_length == req.content_length && again.has_transfer_encoding == req.has_transfer_encoding);
  return 0;
}
