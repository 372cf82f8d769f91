// The http protocol on every TCP model, driven by real clients: curl (bodies, errors, path
// escapes), ab -k (HTTP/1.0 keep-alive), wrk and h2load --h1 (HTTP/1.1 keep-alive), and a raw
// socket for pipelining and malformed requests. A missing tool skips its part, never fails it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/net/io.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/models.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

class HttpModelTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    base_ = fs::temp_directory_path() / ("netlab-http-models-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "www");
    std::ofstream(base_ / "www" / "index.html") << "<h1>index</h1>\n";
    std::ofstream(base_ / "www" / "hello.txt") << "hello world\n";
    std::ofstream(base_ / "secret.txt") << "top secret\n";
    fs::create_symlink(base_ / "secret.txt", base_ / "www" / "escape");
  }
  static void TearDownTestSuite() { fs::remove_all(base_); }

  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        "netlab-server-" + GetParam(),
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--proto", "http", "--root", (base_ / "www").string(),
                                 "--workers", "16"});
    url_ = "http://" + server_->address().to_string();
  }
  void TearDown() override {
    auto exit = server_->stop();
    EXPECT_TRUE(exit.exited) << server_->stderr_text();
    EXPECT_EQ(exit.status, 0);
  }
  // The iterative server serves one connection at a time: keep-alive load tools get one.
  std::string concurrency() const { return GetParam() == "iterative_tcp" ? "1" : "8"; }

  static fs::path base_;
  std::unique_ptr<ServerProcess> server_;
  std::string url_;
};

fs::path HttpModelTest::base_;

TEST_P(HttpModelTest, CurlGetsFilesErrorsAndNoEscape) {
  std::string curl = find_tool("curl");
  if (curl.empty()) GTEST_SKIP() << "curl not installed";
  auto fetch = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {curl, "-sS", "-w", "|%{http_code}|%{content_type}"});
    return run_command(args).output;
  };
  EXPECT_EQ(fetch({url_ + "/hello.txt"}), "hello world\n|200|text/plain; charset=utf-8");
  EXPECT_EQ(fetch({url_ + "/"}), "<h1>index</h1>\n|200|text/html; charset=utf-8");
  EXPECT_NE(fetch({"-I", url_ + "/hello.txt"}).find("Content-Length: 12\r\n"), std::string::npos);
  EXPECT_NE(fetch({url_ + "/missing"}).find("|404|"), std::string::npos);
  EXPECT_NE(fetch({"-X", "DELETE", url_ + "/hello.txt"}).find("|405|"), std::string::npos);
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/escape", "/a%00b"}) {
    std::string out = fetch({"--path-as-is", url_ + path});
    EXPECT_EQ(out.find("top secret"), std::string::npos) << path;
    EXPECT_TRUE(out.find("|403|") != std::string::npos || out.find("|400|") != std::string::npos) << path << ": " << out;
  }
  // Several URLs on one connection: curl reuses it when the server keeps it alive.
  std::string two = run_command({curl, "-sS", "-v", url_ + "/hello.txt", url_ + "/hello.txt"}).output;
  EXPECT_NE(two.find("Re-using existing connection"), std::string::npos) << two;
}

TEST_P(HttpModelTest, ApacheBenchKeepAliveHasNoFailures) {
  std::string ab = find_tool("ab");
  if (ab.empty()) GTEST_SKIP() << "ab not installed";
  auto r = run_command({ab, "-k", "-n", "400", "-c", concurrency(), url_ + "/hello.txt"}, {}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("Complete requests:      400"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Failed requests:        0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Keep-Alive requests:    400"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Non-2xx"), std::string::npos) << r.output;
}

TEST_P(HttpModelTest, WrkRunsWithoutErrors) {
  std::string wrk = find_tool("wrk");
  if (wrk.empty()) GTEST_SKIP() << "wrk not installed";
  auto r = run_command({wrk, "-t1", "-c" + concurrency(), "-d1s", url_ + "/hello.txt"}, {}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("requests in"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Socket errors"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Non-2xx"), std::string::npos) << r.output;
}

TEST_P(HttpModelTest, H2loadHttp1Succeeds) {
  std::string h2load = find_tool("h2load");
  if (h2load.empty()) GTEST_SKIP() << "h2load not installed";
  auto r = run_command({h2load, "--h1", "-n", "400", "-c", concurrency(), url_ + "/hello.txt"}, {},
                       std::chrono::seconds(30));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("400 succeeded, 0 failed, 0 errored"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("400 2xx"), std::string::npos) << r.output;
}

TEST_P(HttpModelTest, PipelinedRequestsAreAnsweredInOrder) {
  core::Fd fd = connect_with_timeout(server_->address());
  std::string batch;
  for (int i = 0; i < 20; ++i) {
    batch += std::string(i % 3 == 2 ? "HEAD" : "GET") + (i % 2 ? " /hello.txt" : " /index.html") +
             " HTTP/1.1\r\nHost: t\r\n\r\n";
  }
  ASSERT_TRUE(core::write_all(fd.get(), batch));
  HttpReader reader(fd.get());
  for (int i = 0; i < 20; ++i) {
    bool head = i % 3 == 2;
    auto r = reader.next(head);
    ASSERT_EQ(r.status, 200) << "response " << i;
    EXPECT_EQ(r.body, head ? "" : (i % 2 ? "hello world\n" : "<h1>index</h1>\n")) << "response " << i;
  }
}

TEST_P(HttpModelTest, MalformedRequestGets400ThenClose) {
  core::Fd fd = connect_with_timeout(server_->address());
  ASSERT_TRUE(core::write_all(fd.get(), "GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\nBLAH\x01 / HTTP/1.1\r\n\r\n"));
  HttpReader reader(fd.get());
  EXPECT_EQ(reader.next().status, 200);
  auto bad = reader.next();
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.header("connection"), "close");
  EXPECT_TRUE(peer_closed(fd.get()));
}

// The file cache never serves a file longer than its validity period after the disk changed: a
// rewritten file is served fresh, and one replaced by a symlink out of the root is refused (every
// reopen goes through RESOLVE_BENEATH). Each request on a new connection, so that on the pool
// models it may reach any worker, each with its own cache.
TEST_P(HttpModelTest, ChangedFilesAreSeenWithinTheValidityPeriod) {
  const fs::path dir = base_ / ("changing-" + GetParam());
  fs::create_directories(dir);
  std::ofstream(dir / "a.txt") << "one\n";
  ServerProcess server("netlab-server-" + GetParam(),
                       {"--listen", "127.0.0.1:0", "--proto", "http", "--root", dir.string(), "--workers", "4",
                        "--file-cache-valid", "200ms"});
  auto get = [&] {
    core::Fd fd = connect_with_timeout(server.address());
    EXPECT_TRUE(core::write_all(fd.get(), "GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    HttpResponse r = HttpReader(fd.get()).next();
    return std::to_string(r.status) + " " + r.body;
  };
  for (int i = 0; i < 8; ++i) ASSERT_EQ(get(), "200 one\n");
  std::ofstream(dir / "a.txt") << "two\n";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(get(), "200 two\n") << "request " << i;
  fs::remove(dir / "a.txt");
  fs::create_symlink(base_ / "secret.txt", dir / "a.txt");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(get().substr(0, 4), "403 ") << "request " << i;
  EXPECT_EQ(server.stop().status, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, HttpModelTest, ::testing::ValuesIn(kTcpModels), [](const auto& p) { return p.param; });

}  // namespace
}  // namespace netlab::test
