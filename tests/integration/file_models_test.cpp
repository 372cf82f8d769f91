// The file protocol on every TCP model: netlab-ftp's scripted form end to end (put, list, get,
// refusals with their exit status), and several clients at once, every byte checked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "tests/support/big_file.hpp"
#include "tests/support/models.hpp"
#include "tests/support/server_process.hpp"
#include "tools/ftp/file_client.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

class FileModelTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("netlab-file-models-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(base_);
    fs::create_directories(base_ / "lib");
    fs::create_directories(base_ / "local");
    server_ = std::make_unique<ServerProcess>(
        "netlab-server-" + GetParam(),
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--proto", "file", "--root", (base_ / "lib").string(),
                                 "--workers", "8"});
    addr_ = server_->address().to_string();
  }
  void TearDown() override {
    auto exit = server_->stop();
    EXPECT_TRUE(exit.exited) << server_->stderr_text();
    EXPECT_EQ(exit.status, 0);
    fs::remove_all(base_);
  }
  CommandResult ftp(std::vector<std::string> args) {
    args.insert(args.begin(), {bin_path("netlab-ftp"), addr_});
    return run_command(args, {}, std::chrono::seconds(30));
  }

  fs::path base_;
  std::unique_ptr<ServerProcess> server_;
  std::string addr_;
};

TEST_P(FileModelTest, NetlabFtpPutListGetRoundTrip) {
  const std::string src = (base_ / "local" / "data.bin").string();
  const uint64_t sum = write_pattern_file(src, 3'000'000, 7);
  auto put = ftp({"put", src});
  EXPECT_EQ(put.status, 0) << put.output;
  EXPECT_NE(put.output.find("stored data.bin (3000000 bytes)"), std::string::npos) << put.output;
  auto list = ftp({"list"});
  EXPECT_EQ(list.status, 0);
  EXPECT_EQ(list.output, "3000000 data.bin\n(1 file)\n");
  const std::string dst = (base_ / "local" / "copy.bin").string();
  auto get = ftp({"get", "data.bin", "-o", dst});
  EXPECT_EQ(get.status, 0) << get.output;
  EXPECT_EQ(checksum_file(dst).value(), sum);
  EXPECT_FALSE(fs::exists(dst + ".part"));
  auto missing = ftp({"get", "nope", "-o", (base_ / "local" / "nope").string()});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.output.find("404: no such file: nope"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(base_ / "local" / "nope"));
  auto escape = ftp({"get", "../" + fs::path(base_).filename().string(), "-o", (base_ / "local" / "x").string()});
  EXPECT_EQ(escape.status, 1);
  EXPECT_NE(escape.output.find("403: refused"), std::string::npos) << escape.output;
  auto hidden = ftp({"put", src, "--as", ".profile"});
  EXPECT_EQ(hidden.status, 1);
  EXPECT_NE(hidden.output.find("hidden names"), std::string::npos) << hidden.output;
}

TEST_P(FileModelTest, EightClientsAtOnceEachGetTheirOwnBytesBack) {
  constexpr int kClients = 8;
  std::vector<std::string> failures(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      try {
        std::string name = "client-" + std::to_string(c) + ".bin";
        std::string src = (base_ / "local" / name).string();
        uint64_t sum = write_pattern_file(src, 300'000 + static_cast<uint64_t>(c) * 1000, static_cast<uint64_t>(c));
        ftp::FileClient client(server_->address());
        auto put = client.put(src, name);
        if (put.code != 201) throw std::runtime_error("put: " + put.message);
        std::string back = src + ".back";
        auto get = client.get(name, back);
        if (get.code != 200) throw std::runtime_error("get: " + get.message);
        if (checksum_file(back).value() != sum) throw std::runtime_error("checksum differs");
        if (client.quit().code != 221) throw std::runtime_error("quit refused");
      } catch (const std::exception& e) {
        failures[c] = "client " + std::to_string(c) + ": " + e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  std::string listing;
  ftp::FileClient client(server_->address());
  EXPECT_EQ(client.list(listing).message, "8 files");
}

INSTANTIATE_TEST_SUITE_P(Models, FileModelTest, ::testing::ValuesIn(kTcpModels), [](const auto& p) { return p.param; });

}  // namespace
}  // namespace netlab::test
