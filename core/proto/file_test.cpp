#include "core/proto/file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/drain_outbox.hpp"

namespace netlab::proto {
namespace {

namespace fs = std::filesystem;

std::string take(Outbox& out) { return test::drain_outbox(out); }

// Splits a server's output into replies: "code size message" plus their data, as strings.
std::vector<std::pair<std::string, std::string>> replies(std::string_view wire) {
  std::vector<std::pair<std::string, std::string>> all;
  while (!wire.empty()) {
    std::string_view text;
    size_t len = 0;
    if (parse_file_frame(wire, text, len) != FrameParse::kOk) {
      ADD_FAILURE() << "not a whole frame: " << wire.size() << " bytes left";
      break;
    }
    FileReply r;
    EXPECT_TRUE(parse_file_reply(text, r)) << text;
    wire.remove_prefix(len);
    all.emplace_back(std::string(text), std::string(wire.substr(0, r.size)));
    wire.remove_prefix(std::min<size_t>(r.size, wire.size()));
  }
  return all;
}

class FileSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("netlab-file-test-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "lib" / "subdir");
    std::ofstream(base_ / "lib" / "b.txt") << "bee\n";
    std::ofstream(base_ / "lib" / "a file.txt") << "hello";
    std::ofstream(base_ / "lib" / ".hidden") << "no";
    std::ofstream(base_ / "secret") << "top secret";
    fs::create_symlink(base_ / "secret", base_ / "lib" / "link-out");
    lib_ = std::make_shared<const FileRoot>((base_ / "lib").string());
  }
  void TearDown() override { fs::remove_all(base_); }

  std::string run(std::string_view input, bool* closed = nullptr) {
    FileSession s(lib_);
    Outbox out;
    std::string reply = test::feed_and_drain(s, input, out);
    if (closed) *closed = out.wants_close();
    return reply;
  }
  std::vector<std::string> dir_entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(base_ / "lib")) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(base_ / "lib" / name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path base_;
  std::shared_ptr<const FileRoot> lib_;
};

TEST_F(FileSessionTest, ListShowsRegularVisibleFilesSorted) {
  auto r = replies(run(file_frame("LIST")));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, "200 21 2 files");
  EXPECT_EQ(r[0].second, "5 a file.txt\n4 b.txt\n");
}

TEST_F(FileSessionTest, GetSendsTheFileAsARange) {
  FileSession s(lib_);
  Outbox out;
  s.on_bytes(file_frame("GET a file.txt"), out);
  EXPECT_EQ(out.pending_bytes(), 4 + std::string("200 5 sending a file.txt").size() + 5);
  auto r = replies(take(out));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, "200 5 sending a file.txt");
  EXPECT_EQ(r[0].second, "hello");
}

TEST_F(FileSessionTest, BadNamesAreRefusedWithAReason) {
  const std::pair<std::string, std::string> cases[] = {
      {"GET ", "403 0 refused: empty name"},
      {"GET ../secret", "403 0 refused: outside the library (a name may not contain '/' or be '..')"},
      {"GET ..", "403 0 refused: outside the library (a name may not contain '/' or be '..')"},
      {"GET sub/../../secret", "403 0 refused: outside the library (a name may not contain '/' or be '..')"},
      {"GET /etc/passwd", "403 0 refused: outside the library (a name may not contain '/' or be '..')"},
      {"GET .hidden", "403 0 refused: hidden names (starting with '.') are not allowed"},
      {"GET ..hidden", "403 0 refused: hidden names (starting with '.') are not allowed"},
      {"GET .", "403 0 refused: hidden names (starting with '.') are not allowed"},
      {std::string("GET a\0b", 7), "403 0 refused: a name may not contain control characters"},
      {"GET link-out", "403 0 refused: link-out leads outside the library"},
      {"GET nope", "404 0 no such file: nope"},
      {"GET subdir", "404 0 not a regular file: subdir"},
      {"REMOVE b.txt", "400 0 unknown command (try LIST, GET name, PUT name size, DELETE name, QUIT)"},
      {"DELETE ", "403 0 refused: empty name"},
      {"DELETE ../secret", "403 0 refused: outside the library (a name may not contain '/' or be '..')"},
      {"DELETE subdir/x", "403 0 refused: outside the library (a name may not contain '/' or be '..')"},
      {"DELETE .hidden", "403 0 refused: hidden names (starting with '.') are not allowed"},
      {"DELETE .netlab-put-1-0", "403 0 refused: hidden names (starting with '.') are not allowed"},
      {"DELETE nope", "404 0 no such file: nope"},
      {"DELETE subdir", "404 0 not a regular file: subdir"},
      {"DELETE link-out", "404 0 not a regular file: link-out"},
  };
  for (const auto& [request, expected] : cases) {
    bool closed = true;
    auto r = replies(run(file_frame(request), &closed));
    ASSERT_EQ(r.size(), 1u) << request;
    EXPECT_EQ(r[0].first, expected);
    EXPECT_FALSE(closed) << request;
  }
}

