// netlab-loadgen's file and chat clients against the project's servers: GET and PUT transfers are
// checked byte for byte (size and checksum), a missing or changing file shows as bad responses,
// uploads are removed after the run unless kept, and a chat room of 20 members gets every message
// to every other member.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/integration/loadgen_test_support.hpp"
#include "tests/support/models.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

// A temporary library folder, removed with its files when the object goes.
class Library {
 public:
  Library() {
    char name[] = "/tmp/netlab-loadgen-lib-XXXXXX";
    path_ = mkdtemp(name);
  }
  ~Library() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  // Writes `size` bytes derived from `seed` to `name`, atomically (temp file, then rename).
  void write(const std::string& name, size_t size, int seed) const {
    std::string data(size, '\0');
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 131 + static_cast<size_t>(seed) * 7 + i / 977) & 0xff);
    std::string tmp = path_ + "/.tmp-" + name;
    std::ofstream(tmp, std::ios::binary) << data;
    fs::rename(tmp, path_ + "/" + name);
  }

 private:
  std::string path_;
};

std::unique_ptr<ServerProcess> file_server(const std::string& model, const Library& lib) {
  return std::make_unique<ServerProcess>("netlab-server-" + model, std::vector<std::string>{
      "--listen", "127.0.0.1:0", "--proto", "file", "--root", lib.path(), "--workers", "8"});
}

class LoadgenFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LoadgenFileTest, GetTransfersAreCheckedAndCounted) {
  Library lib;
  lib.write("data.bin", 300'000, 1);
  auto server = file_server(GetParam(), lib);
  auto [run, row] = run_loadgen_summary({"--target", server->address().to_string(), "--proto", "file", "--file-name",
                                         "data.bin", "-c", "3", "-d", "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(row["proto"], "file");
  EXPECT_EQ(num(row, "errors_total"), 0);
  EXPECT_EQ(num(row, "connections_established"), 3);
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_GE(num(row, "bytes_received"), 300'000 * num(row, "responses_ok"));
  // MB/s is exactly the verified data over the measured time.
  EXPECT_NEAR(num(row, "throughput_mbps"), 0.3 * num(row, "tps"), 0.01 * num(row, "throughput_mbps") + 0.002);
  EXPECT_GT(num(row, "latency_p50_us"), 0);
}

TEST_P(LoadgenFileTest, PutUploadsLandWhole) {
  Library lib;
  auto server = file_server(GetParam(), lib);
  auto [run, row] = run_loadgen_summary({"--target", server->address().to_string(), "--proto", "file", "--file-op",
                                         "put", "--file-size", "200000", "--file-verify-every", "1", "-c", "3", "-d",
                                         "1s", "--keep-uploads"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(num(row, "errors_total"), 0);
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_GE(num(row, "bytes_sent"), 200'000 * num(row, "responses_ok"));
  // Kept as asked: one name per connection, overwritten by each upload, so the library does not
  // fill up.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(lib.path())) {
    if (entry.path().filename().string().front() == '.') continue;  // a server's temporary upload file
    ++files;
    EXPECT_EQ(entry.path().filename().string().rfind("lg-", 0), 0u) << entry.path();
    EXPECT_EQ(fs::file_size(entry.path()), 200'000u);
  }
  EXPECT_EQ(files, 3u);
}

// By default each connection DELETEs its upload at the end: the library holds what it held before
// (the server's temporary file of an upload cut at the end goes when its connection does).
TEST_P(LoadgenFileTest, PutUploadsAreRemovedAfterTheRun) {
  Library lib;
  lib.write("keep.bin", 1000, 2);
  auto server = file_server(GetParam(), lib);
  auto [run, row] = run_loadgen_summary({"--target", server->address().to_string(), "--proto", "file", "--file-op",
                                         "put", "--file-size", "200000", "-c", "3", "-d", "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_EQ(run.output.find("left in the server's library"), std::string::npos) << run.output;
  std::vector<std::string> left;
  for (int i = 0; i < 100; ++i) {
    left.clear();
    for (const auto& entry : fs::directory_iterator(lib.path())) left.push_back(entry.path().filename().string());
    if (left.size() == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(left, std::vector<std::string>{"keep.bin"});
}

INSTANTIATE_TEST_SUITE_P(Models, LoadgenFileTest, ::testing::Values("thread_pool", "epoll"),
                         [](const auto& p) { return p.param; });

TEST(LoadgenFileFaultsTest, MissingFileIsABadResponse) {
  Library lib;
  auto server = file_server("thread_pool", lib);
  TempPath csv(".csv");
  auto run = run_loadgen({"--target", server->address().to_string(), "--proto", "file", "--file-name", "absent",
                          "-c", "2", "-d", "500ms"},
                         csv.path());
  EXPECT_EQ(run.status, 4) << run.output;  // error rate above --max-error-rate
  auto row = read_summary(csv.path());
  EXPECT_EQ(num(row, "responses_ok"), 0);
  EXPECT_GT(num(row, "errors_bad_response"), 0);
  EXPECT_NE(run.output.find("file: GET refused"), std::string::npos) << run.output;
}

TEST(LoadgenFileFaultsTest, ContentChangingUnderTheRunIsCaught) {
  Library lib;
  lib.write("data.bin", 100'000, 1);
  auto server = file_server("epoll", lib);
  std::atomic<bool> done{false};
  // Same size, other bytes, swapped in and out every 50 ms: only the checksum can tell.
  std::thread flipper([&] {
    for (int i = 2; !done; ++i) {
      lib.write("data.bin", 100'000, i % 2 + 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  TempPath csv(".csv");
  auto run = run_loadgen({"--target", server->address().to_string(), "--proto", "file", "--file-name", "data.bin",
                          "-c", "2", "-d", "1s", "--max-error-rate", "1"},
                         csv.path());
  done = true;
  flipper.join();
  ASSERT_EQ(run.status, 0) << run.output;
  auto row = read_summary(csv.path());
  EXPECT_GT(num(row, "errors_bad_response"), 0);
  EXPECT_NE(run.output.find("differs from the first GET"), std::string::npos) << run.output;
}

class LoadgenChatTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LoadgenChatTest, TwentyMembersGetEveryMessage) {
  ServerProcess server("netlab-server-" + GetParam(), {"--listen", "127.0.0.1:0", "--proto", "chat"});
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "--proto", "chat", "-c", "20", "-t",
                                         "2", "--rate", "200", "-d", "1s", "--timeout", "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(row["transport"], "udp");
  EXPECT_EQ(row["mode"], "open");
  EXPECT_EQ(num(row, "connections_established"), 20);
  EXPECT_GT(num(row, "requests_sent"), 0);
  EXPECT_EQ(num(row, "responses_ok"), 19 * num(row, "requests_sent"));  // delivered == expected
  EXPECT_EQ(num(row, "udp_lost"), 0);
  EXPECT_EQ(num(row, "udp_duplicate"), 0);
  EXPECT_EQ(num(row, "errors_total"), 0);
  EXPECT_GT(num(row, "latency_p50_us"), 0);
  EXPECT_NE(run.output.find("of " + row["responses_ok"] + " expected"), std::string::npos) << run.output;
}

INSTANTIATE_TEST_SUITE_P(Models, LoadgenChatTest, ::testing::ValuesIn(kUdpModels), [](const auto& p) { return p.param; });

TEST(LoadgenChatFaultsTest, AServerThatIsNotAChatRoomFailsAtJoin) {
  ServerProcess server("netlab-server-iterative_udp", {"--listen", "127.0.0.1:0", "--proto", "echo"});
  auto run = run_loadgen({"--target", server.address().to_string(), "--proto", "chat", "-c", "2", "--rate", "10",
                          "-d", "500ms", "--timeout", "300ms"});
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("could not JOIN"), std::string::npos) << run.output;
}

TEST(LoadgenProtocolUsageTest, BadFlagCombinationsAreUsageErrors) {
  auto get_without_name = run_loadgen({"--target", "127.0.0.1:9", "--proto", "file"});
  EXPECT_EQ(get_without_name.status, 2);
  EXPECT_NE(get_without_name.output.find("--file-name"), std::string::npos) << get_without_name.output;
  auto chat_without_rate = run_loadgen({"--target", "127.0.0.1:9", "--proto", "chat"});
  EXPECT_EQ(chat_without_rate.status, 2);
  EXPECT_NE(chat_without_rate.output.find("--rate"), std::string::npos) << chat_without_rate.output;
  auto keep_on_get = run_loadgen({"--target", "127.0.0.1:9", "--proto", "file", "--file-name", "a", "--keep-uploads"});
  EXPECT_EQ(keep_on_get.status, 2);
  EXPECT_NE(keep_on_get.output.find("--keep-uploads: only with --proto file --file-op put"), std::string::npos)
      << keep_on_get.output;
}

}  // namespace
}  // namespace netlab::test
