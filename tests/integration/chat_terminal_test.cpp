// netlab-chat as people meet it: three members typing into real terminals (tmux) in a room on a
// real chat server. The operator's notice reaches everyone; a line half typed survives a message
// arriving; /help, /nick and an unknown command stay local (nobody else sees them as messages);
// when the server dies the client says so once and sleeps instead of spinning.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "tests/support/cpu_time.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/tmux.hpp"

namespace netlab::test {
namespace {

TEST(ChatTerminalTest, ThreeMembersANoticeLocalCommandsAndADeadServer) {
  if (!Tmux::available()) GTEST_SKIP() << "tmux is not installed (scripts/setup installs it)";
  ServerProcess server("netlab-server-epoll_udp", {"--listen", "127.0.0.1:0", "--proto", "chat"},
                       std::chrono::seconds(10), /*pipe_stdin=*/true);
  const std::string chat = "exec '" + bin_path("netlab-chat") + "' " + server.address().to_string();
  Tmux tmux;
  // One at a time, so each welcome counts the members before it.
  tmux.start("alice", chat + " --name alice");
  ASSERT_TRUE(tmux.wait_for("alice", "welcome alice, 1 member online")) << tmux.screen("alice");
  tmux.start("bob", chat + " --name bob");
  ASSERT_TRUE(tmux.wait_for("bob", "welcome bob, 2 members online")) << tmux.screen("bob");
  tmux.start("carol", chat);  // asks for the name, as a person starts it
  ASSERT_TRUE(tmux.wait_for("carol", "name:")) << tmux.screen("carol");
  tmux.line("carol", "carol");
  ASSERT_TRUE(tmux.wait_for("carol", "welcome carol, 3 members online")) << tmux.screen("carol");

  ASSERT_TRUE(server.write_stdin("maintenance at noon\n"));
  for (const char* member : {"alice", "bob", "carol"}) {
    EXPECT_TRUE(tmux.wait_for(member, "[admin] maintenance at noon")) << tmux.screen(member);
  }

  // alice is half way through a line when bob speaks: his message goes above it, her line stays.
  tmux.type("alice", "half typed");
  ASSERT_TRUE(tmux.wait_for("alice", "> half typed")) << tmux.screen("alice");
  tmux.line("bob", "hello from bob");
  ASSERT_TRUE(tmux.wait_for("alice", "bob: hello from bob\n")) << tmux.screen("alice");
  EXPECT_EQ(tmux.last_line("alice"), "> half typed") << tmux.screen("alice");
  tmux.type("alice", " and done");
  tmux.press("alice", {"Enter"});
  EXPECT_TRUE(tmux.wait_for("bob", "alice: half typed and done")) << tmux.screen("bob");
  EXPECT_TRUE(tmux.wait_for("carol", "alice: half typed and done")) << tmux.screen("carol");

  // carol's commands are her client's own.
  tmux.line("carol", "/help");
  ASSERT_TRUE(tmux.wait_for("carol", "/nick NAME")) << tmux.screen("carol");
  tmux.line("carol", "/nick alice");
  ASSERT_TRUE(tmux.wait_for("carol", "! name taken: alice; you stay carol")) << tmux.screen("carol");
  tmux.line("carol", "/nick carla");
  ASSERT_TRUE(tmux.wait_for("carol", "welcome carla, 3 members online")) << tmux.screen("carol");
  tmux.line("carol", "/shrug");
  ASSERT_TRUE(tmux.wait_for("carol", "! unknown command /shrug, not sent")) << tmux.screen("carol");
  // A message after the commands: once it has arrived, anything they had sent would have too.
  tmux.line("carol", "still here");
  for (const char* member : {"alice", "bob"}) {
    ASSERT_TRUE(tmux.wait_for(member, "carla: still here")) << tmux.screen(member);
    std::string seen = tmux.screen(member);
    EXPECT_NE(seen.find("* carol left\n* carla joined"), std::string::npos) << seen;
    for (const char* local : {"/help", "/nick", "/shrug", "carol: /"}) {
      EXPECT_EQ(seen.find(local), std::string::npos) << member << " saw " << local << ":\n" << seen;
    }
  }

  // The server dies: alice's next line draws an ICMP port unreachable, said once.
  server.stop(SIGKILL);
  tmux.line("alice", "anyone there?");
  ASSERT_TRUE(tmux.wait_for("alice", "! server " + server.address().to_string() + " unreachable: Connection refused"))
      << tmux.screen("alice");
  const pid_t pid = tmux.pid("alice");
  auto before = cpu_time(pid);
  tmux.line("alice", "still nobody?");  // another error to take, not to report again
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto used = cpu_time(pid) - before;
  EXPECT_LT(used, std::chrono::milliseconds(100)) << "a client spinning on poll() uses about 1000 ms a second";
  EXPECT_EQ(occurrences(tmux.screen("alice"), "unreachable"), 1) << tmux.screen("alice");
  tmux.line("alice", "/quit");
  EXPECT_EQ(tmux.exit_status("alice"), 3) << "left while the server was unreachable: " << tmux.screen("alice");
}

}  // namespace
}  // namespace netlab::test
