// What one connection may make a server hold, on every TCP model: clients that pipeline thousands
// of GETs (HTTP and the file protocol) and never read. Without a bound the server opened one file
// per queued reply (2,754 descriptors for one such client on epoll, 10,749 for the file protocol),
// and eight of them ran it out of descriptors. With Outbox flow control the server stops taking a
// connection's requests while its replies wait: a handful of descriptors per client, fresh clients
// are served, and a hog that finally reads gets every answer, in order.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/net/io.hpp"
#include "core/net/socket.hpp"
#include "core/proto/file_frame.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/models.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kHogs = 8;
constexpr int kRequestsPerHog = 3000;
constexpr size_t kFileSize = 4096;          // 3,000 replies of 4 KiB: far more than socket buffers hold
constexpr int kDescriptorsPerClient = 16;  // the bound; the Outbox allows 8 open files
constexpr int kWorkers = 16;

// Descriptors that `pid` and its children (the pool and fork models serve in children) hold open
// on `file`: the cost a pipelining client can multiply. Sockets and each process's own set-up
// descriptors are left out, so a model's worker count does not enter the figure.
int open_copies(pid_t pid, const fs::path& file) {
  int total = 0;
  std::vector<pid_t> pids = count_children(pid).pids;
  pids.push_back(pid);
  for (pid_t p : pids) {
    std::error_code ec;
    for (auto it = fs::directory_iterator("/proc/" + std::to_string(p) + "/fd", ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      std::error_code link_ec;
      if (fs::read_symlink(it->path(), link_ec) == file) ++total;
    }
  }
  return total;
}

// The most copies of `file` seen open over `window`: the count settles once every hog's server
// side has stopped taking requests.
int peak_open_copies(pid_t pid, const fs::path& file, std::chrono::milliseconds window) {
  int peak = 0;
  for (auto end = std::chrono::steady_clock::now() + window; std::chrono::steady_clock::now() < end;) {
    peak = std::max(peak, open_copies(pid, file));
    std::this_thread::sleep_for(20ms);
  }
  return peak;
}

// A client that sends `requests` and reads nothing: a small receive buffer, so the server's
// replies back up quickly; non-blocking sends, so it writes what the kernel takes and stops.
core::Fd pipelining_hog(const core::Address& server, const std::string& requests) {
  core::Fd fd = connect_never_reading(server);
  core::set_nonblocking(fd.get(), true);
  size_t sent = 0;
  while (sent < requests.size()) {
    ssize_t n = ::send(fd.get(), requests.data() + sent, requests.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  core::set_nonblocking(fd.get(), false);
  timeval tv{10, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

class DescriptorBoundsTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    base_ = fs::temp_directory_path() / ("netlab-descriptor-bounds-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_);
    std::ofstream(base_ / "f.bin") << std::string(kFileSize, 'x');
  }
  static void TearDownTestSuite() { fs::remove_all(base_); }

  std::unique_ptr<ServerProcess> start(const std::string& proto, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--proto", proto, "--root", base_.string(),
                                  "--workers", std::to_string(kWorkers)};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>("netlab-server-" + GetParam(), args);
  }
  // The iterative server serves one connection at a time: a hog holds it, by design.
  bool serves_others() const { return GetParam() != "iterative_tcp"; }

  // Eight hogs, then: the descriptors they cost, and a fresh client served (`fresh` returns
  // whether it got its answer). Returns the hogs, still open.
  std::vector<core::Fd> hog_and_check(ServerProcess& server, const std::string& requests,
                                      const std::function<bool(const core::Address&)>& fresh,
                                      int most_copies = kHogs * kDescriptorsPerClient) {
    std::vector<core::Fd> hogs;
    for (int i = 0; i < kHogs; ++i) hogs.push_back(pipelining_hog(server.address(), requests));
    int peak = peak_open_copies(server.pid(), base_ / "f.bin", 500ms);
    EXPECT_GT(peak, 0) << "the hogs' replies never backed up: the test proves nothing";
    EXPECT_LE(peak, most_copies) << "open copies of the served file";
    if (serves_others()) {
      auto start = std::chrono::steady_clock::now();
      EXPECT_TRUE(fresh(server.address())) << server.stderr_text();
      EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "a fresh client waited";
    }
    return hogs;
  }

  static fs::path base_;
};

fs::path DescriptorBoundsTest::base_;

bool fresh_http_client_served(const core::Address& address) {
  core::Fd fd = connect_with_timeout(address, 1s);
  if (!core::write_all(fd.get(), "GET /f.bin HTTP/1.1\r\nHost: t\r\n\r\n")) return false;
  return HttpReader(fd.get()).next().status == 200;
}

// Without the file cache every reply opens its own copy of the file: the Outbox bounds them.
TEST_P(DescriptorBoundsTest, HttpPipeliningHogsHoldAHandfulOfDescriptorsEach) {
  auto server = start("http", {"--no-file-cache"});
  std::string requests;
  for (int i = 0; i < kRequestsPerHog; ++i) requests += "GET /f.bin HTTP/1.1\r\nHost: t\r\n\r\n";
  auto hogs = hog_and_check(*server, requests, fresh_http_client_served);
  // The others go; the first reads at last and gets every answer, whole and in order.
  hogs.resize(1);
  HttpReader reader(hogs[0].get());
  int answered = 0;
  for (; answered < kRequestsPerHog; ++answered) {
    HttpResponse r = reader.next();
    if (r.status != 200 || !r.complete || r.body.size() != kFileSize) break;
  }
  EXPECT_EQ(answered, kRequestsPerHog);
  hogs.clear();
  EXPECT_EQ(server->stop().status, 0);
}

// With the file cache and a file too large for memory, every reply shares the cached descriptor:
// at most one per worker (each thread or process keeps its own cache), however many hogs.
TEST_P(DescriptorBoundsTest, HttpPipeliningHogsShareTheCachedDescriptor) {
  auto server = start("http", {"--body-cache-max", "1K"});
  std::string requests;
  for (int i = 0; i < kRequestsPerHog; ++i) requests += "GET /f.bin HTTP/1.1\r\nHost: t\r\n\r\n";
  auto hogs = hog_and_check(*server, requests, fresh_http_client_served, kWorkers);
  hogs.clear();
  EXPECT_EQ(server->stop().status, 0);
}

TEST_P(DescriptorBoundsTest, FileProtocolPipeliningHogsHoldAHandfulOfDescriptorsEach) {
  auto server = start("file");
  std::string requests;
  for (int i = 0; i < kRequestsPerHog; ++i) requests += proto::file_frame("GET f.bin");
  // A fresh client's GET: its reply frame says 200 and the size.
  auto fresh = [](const core::Address& address) {
    core::Fd fd = connect_with_timeout(address, 1s);
    if (!core::write_all(fd.get(), proto::file_frame("GET f.bin"))) return false;
    std::string head = read_exactly(fd.get(), 4);
    if (head.size() != 4) return false;
    size_t len = static_cast<unsigned char>(head[2]) << 8 | static_cast<unsigned char>(head[3]);
    proto::FileReply reply;
    return proto::parse_file_reply(read_exactly(fd.get(), len), reply) && reply.code == 200 &&
           reply.size == kFileSize;
  };
  auto hogs = hog_and_check(*server, requests, fresh);
  hogs.clear();
  EXPECT_EQ(server->stop().status, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, DescriptorBoundsTest, ::testing::ValuesIn(kTcpModels),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace netlab::test
