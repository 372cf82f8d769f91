// The http protocol's edges over real sockets: every error status with its close rule, every way
// out of the document root refused, a 200 MiB body byte-exact, the built-in index, and the 503 a
// capped server sends. One model suffices here: the session is the same in every model (the
// per-model behaviour is in http_models_test).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/net/io.hpp"
#include "tests/support/big_file.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kBigSize = 200ull << 20;

class HttpLimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    base_ = fs::temp_directory_path() / ("netlab-http-limits-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "www" / "docs");
    std::ofstream(base_ / "www" / "hello.txt") << "hello world\n";
    std::ofstream(base_ / "secret.txt") << "top secret\n";
    fs::create_symlink(base_ / "secret.txt", base_ / "www" / "abs-link");
    fs::create_symlink("../secret.txt", base_ / "www" / "docs" / "rel-link");  // www/secret.txt: inside, absent
    fs::create_symlink("../../secret.txt", base_ / "www" / "docs" / "up2");
    server_ = new ServerProcess("netlab-server-thread_per_conn",
                                {"--listen", "127.0.0.1:0", "--proto", "http", "--root", (base_ / "www").string()});
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop().status, 0);
    delete server_;
    fs::remove_all(base_);
  }

  // Sends `request` on a new connection and reads one response.
  static HttpResponse ask(const std::string& request, bool* closed = nullptr) {
    core::Fd fd = connect_with_timeout(server_->address());
    EXPECT_TRUE(core::write_all(fd.get(), request));
    HttpReader reader(fd.get());
    HttpResponse r = reader.next(request.rfind("HEAD", 0) == 0);
    if (closed) *closed = peer_closed(fd.get());
    return r;
  }
  static std::string get(const std::string& target) { return "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n"; }

  static fs::path base_;
  static ServerProcess* server_;
};

fs::path HttpLimitsTest::base_;
ServerProcess* HttpLimitsTest::server_;

TEST_F(HttpLimitsTest, ErrorStatusesAndWhenTheyClose) {
  bool closed = false;
  EXPECT_EQ(ask(get("/missing")).status, 404);
  auto r = ask("PUT /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, HEAD");
  EXPECT_EQ(ask("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000000\r\n\r\n", &closed).status, 413);
  EXPECT_TRUE(closed);
  EXPECT_EQ(ask("GET / HTTP/1.1\r\nHost: t\r\nCookie: " + std::string(10000, 'c') + "\r\n\r\n", &closed).status, 431);
  EXPECT_TRUE(closed);
  EXPECT_EQ(ask("GET /" + std::string(10000, 'u') + " HTTP/1.1\r\nHost: t\r\n\r\n", &closed).status, 414);
  EXPECT_TRUE(closed);
  EXPECT_EQ(ask("GET / HTTP/2.0\r\nHost: t\r\n\r\n", &closed).status, 505);
  EXPECT_TRUE(closed);
  for (const char* bad : {"GET / HTTP/1.1\r\n\r\n", "GET /\r\n\r\n", "\x16\x03\x01\x02\x01\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost: t\r\n  folded\r\n\r\n"}) {
    auto b = ask(bad, &closed);
    EXPECT_EQ(b.status, 400) << bad;
    EXPECT_TRUE(closed) << bad;
  }
}

TEST_F(HttpLimitsTest, NothingOutsideTheRootIsServed) {
  const std::pair<const char*, int> cases[] = {
      {"/../secret.txt", 403},         {"/docs/../../secret.txt", 403}, {"/%2e%2e/secret.txt", 403},
      {"/docs/%2E%2E/%2e%2e/secret.txt", 403}, {"/..%2fsecret.txt", 400}, {"/docs%2f..%2f..%2fsecret.txt", 400},
      {"/hello.txt%00", 400},          {"/abs-link", 403},              {"/docs/rel-link", 404},
      {"/docs/up2", 403},              {"secret.txt", 400},             {"/secret.txt", 404},
  };
  for (const auto& [target, status] : cases) {
    auto r = ask(get(target));
    EXPECT_EQ(r.status, status) << target;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << target;
  }
  std::string absolute = (base_ / "secret.txt").string();
  EXPECT_EQ(ask(get(absolute)).status, 404) << "an absolute path is looked up under the root";
}

TEST_F(HttpLimitsTest, TwoHundredMebibyteBodyArrivesExactly) {
  const uint64_t big_sum = write_pattern_file((base_ / "www" / "big.bin").string(), kBigSize);
  auto head = ask("HEAD /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_length, kBigSize);
  core::Fd fd = connect_with_timeout(server_->address());
  ASSERT_TRUE(core::write_all(fd.get(), get("/big.bin") + get("/hello.txt")));
  HttpReader reader(fd.get());
  Checksum sum;
  auto r = reader.next(false, [&](std::string_view piece) { sum.update(piece); });
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(sum.size(), kBigSize);
  EXPECT_EQ(sum.value(), big_sum);
  EXPECT_EQ(reader.next().body, "hello world\n") << "the connection stays usable after a big body";
}

TEST(HttpServerTest, BuiltInIndexWithoutRoot) {
  ServerProcess server("netlab-server-iterative_tcp", {"--listen", "127.0.0.1:0", "--proto", "http"});
  core::Fd fd = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = HttpReader(fd.get()).next();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("netlab"), std::string::npos);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
}

TEST(HttpServerTest, MissingRootFailsAtStartWithOneLine) {
  auto r = run_command({bin_path("netlab-server-iterative_tcp"), "--listen", "127.0.0.1:0", "--proto", "http",
                        "--root", "/nonexistent/www"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("/nonexistent/www: No such file or directory"), std::string::npos) << r.output;
}

TEST(HttpServerTest, ConnectionCapAnswers503) {
  ServerProcess server("netlab-server-thread_per_conn",
                       {"--listen", "127.0.0.1:0", "--proto", "http", "--max-conns", "1"});
  core::Fd first = connect_with_timeout(server.address());
  ASSERT_TRUE(core::write_all(first.get(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(HttpReader(first.get()).next().status, 200);  // the first is being served, and held
  core::Fd second = connect_with_timeout(server.address());
  auto r = HttpReader(second.get()).next();
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(r.complete);
}

}  // namespace
}  // namespace netlab::test
