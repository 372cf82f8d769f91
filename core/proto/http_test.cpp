#include "core/proto/http.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/drain_outbox.hpp"

namespace netlab::proto {
namespace {

namespace fs = std::filesystem;

std::string take(Outbox& out) { return test::drain_outbox(out); }

// The reply without its Date lines, which change every second.
std::string without_dates(std::string reply) {
  for (size_t at; (at = reply.find("\r\nDate: ")) != std::string::npos;) {
    reply.erase(at + 2, reply.find("\r\n", at + 2) - at);
  }
  return reply;
}

class HttpSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("netlab-http-test-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "root" / "sub");
    write(base_ / "root" / "hello.txt", "hello world\n");
    write(base_ / "root" / "sub" / "index.html", "<p>sub</p>");
    write(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "root" / "out-abs");
    fs::create_symlink("../secret.txt", base_ / "root" / "out-rel");
    fs::create_symlink("hello.txt", base_ / "root" / "in-link");
    ::mkfifo((base_ / "root" / "fifo").c_str(), 0600);
    root_ = std::make_shared<const FileRoot>((base_ / "root").string());
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& p, std::string_view text) { std::ofstream(p) << text; }

  // One session, the whole input in one call.
  std::string run(std::string_view input, bool* closed = nullptr, bool with_root = true) {
    HttpSession s(with_root ? root_ : nullptr);
    Outbox out;
    std::string reply = test::feed_and_drain(s, input, out);
    if (closed) *closed = out.wants_close();
    return without_dates(reply);
  }

  static std::string get(std::string_view target) {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }

