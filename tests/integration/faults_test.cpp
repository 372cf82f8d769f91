// Clients that vanish or misbehave mid-exchange, on every TCP model: a reset in the middle of a
// request, of a response (the server's next send gets EPIPE or ECONNRESET, never a SIGPIPE that
// kills it) and of an upload (nothing is left behind), and a half-close (the answer still comes).
// Then a disk that fills during an upload. After each, the server answers a fresh client and stops
// cleanly. docs/robustness.md maps every fault to the test that proves it.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/net/io.hpp"
#include "core/proto/file_frame.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/models.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr size_t kBigFile = 8 << 20;  // far more than socket buffers hold: the reset lands mid-response

// Closes with a reset (RST) instead of a FIN, as a crashed or killed client does.
void reset(core::Fd& fd) {
  linger l{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  fd = core::Fd();
}

// Reads one file-protocol reply frame and parses it; code 0 when none arrived.
proto::FileReply read_file_reply(int fd) {
  proto::FileReply reply;
  std::string prefix = read_exactly(fd, 4);
  if (prefix.size() != 4) return reply;
  size_t len = static_cast<size_t>(static_cast<unsigned char>(prefix[2])) << 8 | static_cast<unsigned char>(prefix[3]);
  if (!proto::parse_file_reply(read_exactly(fd, len), reply)) reply.code = 0;
  return reply;
}

// Names in `dir`, hidden ones (the server's temporary upload files) included.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class FaultsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("netlab-faults-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(base_);
    fs::create_directories(base_);
    std::ofstream(base_ / "big.bin") << std::string(kBigFile, 'b');
    std::ofstream(base_ / "small.txt") << "small\n";
  }
  void TearDown() override { fs::remove_all(base_); }

  std::unique_ptr<ServerProcess> start(const std::string& proto) {
    return std::make_unique<ServerProcess>("netlab-server-" + GetParam(),
                                           std::vector<std::string>{"--listen", "127.0.0.1:0", "--proto", proto,
                                                                    "--root", base_.string(), "--workers", "4"});
  }
  // A fresh client gets /small.txt, and the server is still the process we started.
  static void expect_http_served(ServerProcess& server) {
    core::Fd fd = connect_with_timeout(server.address(), 10s);
    ASSERT_TRUE(core::write_all(fd.get(), "GET /small.txt HTTP/1.1\r\nHost: t\r\n\r\n"));
    HttpResponse r = HttpReader(fd.get()).next();
    EXPECT_EQ(r.status, 200) << server.stderr_text();
    EXPECT_EQ(r.body, "small\n");
  }

  fs::path base_;
};

TEST_P(FaultsTest, ResetsMidRequestAndMidResponseLeaveTheServerServing) {
  auto server = start("http");
  for (int i = 0; i < 10; ++i) {
    core::Fd mid_request = connect_with_timeout(server->address(), 10s);
    ASSERT_TRUE(core::write_all(mid_request.get(), "GET /big.bin HTTP/1.1\r\nHo"));
    reset(mid_request);
    core::Fd mid_response = connect_with_timeout(server->address(), 10s);
    ASSERT_TRUE(core::write_all(mid_response.get(), "GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(read_exactly(mid_response.get(), 64 * 1024).size(), 64u * 1024);
    reset(mid_response);  // the server is in the middle of sending 8 MiB
  }
  expect_http_served(*server);
  EXPECT_EQ(server->stop().status, 0) << "a SIGPIPE or a crash would show here";
}

TEST_P(FaultsTest, AHalfCloseStillGetsItsAnswer) {
  auto server = start("http");
  core::Fd fd = connect_with_timeout(server->address(), 10s);
  ASSERT_TRUE(core::write_all(fd.get(), "GET /small.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /small.txt HTTP/1.1\r\nHost: t\r\n\r\n"));
  ::shutdown(fd.get(), SHUT_WR);  // "no more requests": both answers are still owed
  HttpReader reader(fd.get());
  EXPECT_EQ(reader.next().body, "small\n");
  EXPECT_EQ(reader.next().body, "small\n");
  EXPECT_TRUE(peer_closed(fd.get())) << "the server closes once it has answered";
  EXPECT_EQ(server->stop().status, 0);
}

TEST_P(FaultsTest, AResetMidUploadLeavesNothingBehind) {
  auto server = start("file");
  auto before = entries(base_);
  core::Fd fd = connect_with_timeout(server->address(), 10s);
  ASSERT_TRUE(core::write_all(fd.get(), proto::file_frame("PUT cut.bin 1048576") + std::string(300 * 1024, 'u')));
  // The server writes the upload to a hidden temporary file as it arrives: wait until it exists.
  auto started = std::chrono::steady_clock::now() + 5s;
  while (entries(base_) == before && std::chrono::steady_clock::now() < started) std::this_thread::sleep_for(10ms);
  ASSERT_NE(entries(base_), before) << "no temporary upload file appeared: the test would prove nothing";
  reset(fd);
  // The server notices the reset on its next read and removes its temporary file.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (entries(base_) != before && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(entries(base_), before);
  core::Fd fresh = connect_with_timeout(server->address(), 10s);
  ASSERT_TRUE(core::write_all(fresh.get(), proto::file_frame("GET small.txt")));
  EXPECT_EQ(read_file_reply(fresh.get()).code, 200) << server->stderr_text();
  EXPECT_EQ(server->stop().status, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, FaultsTest, ::testing::ValuesIn(kTcpModels), [](const auto& p) { return p.param; });

// A disk that fills during an upload: the client is told why (507), the temporary file is gone, the
// space is back, and the next upload that fits lands. The session is the same in every model; one
// suffices. Needs a small tmpfs, so root: skipped otherwise.
TEST(DiskFullTest, AnUploadThatFillsTheDiskIsAClearErrorAndTheServerGoesOn) {
  fs::path dir = fs::temp_directory_path() / ("netlab-disk-full-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  if (::mount("netlab-test", dir.c_str(), "tmpfs", 0, "size=1m") != 0) {
    fs::remove_all(dir);
    GTEST_SKIP() << "cannot mount a 1 MiB tmpfs (" << std::strerror(errno) << "): needs root";
  }
  struct Unmount {
    fs::path dir;
    ~Unmount() {
      ::umount2(dir.c_str(), MNT_DETACH);
      fs::remove_all(dir);
    }
  } unmount{dir};
  ServerProcess server("netlab-server-thread_pool", {"--listen", "127.0.0.1:0", "--proto", "file", "--root", dir.string()});
  core::Fd fd = connect_with_timeout(server.address(), 10s);
  constexpr size_t kTooBig = 4 << 20;
  ASSERT_TRUE(core::write_all(fd.get(), proto::file_frame("PUT big.bin " + std::to_string(kTooBig)) + std::string(kTooBig, 'x')));
  proto::FileReply reply = read_file_reply(fd.get());
  EXPECT_EQ(reply.code, 507);
  EXPECT_NE(reply.message.find("No space left on device"), std::string::npos) << reply.message;
  EXPECT_TRUE(entries(dir).empty()) << "the partial upload was left behind";
  // Same connection: the space is free again and a small upload lands.
  ASSERT_TRUE(core::write_all(fd.get(), proto::file_frame("PUT ok.txt 3") + "ok\n"));
  EXPECT_EQ(read_file_reply(fd.get()).code, 201);
  EXPECT_EQ(entries(dir), std::vector<std::string>{"ok.txt"});
  EXPECT_EQ(server.stop().status, 0);
}

}  // namespace
}  // namespace netlab::test