// DELETE removes what LIST shows and nothing else: the refusals above left every entry in place.
TEST_F(FileSessionTest, DeleteRemovesAListedFile) {
  auto r = replies(run(file_frame("DELETE a file.txt") + file_frame("DELETE a file.txt") + file_frame("LIST")));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].first, "200 0 deleted a file.txt");
  EXPECT_EQ(r[1].first, "404 0 no such file: a file.txt");
  EXPECT_EQ(r[2].first, "200 8 1 file");
  EXPECT_EQ(dir_entries(), (std::vector<std::string>{".hidden", "b.txt", "link-out", "subdir"}));
  EXPECT_TRUE(fs::exists(base_ / "secret")) << "the symlink's target is untouched";
}

TEST_F(FileSessionTest, RefusedDeletesLeaveEverythingInPlace) {
  run(file_frame("DELETE ../secret") + file_frame("DELETE .hidden") + file_frame("DELETE link-out") +
      file_frame("DELETE subdir"));
  EXPECT_EQ(dir_entries(), (std::vector<std::string>{".hidden", "a file.txt", "b.txt", "link-out", "subdir"}));
  EXPECT_TRUE(fs::exists(base_ / "secret"));
}

TEST_F(FileSessionTest, PutLandsOnlyWhenComplete) {
  const std::string body(100000, 'x');
  std::string input = file_frame("PUT new.bin " + std::to_string(body.size())) + body;
  FileSession s(lib_);
  Outbox out;
  s.on_bytes(std::string_view(input).substr(0, 5000), out);
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(fs::exists(base_ / "lib" / "new.bin")) << "not visible mid-upload";
  EXPECT_EQ(replies(run(file_frame("LIST")))[0].first, "200 21 2 files") << "the temporary file is not listed";
  s.on_bytes(std::string_view(input).substr(5000), out);
  auto r = replies(take(out));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, "201 0 stored new.bin (100000 bytes)");
  EXPECT_EQ(read("new.bin"), body);
  EXPECT_EQ(dir_entries(), (std::vector<std::string>{".hidden", "a file.txt", "b.txt", "link-out", "new.bin", "subdir"}));
}

TEST_F(FileSessionTest, AnUnfinishedCommandFrameIsAPartialRequestAnUploadBodyIsNot) {
  FileSession s(lib_);
  Outbox out;
  std::string put = file_frame("PUT p.bin 10");
  EXPECT_FALSE(s.partial_request());
  s.on_bytes(std::string_view(put).substr(0, 3), out);
  EXPECT_TRUE(s.partial_request());
  s.on_bytes(put.substr(3) + "12345", out);
  EXPECT_FALSE(s.partial_request()) << "mid-body: paced by the idle timeout, not the header one";
  s.on_bytes("67890", out);
  EXPECT_FALSE(s.partial_request());
  EXPECT_EQ(replies(take(out))[0].first, "201 0 stored p.bin (10 bytes)");
}

TEST_F(FileSessionTest, AnUploadOverTheCapIsRefusedBeforeAnyByteIsWritten) {
  FileSession s(lib_, {}, 1000);
  Outbox out;
  s.on_bytes(file_frame("PUT huge.bin 1000000000000") + "first bytes", out);
  auto r = replies(take(out));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, "413 0 too large: 1000000000000 bytes announced, the limit is 1000 (--max-upload)");
  EXPECT_TRUE(out.wants_close());
  EXPECT_EQ(dir_entries(), (std::vector<std::string>{".hidden", "a file.txt", "b.txt", "link-out", "subdir"}))
      << "not even a temporary file";
  FileSession ok(lib_, {}, 1000);
  ok.on_bytes(file_frame("PUT small.bin 1000") + std::string(1000, 's'), out);
  EXPECT_EQ(replies(take(out))[0].first, "201 0 stored small.bin (1000 bytes)") << "the cap itself is allowed";
}

TEST_F(FileSessionTest, AbandonedUploadLeavesNothing) {
  {
    FileSession s(lib_);
    Outbox out;
    s.on_bytes(file_frame("PUT b.txt 1000") + std::string(999, 'z'), out);
  }
  EXPECT_EQ(read("b.txt"), "bee\n") << "the old file is untouched";
  EXPECT_EQ(dir_entries(), (std::vector<std::string>{".hidden", "a file.txt", "b.txt", "link-out", "subdir"}));
}

