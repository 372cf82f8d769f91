// Fuzz target: the file protocol's session (core/proto/file.hpp) over a real library folder.
//
// Input: a control byte (read_splitter.hpp), then the bytes a client sends (length-framed LIST,
// GET, PUT + body, DELETE, QUIT; see fuzz/corpus/file_session_fuzz for examples). Checks:
//   - the replies do not depend on how the bytes were cut into reads or drained: the library is
//     refilled the same way, one session gets everything at once, another the cut reads;
//   - every reply is a whole frame "<code> <size> <message>" followed by exactly <size> bytes;
//   - the Outbox's flow control: commands are held back only while the outbox is full, and no
//     more than Outbox::kMaxFiles open files are ever queued (fuzz/outbox_drain.hpp);
//   - once a session is gone, no temporary upload file is left, and every file in the library has
//     a name a client may use (uploads cannot create hidden files or leave the folder).
// Uploads are capped at 4 KiB (--max-upload), and each run's uploads are deleted after it, so the
// fuzzer cannot fill the disk.
#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <map>
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

// The library every run starts from: files, a folder, links leading in and out, a FIFO, a hidden
// file. A PUT only ever adds a file or replaces one by rename (a new inode), and a DELETE only
// removes one, so restore() can tell what a run changed from names and inode numbers alone, and
// usually only deletes its uploads: a full refill per run made this target three times slower.
class Library {
 public:
  Library() { fill(); }
  const fs::path& path() const { return dir_.path(); }
  std::shared_ptr<const proto::FileRoot> root() const { return root_; }
  bool in_fixture(const std::string& name) const { return inodes_.count(name) != 0; }

  void restore() {
    bool replaced = false;
    size_t present = 0;
    for (const auto& entry : fs::directory_iterator(path())) {
      std::string name = entry.path().filename().string();
      auto it = inodes_.find(name);
      if (it == inodes_.end()) {
        fs::remove_all(entry.path());
      } else {
        ++present;
        replaced = replaced || inode(entry.path()) != it->second;
      }
    }
    if (replaced || present != inodes_.size()) fill();
  }

 private:
  static ino_t inode(const fs::path& p) {
    struct stat st{};
    FUZZ_CHECK(::lstat(p.c_str(), &st) == 0);
    return st.st_ino;
  }
  void fill() {
    dir_.reset();
    const fs::path& p = path();
    std::ofstream(p / "a.txt") << "hello\n";
    std::ofstream(p / "b.bin") << std::string("\0\1\2\3\n\r\xff", 7);
    std::ofstream(p / ".hidden") << "not listed\n";
    fs::create_directory(p / "sub");
    fs::create_symlink("/etc/passwd", p / "out-abs");
    fs::create_symlink("..", p / "out-rel");
    fs::create_symlink("a.txt", p / "in-link");
    ::mkfifo((p / "fifo").c_str(), 0600);
    inodes_.clear();
    for (const auto& entry : fs::directory_iterator(p)) inodes_[entry.path().filename().string()] = inode(entry.path());
  }

  fuzz::TempDir dir_;
  std::shared_ptr<const proto::FileRoot> root_ = std::make_shared<const proto::FileRoot>(dir_.path().string());
  std::map<std::string, ino_t> inodes_;
};

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

void check_library(const Library& lib) {
  for (const auto& entry : fs::directory_iterator(lib.path())) {
    std::string name = entry.path().filename().string();
    if (lib.in_fixture(name)) continue;
    FUZZ_CHECK(proto::file_name_problem(name).empty());  // also: no .netlab-put-* left behind
    FUZZ_CHECK(entry.is_regular_file() && entry.file_size() <= kMaxUpload);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Library lib;
  const auto root = lib.root();
  fuzz::ReadSplitter split(data, size);

  std::string whole_sent;
  bool whole_closed = false;
  {
    proto::FileSession whole(root, {}, kMaxUpload);
    proto::Outbox out;
    fuzz::feed(whole, split.stream(), out);
    fuzz::settle(whole, out, whole_sent, [] { return UINT64_MAX; });
    whole_closed = out.wants_close();
    fuzz::drain_outbox(out, whole_sent);
  }
  check_library(lib);
  check_replies(whole_sent);

  lib.restore();
  std::string cut_sent;
  bool cut_closed = false;
  {
    proto::FileSession cut(root, {}, kMaxUpload);
    proto::Outbox out;
    while (!split.done() && !out.wants_close()) {
      fuzz::feed(cut, split.next(), out);
      fuzz::drain_outbox(out, cut_sent, split.drain_budget());
      fuzz::settle(cut, out, cut_sent, [&] { return split.drain_budget(); });
    }
    cut_closed = out.wants_close();
    fuzz::drain_outbox(out, cut_sent);
  }
  check_library(lib);
  lib.restore();
  FUZZ_CHECK(whole_closed == cut_closed);
  FUZZ_CHECK(whole_sent == cut_sent);
  return 0;
}
