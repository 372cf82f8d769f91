// Fuzz target: the file protocol's session (core/proto/file.hpp) over a real library folder.
//
// Input: a control byte (read_splitter.hpp), then the bytes a client sends (length-framed LIST,
// GET, PUT + body, QUIT; see fuzz/corpus/file_session_fuzz for examples). Checks:
//   - the replies do not depend on how the bytes were cut into reads or drained: the library is
//     refilled the same way, one session gets everything at once, another the cut reads;
//   - every reply is a whole frame "<code> <size> <message>" followed by exactly <size> bytes;
//   - once a session is gone, no temporary upload file is left, and every file in the library has
//     a name a client may use (uploads cannot create hidden files or leave the folder).
// Uploads are capped at 4 KiB (--max-upload), and the folder is emptied before every run, so the
// fuzzer cannot fill the disk.
#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "core/proto/file.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/outbox_drain.hpp"
#include "fuzz/read_splitter.hpp"
#include "fuzz/temp_dir.hpp"

namespace {

using namespace netlab;
namespace fs = std::filesystem;

constexpr uint64_t kMaxUpload = 4096;
const std::set<std::string> kFixture = {"a.txt", "b.bin", "sub", "out-abs", "out-rel", "in-link", "fifo",
                                        ".hidden"};

// The library every run starts from: files, a folder, links leading in and out, a FIFO.
void fill_library(const fuzz::TempDir& lib) {
  lib.reset();
  const fs::path& p = lib.path();
  std::ofstream(p / "a.txt") << "hello\n";
  std::ofstream(p / "b.bin") << std::string("\0\1\2\3\n\r\xff", 7);
  std::ofstream(p / ".hidden") << "not listed\n";
  fs::create_directory(p / "sub");
  fs::create_symlink("/etc/passwd", p / "out-abs");
  fs::create_symlink("..", p / "out-rel");
  fs::create_symlink("a.txt", p / "in-link");
  ::mkfifo((p / "fifo").c_str(), 0600);
}

void check_replies(std::string_view sent) {
  while (!sent.empty()) {
    std::string_view text;
    size_t len = 0;
    FUZZ_CHECK(proto::parse_file_frame(sent, text, len) == proto::FrameParse::kOk);
    proto::FileReply reply;
    FUZZ_CHECK(proto::parse_file_reply(text, reply));
    FUZZ_CHECK(reply.code >= 200 && reply.code <= 599);
    sent.remove_prefix(len);
    FUZZ_CHECK(reply.size <= sent.size());
    sent.remove_prefix(static_cast<size_t>(reply.size));
  }
}

void check_library(const fs::path& lib) {
  for (const auto& entry : fs::directory_iterator(lib)) {
    std::string name = entry.path().filename().string();
    if (kFixture.count(name) != 0) continue;
    FUZZ_CHECK(proto::file_name_problem(name).empty());  // also: no .netlab-put-* left behind
    FUZZ_CHECK(entry.is_regular_file() && entry.file_size() <= kMaxUpload);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fuzz::TempDir lib;
  static const auto root = std::make_shared<const proto::FileRoot>(lib.path().string());
  fuzz::ReadSplitter split(data, size);

  fill_library(lib);
  std::string whole_sent;
  bool whole_closed = false;
  {
    proto::FileSession whole(root, {}, kMaxUpload);
    proto::Outbox out;
    whole.on_bytes(split.stream(), out);
    whole_closed = out.wants_close();
    fuzz::drain_outbox(out, whole_sent);
  }
  check_library(lib.path());
  check_replies(whole_sent);

  fill_library(lib);
  std::string cut_sent;
  bool cut_closed = false;
  {
    proto::FileSession cut(root, {}, kMaxUpload);
    proto::Outbox out;
    while (!split.done() && !out.wants_close()) {
      cut.on_bytes(split.next(), out);
      fuzz::drain_outbox(out, cut_sent, split.drain_budget());
    }
    cut_closed = out.wants_close();
    fuzz::drain_outbox(out, cut_sent);
  }
  check_library(lib.path());
  FUZZ_CHECK(whole_closed == cut_closed);
  FUZZ_CHECK(whole_sent == cut_sent);
  return 0;
}