  fs::path base_;
  std::shared_ptr<const FileRoot> root_;
};

TEST_F(HttpSessionTest, ServesAFileWithLengthAndType) {
  bool closed = true;
  std::string reply = run(get("/hello.txt"), &closed);
  EXPECT_EQ(reply,
            "HTTP/1.1 200 OK\r\nServer: netlab\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 12\r\n\r\nhello world\n");
  EXPECT_FALSE(closed);
}

TEST_F(HttpSessionTest, EveryReplyIsDated) {
  HttpSession s(root_);
  Outbox out;
  s.on_bytes(get("/hello.txt") + get("/missing"), out);
  std::string reply = take(out);
  size_t first = reply.find("\r\nDate: ");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(reply.find("\r\nDate: ", first + 1), std::string::npos);
  std::string date = reply.substr(first + 8, reply.find("\r\n", first + 2) - first - 8);
  EXPECT_EQ(date.size(), 29u) << date;  // "Tue, 24 Nov 2026 00:01:02 GMT"
  EXPECT_EQ(date.substr(date.size() - 4), " GMT");
}

TEST_F(HttpSessionTest, HeadHasTheHeadersButNoBody) {
  std::string reply = run("HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(reply.find("Content-Length: 12\r\n"), std::string::npos);
  EXPECT_EQ(reply.substr(reply.size() - 4), "\r\n\r\n");
}

TEST_F(HttpSessionTest, PipelinedRequestsAreAnsweredInOrderWhateverTheSplit) {
  std::string input = get("/hello.txt") + get("/missing") + "HEAD /sub/ HTTP/1.1\r\nHost: t\r\n\r\n" +
                      "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\nGET / abc" + get("/sub");
  std::string whole = run(input);
  ASSERT_NE(whole.find("404"), std::string::npos);
  EXPECT_LT(whole.find("hello world"), whole.find("404 Not Found"));
  EXPECT_LT(whole.find("404 Not Found"), whole.find("Content-Length: 10"));
  EXPECT_LT(whole.find("Content-Length: 10"), whole.find("405 Method Not Allowed")) << "the POST body is skipped";
  EXPECT_EQ(whole.substr(whole.size() - 10), "<p>sub</p>");
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    HttpSession s(root_);
    Outbox out;
    s.on_bytes(std::string_view(input).substr(0, cut), out);
    std::string reply = take(out);
    s.on_bytes(std::string_view(input).substr(cut), out);
    reply += take(out);
    ASSERT_EQ(without_dates(reply), whole) << "cut at " << cut;
  }
}

// A client that pipelines many GETs and never reads must not make the server open a file per
// queued reply: the session stops at the Outbox's budget, keeps the rest unparsed, and goes on
// when the model drained the replies and calls on_bytes({}). Without the file cache each reply
// holds its own open file.
TEST_F(HttpSessionTest, PipelinedGetsWaitWhileTheOutboxIsFull) {
  std::string input;
  for (int i = 0; i < 100; ++i) input += get("/hello.txt");
  HttpSession s(root_, {}, {}, std::nullopt);
  Outbox out;
  s.on_bytes(input, out);
  EXPECT_TRUE(out.full());
  EXPECT_TRUE(out.input_held());
  EXPECT_EQ(out.pending_files(), Outbox::kMaxFiles) << "one open file per queued reply, up to the budget";
  std::string reply = take(out);
  s.on_bytes({}, out);  // as a model does once the outbox drained
  EXPECT_EQ(out.pending_files(), Outbox::kMaxFiles);
  reply += take(out);
  reply += test::feed_and_drain(s, {}, out);
  EXPECT_FALSE(out.input_held());
  size_t answers = 0;
  for (size_t at = 0; (at = reply.find("hello world\n", at)) != std::string::npos; at += 12) ++answers;
  EXPECT_EQ(answers, 100u);
  // Replies of bytes only (404s) are bounded by bytes instead.
  std::string missing;
  for (int i = 0; i < 5000; ++i) missing += get("/missing");
  HttpSession m(root_);
  m.on_bytes(missing, out);
  EXPECT_TRUE(out.input_held());
  EXPECT_LE(out.pending_bytes(), Outbox::kMaxBytes + 1024);
  std::string all = take(out) + test::feed_and_drain(m, {}, out);
  size_t not_found = 0;
  for (size_t at = 0; (at = all.find(" 404 ", at)) != std::string::npos; ++at) ++not_found;
  EXPECT_EQ(not_found, 5000u);
}

// The cache changes how a reply is made, never what it says: the same bytes with and without it,
// whether bodies come from memory, from the shared descriptor (too large for memory), or both.
TEST_F(HttpSessionTest, TheFileCacheChangesNoReply) {
  write(base_ / "root" / "big.bin", std::string(100000, 'b'));
  const std::string input = get("/hello.txt") + get("/sub/") + get("/sub") + get("/big.bin") + get("/missing") +
                            get("/out-abs") + get("/fifo") + get("/") + "HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n" +
                            "GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + get("/hello.txt") +
                            "GET /in-link HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  HttpSession plain(root_, {}, {}, std::nullopt);
  Outbox plain_out;
  const std::string expected = without_dates(test::feed_and_drain(plain, input, plain_out));
  ASSERT_NE(expected.find(std::string(100000, 'b')), std::string::npos);
  for (uint64_t max_body : {uint64_t{0}, uint64_t{16}, uint64_t{64 * 1024}, uint64_t{1} << 20}) {
    FileCacheLimits limits;
    limits.max_body = max_body;
    for (int pass = 0; pass < 2; ++pass) {  // the first pass fills the cache, the second is served from it
      HttpSession cached(root_, {}, {}, limits);
      Outbox out;
      EXPECT_EQ(without_dates(test::feed_and_drain(cached, input, out)), expected)
          << "max_body " << max_body << ", pass " << pass;
      EXPECT_TRUE(out.wants_close());
    }
  }
}

// Cached bodies are bytes in the outbox: a client that pipelines and never reads is held at the
// outbox's byte budget, and no reply holds a file open.
TEST_F(HttpSessionTest, CachedRepliesWaitAtTheByteBudget) {
  std::string input;
  for (int i = 0; i < 5000; ++i) input += get("/hello.txt");
  HttpSession s(root_);
  Outbox out;
  s.on_bytes(input, out);
  EXPECT_TRUE(out.input_held());
  EXPECT_EQ(out.pending_files(), 0u);
  EXPECT_LE(out.pending_bytes(), Outbox::kMaxBytes + 1024);
  std::string all = take(out) + test::feed_and_drain(s, {}, out);
  size_t answers = 0;
  for (size_t at = 0; (at = all.find("hello world\n", at)) != std::string::npos; at += 12) ++answers;
  EXPECT_EQ(answers, 5000u);
}

TEST_F(HttpSessionTest, ByteByByteInputStillWorks) {
  std::string input = get("/hello.txt") + get("/hello.txt");
  HttpSession s(root_);
  Outbox out;
  for (char c : input) s.on_bytes(std::string_view(&c, 1), out);
  EXPECT_EQ(without_dates(take(out)), run(input));
}

TEST_F(HttpSessionTest, ConnectionCloseAndHttp10) {
  bool closed = false;
  std::string reply = run("GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" + get("/hello.txt"), &closed);
  EXPECT_TRUE(closed);
  EXPECT_NE(reply.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(reply.find("hello world"), reply.rfind("hello world")) << "nothing after a close";
  reply = run("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &closed);
  EXPECT_FALSE(closed);
  EXPECT_NE(reply.find("Connection: keep-alive\r\n"), std::string::npos);
  run("GET /hello.txt HTTP/1.0\r\n\r\n", &closed);
  EXPECT_TRUE(closed);
}

TEST_F(HttpSessionTest, ErrorsCarryTheRightStatus) {
  bool closed = false;
  EXPECT_EQ(run(get("/nope")).substr(0, 22), "HTTP/1.1 404 Not Found");
  std::string reply = run("POST /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nabcde" + get("/hello.txt"), &closed);
  EXPECT_EQ(reply.substr(0, 31), "HTTP/1.1 405 Method Not Allowed");
  EXPECT_NE(reply.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_NE(reply.find("hello world"), std::string::npos) << "the body was skipped, the next request served";
  EXPECT_FALSE(closed);
  EXPECT_EQ(run("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n", &closed).substr(9, 3), "413");
  EXPECT_TRUE(closed);
  EXPECT_EQ(run("GET / HTTP/1.1\r\nHost: t\r\nX: " + std::string(9000, 'x'), &closed).substr(9, 3), "431");
  EXPECT_TRUE(closed);
  EXPECT_EQ(run("GET /" + std::string(9000, 'x'), &closed).substr(9, 3), "414");
  EXPECT_TRUE(closed);
  EXPECT_EQ(run("GET / HTTP/3.0\r\nHost: t\r\n\r\n", &closed).substr(9, 3), "505");
  EXPECT_TRUE(closed);
  EXPECT_EQ(run("GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n", &closed).substr(9, 3), "501");
  EXPECT_TRUE(closed);
  EXPECT_EQ(run(get("/fifo")).substr(9, 3), "404") << "only regular files, and a FIFO must not block";
  EXPECT_EQ(run(get("/sub/missing/")).substr(9, 3), "404");
}

TEST_F(HttpSessionTest, BadRequestClosesAndIgnoresTheRest) {
  HttpSession s(root_);
  Outbox out;
  s.on_bytes("garbage\r\n\r\n" + get("/hello.txt"), out);
  EXPECT_TRUE(out.wants_close());
  std::string reply = without_dates(take(out));
  EXPECT_EQ(reply.substr(0, 24), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(reply.find("hello"), std::string::npos);
  s.on_bytes(get("/hello.txt"), out);
  EXPECT_TRUE(out.empty());
}

TEST_F(HttpSessionTest, NoPathLeavesTheRoot) {
  EXPECT_EQ(run(get("/../secret.txt")).substr(9, 3), "403");
  EXPECT_EQ(run(get("/sub/%2e%2e/%2e%2e/secret.txt")).substr(9, 3), "403");
  EXPECT_EQ(run(get("/..%2fsecret.txt")).substr(9, 3), "400");
  EXPECT_EQ(run(get("/hello.txt%00.png")).substr(9, 3), "400");
  EXPECT_EQ(run(get("/out-abs")).substr(9, 3), "403");
  EXPECT_EQ(run(get("/out-rel")).substr(9, 3), "403");
  EXPECT_EQ(run(get(base_.string() + "/secret.txt")).substr(9, 3), "404") << "absolute paths stay under the root";
  EXPECT_EQ(run("GET " + base_.string().substr(1) + "/secret.txt HTTP/1.1\r\nHost: t\r\n\r\n").substr(9, 3), "400");
  for (const char* path : {"/../secret.txt", "/out-abs", "/out-rel"}) {
    EXPECT_EQ(run(get(path)).find("top secret"), std::string::npos) << path;
  }
  EXPECT_EQ(run(get("/in-link")).substr(9, 3), "200") << "a symlink inside the root is fine";
}

TEST_F(HttpSessionTest, BuiltInIndexWithoutRoot) {
  std::string reply = run(get("/"), nullptr, false);
  EXPECT_EQ(reply.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_NE(reply.find(HttpSession::builtin_index()), std::string::npos);
  EXPECT_EQ(run(get("/hello.txt"), nullptr, false).substr(9, 3), "404");
}

TEST_F(HttpSessionTest, APartialHeadIsAPartialRequestAndTimesOutWith408) {
  HttpSession s(nullptr);
  Outbox out;
  EXPECT_FALSE(s.partial_request());
  s.on_bytes("GET / HTTP/1.1\r\nHost: x\r\n", out);
  EXPECT_TRUE(s.partial_request());
  s.on_bytes("\r\n", out);
  EXPECT_FALSE(s.partial_request());  // answered: back to waiting for the next request
  take(out);
  s.on_bytes("G", out);
  ASSERT_TRUE(s.partial_request());
  s.on_request_timeout(out);
  EXPECT_EQ(take(out).substr(0, 29), "HTTP/1.1 408 Request Timeout\r");
  EXPECT_TRUE(out.wants_close());
  EXPECT_FALSE(s.partial_request());
}

TEST(ContentTypeTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(content_type_for("a/B.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("x.png"), "image/png");
  EXPECT_EQ(content_type_for("dir.d/noext"), "application/octet-stream");
}

}  // namespace
}  // namespace netlab::proto
