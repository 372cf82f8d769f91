// The chat protocol on the UDP models: a room of 50 members where every join notice and every
// message is checked at every member, the duplicate-name refusal, leaves, the operator's notices
// (standard input and --admin-notice), and netlab-chat's scripted form.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "core/net/fd.hpp"
#include "core/process/child_process.hpp"
#include "tests/support/cpu_time.hpp"
#include "tests/support/models.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

constexpr int kMembers = 50;

// One room member: a connected UDP socket.
class Member {
 public:
  explicit Member(const core::Address& server) : fd_(::socket(server.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    int size = 1 << 20;  // room for a burst of fan-out while the test is busy elsewhere
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::connect(fd_.get(), server.sockaddr_ptr(), server.length());
  }
  void send(const std::string& text) const { ::send(fd_.get(), text.data(), text.size(), 0); }
  // The next datagram, or "" after `timeout_ms` of silence.
  std::string next(int timeout_ms = 2000) const {
    pollfd p{fd_.get(), POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return {};
    char buf[2048];
    ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
  // The next `count` datagrams (fewer if the room goes silent for 2 s).
  std::vector<std::string> take(size_t count) const {
    std::vector<std::string> all;
    for (std::string d; all.size() < count && !(d = next()).empty();) all.push_back(d);
    return all;
  }
  // Everything that arrives until `timeout_ms` of silence.
  std::vector<std::string> drain(int timeout_ms = 300) const {
    std::vector<std::string> all;
    for (std::string d; !(d = next(timeout_ms)).empty();) all.push_back(d);
    return all;
  }

 private:
  core::Fd fd_;
};

class ChatRoomTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<ServerProcess> start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--listen", "127.0.0.1:0", "--proto", "chat"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>("netlab-server-" + GetParam(), args, std::chrono::seconds(10), true);
  }
};

TEST_P(ChatRoomTest, FiftyMembersSeeEveryJoinAndEveryMessage) {
  auto server = start();
  std::vector<std::unique_ptr<Member>> room;
  for (int i = 0; i < kMembers; ++i) {
    room.push_back(std::make_unique<Member>(server->address()));
    room.back()->send("JOIN m" + std::to_string(i));
    EXPECT_EQ(room.back()->next(), "OK welcome m" + std::to_string(i) + ", " + std::to_string(i + 1) +
                                        (i == 0 ? " member" : " members") + " online");
  }
  // Member i saw the joins of everyone after it, in order. (Anything extra would show up below,
  // ahead of the messages each member expects.)
  for (int i = 0; i < kMembers; ++i) {
    std::vector<std::string> expected;
    for (int j = i + 1; j < kMembers; ++j) expected.push_back("JOIN m" + std::to_string(j) + " joined");
    EXPECT_EQ(room[i]->take(expected.size()), expected) << "member " << i;
  }
  Member stranger(server->address());
  stranger.send("JOIN m7");
  EXPECT_EQ(stranger.next(), "ERR name taken: m7");
  for (int i = 0; i < kMembers; ++i) room[i]->send("MSG hello from " + std::to_string(i));
  for (int i = 0; i < kMembers; ++i) {
    std::multiset<std::string> got, expected;
    for (const auto& d : room[i]->take(kMembers - 1)) got.insert(d);
    for (int j = 0; j < kMembers; ++j) {
      if (j != i) expected.insert("MSG m" + std::to_string(j) + ": hello from " + std::to_string(j));
    }
    EXPECT_EQ(got, expected) << "member " << i << " got " << got.size() << " of " << expected.size();
  }
  EXPECT_TRUE(stranger.drain(50).empty()) << "a refused name is not a member";
  room[3]->send("LEAVE");
  for (int i = 0; i < kMembers; ++i) {
    if (i != 3) {
      EXPECT_EQ(room[i]->next(), "LEAVE m3 left") << "member " << i << ": nothing else came first";
    }
  }
  EXPECT_EQ(room[3]->next(100), "") << "the leaver is told nothing more";
  stranger.send("JOIN m3");
  EXPECT_EQ(stranger.next(), "OK welcome m3, 50 members online") << "a left name is free again";
  auto exit = server->stop();
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 0) << server->stderr_text();
}

TEST_P(ChatRoomTest, OperatorNoticesFromStdinAndTheCommandLine) {
  auto server = start({"--admin-notice", "be kind"});
  Member a(server->address()), b(server->address());
  a.send("JOIN alice");
  EXPECT_EQ(a.next(), "OK welcome alice, 1 member online");
  EXPECT_EQ(a.next(), "ADMIN [admin] be kind");
  b.send("JOIN bob");
  EXPECT_EQ(b.next(), "OK welcome bob, 2 members online");
  EXPECT_EQ(b.next(), "ADMIN [admin] be kind");
  EXPECT_EQ(a.next(), "JOIN bob joined");
  ASSERT_TRUE(server->write_stdin("maintenance at noon\nsecond line\n"));
  for (const Member* m : {&a, &b}) {
    EXPECT_EQ(m->next(), "ADMIN [admin] maintenance at noon");
    EXPECT_EQ(m->next(), "ADMIN [admin] second line");
  }
  server->close_stdin();  // end of input: the room carries on
  a.send("MSG still here");
  EXPECT_EQ(b.next(), "MSG alice: still here");
  EXPECT_EQ(server->stop().status, 0);
}

