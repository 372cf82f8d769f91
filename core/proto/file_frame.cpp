#include "core/proto/file_frame.hpp"

#include <cstdlib>

namespace netlab::proto {

std::string file_frame(std::string_view text) {
  std::string frame(4, '\0');
  auto n = static_cast<uint32_t>(text.size());
  frame[0] = static_cast<char>(n >> 24);
  frame[1] = static_cast<char>(n >> 16);
  frame[2] = static_cast<char>(n >> 8);
  frame[3] = static_cast<char>(n);
  frame.append(text);
  return frame;
}

FrameParse parse_file_frame(std::string_view data, std::string_view& text, size_t& frame_len) {
  if (data.size() < 4) {
    return FrameParse::kIncomplete;
  }
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(data[i])); };
  uint32_t n = byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  if (n == 0 || n > kMaxFileHeader) {
    return FrameParse::kBad;
  }
  if (data.size() < 4 + n) {
    return FrameParse::kIncomplete;
  }
  text = data.substr(4, n);
  frame_len = 4 + n;
  return FrameParse::kOk;
}

bool parse_file_reply(std::string_view text, FileReply& reply) {
  size_t sp1 = text.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : text.find(' ', sp1 + 1);
  if (sp1 != 3 || sp2 == std::string_view::npos || sp2 == sp1 + 1 || sp2 - sp1 - 1 > 19) {
    return false;
  }
  reply.code = 0;
  for (char c : text.substr(0, 3)) {
    if (c < '0' || c > '9') return false;
    reply.code = reply.code * 10 + (c - '0');
  }
  reply.size = 0;
  for (char c : text.substr(sp1 + 1, sp2 - sp1 - 1)) {
    if (c < '0' || c > '9') return false;
    reply.size = reply.size * 10 + static_cast<uint64_t>(c - '0');
  }
  reply.message = std::string(text.substr(sp2 + 1));
  return true;
}

std::string format_file_reply(int code, uint64_t size, std::string_view message) {
  return std::to_string(code) + " " + std::to_string(size) + " " + std::string(message);
}

std::string_view file_name_problem(std::string_view name) {
  if (name.empty()) return "empty name";
  if (name.size() > kMaxFileName) return "name too long (max 255 bytes)";
  // A path is checked before the leading '.': "../etc/passwd" is an escape, not a hidden name.
  if (name == ".." || name.find('/') != std::string_view::npos) {
    return "outside the library (a name may not contain '/' or be '..')";
  }
  if (name.front() == '.') return "hidden names (starting with '.') are not allowed";
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a name may not contain control characters";
  }
  return {};
}

}  // namespace netlab::proto