TEST_F(FileSessionTest, EverySplitOfAMergedConversationGivesTheSameReplies) {
  std::string input = file_frame("LIST") + file_frame("PUT c.txt 7") + "abc\ndef" + file_frame("GET c.txt") +
          file_frame("PUT .bad 3") + "xyz" + file_frame("PUT empty 0") + file_frame("QUIT") + file_frame("LIST");
  std::string whole;
  {
    whole = run(input);
    auto r = replies(whole);
    ASSERT_EQ(r.size(), 6u);
    EXPECT_EQ(r[1].first, "201 0 stored c.txt (7 bytes)");
    EXPECT_EQ(r[2].second, "abc\ndef");
    EXPECT_EQ(r[3].first, "403 0 refused: hidden names (starting with '.') are not allowed");
    EXPECT_EQ(r[4].first, "201 0 stored empty (0 bytes)");
    EXPECT_EQ(r[5].first, "221 0 bye");
  }
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    fs::remove(base_ / "lib" / "c.txt");
    fs::remove(base_ / "lib" / "empty");
    FileSession s(lib_);
    Outbox out;
    s.on_bytes(std::string_view(input).substr(0, cut), out);
    std::string got = take(out);
    s.on_bytes(std::string_view(input).substr(cut), out);
    got += take(out);
    ASSERT_EQ(got, whole) << "cut at " << cut;
  }
  fs::remove(base_ / "lib" / "c.txt");
  fs::remove(base_ / "lib" / "empty");
  FileSession s(lib_);
  Outbox out;
  for (char c : input) s.on_bytes(std::string_view(&c, 1), out);
  EXPECT_EQ(take(out), whole);
  EXPECT_TRUE(out.wants_close());
}

// Pipelined GETs from a client that never reads: at most Outbox::kMaxFiles files open at once;
// the rest wait unparsed (even a frame split across reads) until the model drains and calls
// on_bytes({}), and every reply comes, in order.
TEST_F(FileSessionTest, PipelinedGetsWaitWhileTheOutboxIsFull) {
  std::string input;
  for (int i = 0; i < 50; ++i) input += file_frame(i % 2 ? "GET b.txt" : "GET a file.txt");
  input += file_frame("LIST");
  FileSession s(lib_);
  Outbox out;
  s.on_bytes(std::string_view(input).substr(0, input.size() - 3), out);  // the LIST frame split
  EXPECT_TRUE(out.input_held());
  EXPECT_EQ(out.pending_files(), Outbox::kMaxFiles);
  s.on_bytes(std::string_view(input).substr(input.size() - 3), out);  // more arrives while held
  EXPECT_EQ(out.pending_files(), Outbox::kMaxFiles);
  std::string all = take(out) + test::feed_and_drain(s, {}, out);
  EXPECT_FALSE(out.input_held());
  auto r = replies(all);
  ASSERT_EQ(r.size(), 51u);
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ(r[i].second, i % 2 ? "bee\n" : "hello") << i;
  EXPECT_EQ(r[50].first.substr(0, 4), "200 ");
}

TEST_F(FileSessionTest, HostileFramesCloseTheConnection) {
  bool closed = false;
  auto r = replies(run(std::string("\0\0\0\0", 4), &closed));
  EXPECT_EQ(r.at(0).first, "400 0 bad frame: the length prefix must be 1 to 4096");
  EXPECT_TRUE(closed);
  r = replies(run(std::string("\xff\xff\xff\xff", 4) + "LIST", &closed));
  EXPECT_EQ(r.at(0).first.substr(0, 3), "400");
  EXPECT_TRUE(closed);
  r = replies(run(file_frame("PUT x.bin") + "data", &closed));
  EXPECT_EQ(r.at(0).first, "400 0 PUT needs a name and a size: PUT name size");
  EXPECT_TRUE(closed);
  r = replies(run(file_frame("PUT x.bin -5"), &closed));
  EXPECT_TRUE(closed);
  EXPECT_FALSE(fs::exists(base_ / "lib" / "x.bin"));
}

TEST(FileFrameTest, RoundTripsAndRefusesBadReplies) {
  std::string_view text;
  size_t len = 0;
  std::string frame = file_frame("200 5 ok");
  ASSERT_EQ(frame.size(), 12u);
  EXPECT_EQ(parse_file_frame(frame, text, len), FrameParse::kOk);
  EXPECT_EQ(text, "200 5 ok");
  EXPECT_EQ(parse_file_frame(frame.substr(0, 11), text, len), FrameParse::kIncomplete);
  FileReply r;
  ASSERT_TRUE(parse_file_reply("404 0 no such file: x", r));
  EXPECT_EQ(r.code, 404);
  EXPECT_EQ(r.message, "no such file: x");
  EXPECT_FALSE(parse_file_reply("20 5 x", r));
  EXPECT_FALSE(parse_file_reply("200 x5 m", r));
  EXPECT_FALSE(parse_file_reply("200 5", r));
  EXPECT_EQ(file_name_problem("report 2024.pdf"), "");
  EXPECT_EQ(file_name_problem("v1..2.tar"), "") << "'..' inside a name leads nowhere";
}

}  // namespace
}  // namespace netlab::proto