TEST_P(ChatRoomTest, NetlabChatScriptedForm) {
  auto server = start();
  Member watcher(server->address());
  watcher.send("JOIN watcher");
  ASSERT_EQ(watcher.next(), "OK welcome watcher, 1 member online");
  std::string addr = server->address().to_string();
  watcher.send("MSG hi bot");  // nobody else yet: goes nowhere
  auto bot = run_command({bin_path("netlab-chat"), addr, "--name", "bot", "--wait", "200ms"}, "hello\nsecond\n");
  EXPECT_EQ(bot.status, 0) << bot.output;
  EXPECT_NE(bot.output.find("* welcome bot, 2 members online"), std::string::npos) << bot.output;
  EXPECT_EQ(watcher.drain(), (std::vector<std::string>{"JOIN bot joined", "MSG bot: hello", "MSG bot: second",
                                                       "LEAVE bot left"}));
  auto dup = run_command({bin_path("netlab-chat"), addr, "--name", "watcher", "--send", "x"});
  EXPECT_EQ(dup.status, 1);
  EXPECT_NE(dup.output.find("name taken: watcher"), std::string::npos) << dup.output;
  EXPECT_EQ(server->stop().status, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, ChatRoomTest, ::testing::ValuesIn(kUdpModels), [](const auto& p) { return p.param; });

// The next line of `chat`'s output containing `text`; the lines skipped on the way go to `seen`.
bool wait_for_line(process::ChildProcess& chat, const std::string& text, std::string& seen) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    auto line = chat.read_line(std::chrono::milliseconds(200));
    if (line) seen += *line + "\n";
    if (line && line->find(text) != std::string::npos) return true;
  }
  return false;
}

// A connected UDP socket whose server has gone reports the ICMP error through poll() until it is
// taken: the client must take it, say so once, not spin, and join again when the server is back.
TEST(NetlabChatCliTest, ServerGoneIsReportedOnceWithoutSpinning) {
  const std::string model = kUdpModels.front();
  auto server = std::make_unique<ServerProcess>("netlab-server-" + model,
                                                std::vector<std::string>{"--listen", "127.0.0.1:0", "--proto", "chat"});
  std::string addr = server->address().to_string();
  process::SpawnOptions options;
  options.stdin_pipe = options.stdout_pipe = options.stderr_to_stdout = true;
  process::ChildProcess chat({bin_path("netlab-chat"), addr, "--name", "bot", "--wait", "200ms"}, options);
  std::string seen;
  ASSERT_TRUE(wait_for_line(chat, "welcome bot", seen)) << seen;
  server->stop(SIGKILL);
  ASSERT_TRUE(chat.write_stdin("anyone there?\n"));  // draws the ICMP port unreachable
  ASSERT_TRUE(wait_for_line(chat, "unreachable", seen)) << seen;
  EXPECT_NE(seen.find("server " + addr + " unreachable: Connection refused"), std::string::npos) << seen;

  auto before = cpu_time(chat.pid());
  ASSERT_TRUE(chat.write_stdin("still nobody?\n"));  // another error: taken, not reported again
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto used = cpu_time(chat.pid()) - before;
  EXPECT_LT(used, std::chrono::milliseconds(200)) << "a busy core would be about 1000 ms";
  EXPECT_FALSE(chat.read_line(std::chrono::milliseconds(300))) << "said once only";

  ServerProcess back("netlab-server-" + model, {"--listen", addr, "--proto", "chat"});
  ASSERT_TRUE(chat.write_stdin("back?\n"));  // the new server does not know us: we join again
  EXPECT_TRUE(wait_for_line(chat, "answers again", seen)) << seen;
  EXPECT_TRUE(wait_for_line(chat, "welcome bot, 1 member online", seen)) << seen;
  chat.close_stdin();
  auto exit = chat.wait(std::chrono::seconds(5));
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->describe(), "exit 0") << seen;
}

// Bad usage exits 2 with the tool's name first (CLI11 alone exits 105..109).
TEST(NetlabChatCliTest, HelpVersionAndUsageErrors) {
  auto help = run_command({bin_path("netlab-chat"), "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.output.find("--name"), std::string::npos);
  auto version = run_command({bin_path("netlab-chat"), "--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.output.rfind(std::string("netlab-chat ") + NETLAB_VERSION + " (git ", 0), 0u) << version.output;
  auto no_name = run_command({bin_path("netlab-chat"), "127.0.0.1:9"});
  EXPECT_EQ(no_name.status, 2);
  EXPECT_EQ(no_name.output.rfind("netlab-chat: --name is required", 0), 0u) << no_name.output;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {}, {"127.0.0.1:9", "--no-such-flag"}, {"nonsense", "--name", "bot"}, {"127.0.0.1:9", "--wait", "soon"}}) {
    std::vector<std::string> argv{bin_path("netlab-chat")};
    argv.insert(argv.end(), args.begin(), args.end());
    auto usage = run_command(argv);
    EXPECT_EQ(usage.status, 2) << usage.output;
    EXPECT_EQ(usage.output.rfind("netlab-chat: ", 0), 0u) << usage.output;
  }
  // The one unit rule: --wait's values are under a second, so a bare number needs a unit.
  auto bare = run_command({bin_path("netlab-chat"), "127.0.0.1:9", "--name", "bot", "--wait", "500"});
  EXPECT_EQ(bare.status, 2) << bare.output;
  EXPECT_NE(bare.output.find("netlab-chat: --wait: bad duration '500': needs a unit: 500us, 500ms, 500s"),
            std::string::npos)
      << bare.output;
}

}  // namespace
}  // namespace netlab::test
