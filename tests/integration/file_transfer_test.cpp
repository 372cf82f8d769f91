// File protocol transfers at size and when they go wrong: 200 MiB up and down with checksums, an
// upload cut off mid-way leaving nothing behind, start-up and busy refusals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "core/net/io.hpp"
#include "core/proto/file_frame.hpp"
#include "tests/support/big_file.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/server_process.hpp"
#include "tools/ftp/file_client.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

class FileTransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("netlab-file-transfer-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "lib");
    fs::create_directories(base_ / "local");
  }
  void TearDown() override { fs::remove_all(base_); }
  std::unique_ptr<ServerProcess> start(const std::string& model, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--proto", "file", "--root", (base_ / "lib").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>("netlab-server-" + model, args);
  }
  std::vector<std::string> library() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(base_ / "lib")) names.push_back(e.path().filename().string());
    return names;
  }

  fs::path base_;
};

TEST_F(FileTransferTest, TwoHundredMebibytesUpAndDownWithChecksums) {
  auto server = start("thread_pool");
  constexpr uint64_t kSize = 200ull << 20;
  const std::string src = (base_ / "local" / "big.bin").string();
  const uint64_t sum = write_pattern_file(src, kSize, 42);
  ftp::FileClient client(server->address());
  auto put = client.put(src, "big.bin");
  ASSERT_EQ(put.code, 201) << put.message;
  EXPECT_EQ(checksum_file((base_ / "lib" / "big.bin").string()).value(), sum);
  fs::remove(src);
  auto get = client.get("big.bin", src);
  ASSERT_EQ(get.code, 200) << get.message;
  EXPECT_EQ(get.size, kSize);
  auto back = checksum_file(src);
  EXPECT_EQ(back.size(), kSize);
  EXPECT_EQ(back.value(), sum);
  EXPECT_EQ(library(), std::vector<std::string>{"big.bin"}) << "no temporary file left";
}

TEST_F(FileTransferTest, UploadCutOffMidwayLeavesNoFile) {
  for (const std::string model : {"thread_per_conn", "fork_per_conn"}) {
    auto server = start(model);
    {
      core::Fd fd = connect_with_timeout(server->address());
      ASSERT_TRUE(core::write_all(fd.get(), proto::file_frame("PUT partial.bin 10000000") + std::string(3'000'000, 'p')));
      // Wait until the server has the temporary file, so the cut really is mid-upload.
      for (int i = 0; i < 300 && library().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      ASSERT_EQ(library().size(), 1u) << model;
      EXPECT_EQ(library()[0].rfind(".netlab-put-", 0), 0u) << library()[0];
    }  // the client vanishes
    for (int i = 0; i < 300 && !library().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(library().empty()) << model << ": " << (library().empty() ? "" : library()[0]);
    ftp::FileClient client(server->address());
    std::string listing;
    EXPECT_EQ(client.list(listing).message, "0 files") << model;
    EXPECT_EQ(server->stop().status, 0);
  }
}

TEST_F(FileTransferTest, FileProtocolWithoutLibraryFailsAtStart) {
  auto r = run_command({bin_path("netlab-server-thread_pool"), "--listen", "127.0.0.1:0", "--proto", "file"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("needs --root DIR"), std::string::npos) << r.output;
}

TEST_F(FileTransferTest, BusyServerRefusesInProtocolTerms) {
  auto server = start("thread_per_conn", {"--max-conns", "1"});
  ftp::FileClient first(server->address());
  std::string listing;
  ASSERT_EQ(first.list(listing).code, 200);  // served, and held open
  core::Fd second = connect_with_timeout(server->address());
  std::string frame = read_exactly(second.get(), 4);
  ASSERT_EQ(frame.size(), 4u);
  std::string_view text;
  size_t len = 0;
  std::string whole = frame + read_exactly(second.get(), static_cast<unsigned char>(frame[3]));
  ASSERT_EQ(proto::parse_file_frame(whole, text, len), proto::FrameParse::kOk);
  EXPECT_EQ(text.substr(0, 18), "421 0 server busy:");
}

TEST_F(FileTransferTest, NetlabFtpMenuAndPrompt) {
  auto server = start("iterative_tcp");
  write_pattern_file((base_ / "lib" / "notes.txt").string(), 1234);
  // Through a pipe, as scripts use it: a typo, a missing local file and a refused name each print
  // their reason and the session goes on.
  auto r = run_command({bin_path("netlab-ftp"), server->address().to_string()},
                       "list\n2 nope\nbogus\nput /nonexistent\nget ../etc/passwd\nLS\nquit\n");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("1) list"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("4) quit"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ftp> 1234 notes.txt\n(1 file)\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("404: no such file: nope"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown command 'bogus'; usage: list | get NAME | put PATH | quit"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("netlab-ftp: cannot open /nonexistent: No such file or directory"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("403: refused: outside the library"), std::string::npos) << r.output;
  const std::string listing = "1234 notes.txt\n(1 file)\n";
  EXPECT_NE(r.output.find(listing, r.output.find(listing) + 1), std::string::npos) << "LS is list: " << r.output;
}

// Bad usage exits 2 with the tool's name first (CLI11 alone exits 105..109); a server that is not
// there is a connection failure, 3.
TEST(NetlabFtpCliTest, HelpVersionAndUsageErrors) {
  auto help = run_command({bin_path("netlab-ftp"), "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.output.find("list | get NAME | put PATH | quit"), std::string::npos) << help.output;
  auto version = run_command({bin_path("netlab-ftp"), "--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.output.rfind(std::string("netlab-ftp ") + NETLAB_VERSION + " (git ", 0), 0u) << version.output;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {}, {"127.0.0.1:1", "--no-such-flag"}, {"nonsense", "list"}, {"127.0.0.1:1", "list", "-o"}}) {
    std::vector<std::string> argv{bin_path("netlab-ftp")};
    argv.insert(argv.end(), args.begin(), args.end());
    auto usage = run_command(argv);
    EXPECT_EQ(usage.status, 2) << usage.output;
    EXPECT_EQ(usage.output.rfind("netlab-ftp: ", 0), 0u) << usage.output;
  }
  auto refused = run_command({bin_path("netlab-ftp"), "127.0.0.1:1", "list"});
  EXPECT_EQ(refused.status, 3);
  EXPECT_NE(refused.output.find("netlab-ftp: "), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace netlab::test
