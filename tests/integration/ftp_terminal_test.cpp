// netlab-ftp as a person meets it: typed into a real terminal (tmux) against a real file server.
// list (as `ls`), get (as `GET`), put, a typo and a missing local file that leave the session
// alive, a name outside the library refused for that reason, the Up arrow and Ctrl-R recalling
// earlier commands, and quit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "tests/support/server_process.hpp"
#include "tests/support/test_dir.hpp"
#include "tests/support/tmux.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

class FtpTerminalTest : public TestDirFixture {
 protected:
  FtpTerminalTest() : TestDirFixture("netlab-ftp-terminal") {}
};

TEST_F(FtpTerminalTest, ListGetPutTyposAndHistory) {
  if (!Tmux::available()) GTEST_SKIP() << "tmux is not installed (scripts/setup installs it)";
  fs::create_directories(dir_ / "lib");
  fs::create_directories(dir_ / "local");
  std::ofstream(dir_ / "lib" / "notes.txt") << "hello world\n";
  std::ofstream(dir_ / "local" / "up.txt") << "uploaded\n";
  ServerProcess server("netlab-server-thread_pool",
                       {"--listen", "127.0.0.1:0", "--proto", "file", "--root", (dir_ / "lib").string()});
  Tmux tmux;
  tmux.start("ftp", "cd '" + (dir_ / "local").string() + "' && exec '" + bin_path("netlab-ftp") + "' " +
                        server.address().to_string());
  ASSERT_TRUE(tmux.wait_for("ftp", "ftp>")) << tmux.screen("ftp");

  tmux.line("ftp", "ls");
  ASSERT_TRUE(tmux.wait_for("ftp", "12 notes.txt\n(1 file)\nftp>")) << tmux.screen("ftp");
  tmux.line("ftp", "GET notes.txt");
  ASSERT_TRUE(tmux.wait_for("ftp", "got notes.txt (12 bytes) into notes.txt")) << tmux.screen("ftp");
  std::ifstream got(dir_ / "local" / "notes.txt");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(got)), {}), "hello world\n");

  // Typos print their reason; the prompt comes back and the connection is still good.
  tmux.line("ftp", "put /nonexistent");
  ASSERT_TRUE(tmux.wait_for("ftp", "netlab-ftp: cannot open /nonexistent: No such file or directory"))
      << tmux.screen("ftp");
  tmux.line("ftp", "lsit");
  ASSERT_TRUE(tmux.wait_for("ftp", "unknown command 'lsit'")) << tmux.screen("ftp");
  tmux.line("ftp", "get ../etc/passwd");
  ASSERT_TRUE(tmux.wait_for("ftp", "403: refused: outside the library")) << tmux.screen("ftp");
  EXPECT_FALSE(fs::exists(dir_ / "etc"));

  tmux.line("ftp", "put up.txt");
  ASSERT_TRUE(tmux.wait_for("ftp", "stored up.txt (9 bytes)")) << tmux.screen("ftp");
  EXPECT_TRUE(fs::exists(dir_ / "lib" / "up.txt"));
  tmux.line("ftp", "list");
  ASSERT_TRUE(tmux.wait_for("ftp", "(2 files)")) << tmux.screen("ftp");

  // Up recalls the last command (list), Ctrl-R finds an older one (GET notes.txt).
  tmux.press("ftp", {"Up", "Enter"});
  ASSERT_TRUE(tmux.wait_for("ftp", "(2 files)", 2)) << tmux.screen("ftp");
  EXPECT_EQ(occurrences(tmux.screen("ftp"), "ftp> list\n"), 2) << tmux.screen("ftp");
  fs::remove(dir_ / "local" / "notes.txt");
  tmux.press("ftp", {"C-r"});
  tmux.type("ftp", "GET n");
  tmux.press("ftp", {"Enter"});
  ASSERT_TRUE(tmux.wait_for("ftp", "got notes.txt (12 bytes) into notes.txt", 2)) << tmux.screen("ftp");
  EXPECT_TRUE(fs::exists(dir_ / "local" / "notes.txt"));

  tmux.line("ftp", "quit");
  EXPECT_EQ(tmux.exit_status("ftp"), 0) << tmux.screen("ftp");
}

}  // namespace
}  // namespace netlab::test
