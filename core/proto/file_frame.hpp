// The file protocol's framing, shared by the server session, netlab-ftp and the load generator.
//
// Every request and reply is one frame: a 4-byte big-endian length N (1..kMaxFileHeader), then N
// bytes of text a person can read. Raw data follows some frames, its size always stated in the
// frame itself, so a reader never guesses where a message ends (no sleeps against merged packets):
//   requests:  "LIST" | "GET <name>" | "PUT <name> <size>" + <size> bytes | "QUIT"
//   replies:   "<code> <size> <message>" + <size> bytes
// docs/protocols.md has the full description with examples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace netlab::proto {

constexpr size_t kMaxFileHeader = 4096;
constexpr size_t kMaxFileName = 255;

// The 4-byte length prefix followed by `text`.
std::string file_frame(std::string_view text);

// If `data` starts with a whole frame: its text in `text`, its total length (prefix included) in
// `frame_len`, and kOk. kBad when the length prefix is 0 or above kMaxFileHeader.
enum class FrameParse { kOk, kIncomplete, kBad };
FrameParse parse_file_frame(std::string_view data, std::string_view& text, size_t& frame_len);

struct FileReply {
  int code = 0;        // 2xx success, 4xx the request's fault, 5xx the server's
  uint64_t size = 0;   // data bytes that follow the reply frame
  std::string message;
};
// Parses "<code> <size> <message>"; false when malformed.
bool parse_file_reply(std::string_view text, FileReply& reply);
std::string format_file_reply(int code, uint64_t size, std::string_view message);

// Why `name` may not be a file name in the library, or "" when it may: non-empty, at most
// kMaxFileName bytes, not a path (no '/', not ".."; refused as outside the library), not hidden
// (leading '.'; also rules out ".", and keeps the server's temporary upload files out of reach),
// no NUL or control bytes.
std::string_view file_name_problem(std::string_view name);

}  // namespace netlab::proto
