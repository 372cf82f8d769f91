// Fuzz target: the HTTP request-target decoder, decode_http_target (core/proto/http_request.hpp).
//
// Input: a request target, as raw bytes. Checks the header's contract on every kOk: the path is
// relative (no leading '/'), has no NUL (open() would cut it short), no empty, "." or ".."
// segment (so it cannot climb out of the root), is no longer than the target, and trailing_slash
// matches the target; a raw ".." segment is never kOk. And the decoding is exact: percent-encoding
// every byte of the path again and decoding that gives the same path back.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/proto/http_request.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using namespace netlab;

// "/" + path with every byte but unreserved ones, '/' and '\\' as %XX.
std::string encode(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string target = "/";
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    // A backslash stays literal: the decoder refuses it encoded (no "..%5c" tricks), not raw.
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '-' ||
                 c == '_' || c == '~' || c == '\\';
    if (plain) {
      target += c;
    } else {
      target += '%';
      target += kHex[u >> 4];
      target += kHex[u & 15];
    }
  }
  return target;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);
  std::string path = "stale";  // the decoder must clear it
  bool trailing_slash = false;
  if (proto::decode_http_target(target, path, trailing_slash) != proto::HttpTarget::kOk) {
    return 0;
  }
  FUZZ_CHECK(path.size() <= target.size());
  FUZZ_CHECK(path.find('\0') == std::string::npos);
  if (!path.empty()) {
    FUZZ_CHECK(path.front() != '/' && path.back() != '/');
    size_t from = 0;
    for (;;) {
      size_t slash = path.find('/', from);
      std::string_view segment = std::string_view(path).substr(from, slash - from);
      FUZZ_CHECK(!segment.empty() && segment != "." && segment != "..");
      if (slash == std::string::npos) break;
      from = slash + 1;
    }
  }
  // The path part of the target, as the decoder sees it: no scheme and host, no query or fragment.
  std::string_view raw = target;
  if (raw.rfind("http://", 0) == 0 || raw.rfind("https://", 0) == 0) {
    size_t slash = raw.find('/', raw.find("//") + 2);
    raw = slash == std::string_view::npos ? std::string_view("/") : raw.substr(slash);
  }
  raw = raw.substr(0, raw.find_first_of("?#"));
  FUZZ_CHECK(trailing_slash == (!raw.empty() && raw.back() == '/'));
  FUZZ_CHECK(("/" + std::string(raw) + "/").find("/../") == std::string::npos);

  std::string again;
  bool again_slash = true;
  FUZZ_CHECK(proto::decode_http_target(encode(path), again, again_slash) == proto::HttpTarget::kOk);
  FUZZ_CHECK(again == path && again_slash == path.empty());
  return 0;
}
