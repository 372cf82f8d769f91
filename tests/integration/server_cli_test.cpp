// Every server binary explains itself, rejects bad flags clearly, and stops cleanly and quickly on
// SIGTERM and SIGINT, even with a client connected and idle.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>

#include "tests/support/line_client.hpp"
#include "tests/support/models.hpp"
#include "tests/support/sanitizers.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

std::string read_text(const std::string& path) {
  try {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  } catch (const std::exception&) {
    return {};  // the process exited between open and read
  }
}

// Where a process is: its state, signal masks (blocked, pending, caught) and kernel wait channel.
std::string describe_process(pid_t pid) {
  std::string proc = "/proc/" + std::to_string(pid) + "/";
  std::string out = "pid " + std::to_string(pid) + ":\n";
  std::istringstream status(read_text(proc + "status"));
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("State:") || line.starts_with("Threads:") || line.starts_with("Sig") ||
        line.starts_with("ShdPnd:")) {
      out += "  " + line + "\n";
    }
  }
  out += "  wchan: " + read_text(proc + "wchan") + "\n  syscall: " + read_text(proc + "syscall");
  return out;
}

// Stops the server with `sig` and waits well past the deadline, so a slow stop reports its real
// time and a stuck one says where it was stuck (its children included: LeakSanitizer's at-exit
// tracer is one) and what it logged. CI once saw an epoll server miss the deadline with nothing
// more to go on.
ExitInfo stop_and_explain(ServerProcess& server, int sig, std::string& explanation) {
  pid_t pid = server.pid();
  ExitInfo exit = server.stop(sig, kStopDeadline);
  if (!exit.exited && exit.signal == 0) {
    explanation = "still running " + std::to_string(exit.took.count()) + " ms after the signal\n";
    explanation += describe_process(pid);
    for (pid_t child : count_children(pid).pids) explanation += "child " + describe_process(child);
    ExitInfo later = server.stop(0, std::chrono::seconds(10));  // signal 0 sends nothing: only waits
    later.took += exit.took;
    exit = later;
  }
  explanation += "\nstderr:\n" + server.stderr_text();
  return exit;
}

class ServerCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string binary() const { return "netlab-server-" + GetParam(); }
  bool is_tcp() const { return std::find(kTcpModels.begin(), kTcpModels.end(), GetParam()) != kTcpModels.end(); }
};

TEST_P(ServerCliTest, HelpExplainsTheBinary) {
  auto r = run_command({bin_path(binary()), "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("--listen"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("READY"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--cpu-work"), std::string::npos);
  // Loopback unless asked: the file protocol's PUT must not face every network by default.
  EXPECT_NE(r.output.find("=127.0.0.1:9000 "), std::string::npos) << r.output;
}

// Each model's --help lists the protocols its transport carries, and nothing it would then refuse.
TEST_P(ServerCliTest, HelpListsOnlyTheProtocolsItServes) {
  auto r = run_command({bin_path(binary()), "--help"});
  ASSERT_EQ(r.status, 0);
  const std::string served = is_tcp() ? "Protocol to serve: echo, http, file (over TCP)"
                                      : "Protocol to serve: echo, chat (over UDP)";
  EXPECT_NE(r.output.find(served), std::string::npos) << r.output;
  const std::string refused = is_tcp() ? "chat" : "http";
  auto wrong = run_command({bin_path(binary()), "--proto", refused});
  EXPECT_EQ(wrong.status, 2) << wrong.output;
  EXPECT_NE(wrong.output.find(refused + " cannot be served over " + (is_tcp() ? "TCP" : "UDP") +
                              "; this model serves " + (is_tcp() ? "echo, http, file" : "echo, chat")),
            std::string::npos)
      << wrong.output;
}

// The one unit rule: a bare number is seconds (the timeouts, as nginx's), and the per-request
// costs, well under a second, refuse a bare number; --help says so.
TEST_P(ServerCliTest, PerRequestCostsNeedAUnit) {
  auto help = run_command({bin_path(binary()), "--help"});
  EXPECT_NE(help.output.find("A bare number means seconds"), std::string::npos) << help.output;
  for (const char* flag : {"--cpu-work", "--io-delay"}) {
    auto r = run_command({bin_path(binary()), flag, "50"});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_EQ(r.output.rfind(binary() + ": " + flag + ": bad duration '50': needs a unit: 50us, 50ms, 50s", 0), 0u)
        << r.output;
  }
}

TEST_P(ServerCliTest, UnknownFlagFailsWithAMessage) {
  auto r = run_command({bin_path(binary()), "--no-such-flag"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output.rfind(binary() + ": ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("no-such-flag"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, BadAddressFailsWithAMessage) {
  auto r = run_command({bin_path(binary()), "--listen", "127.0.0.1:99999"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output.rfind(binary() + ": ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("0 to 65535"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, BadDurationFailsWithAMessage) {
  auto r = run_command({bin_path(binary()), "--cpu-work", "5parsecs"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output.rfind(binary() + ": ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("bad duration"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, BadValuesAndTimeoutsAreUsageErrors) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--workers", "0"}, {"--workers", "lots"},
                                        {"--header-timeout", "0"}, {"--idle-timeout", "soon"}, {"--listen"}}) {
    args.insert(args.begin(), bin_path(binary()));
    auto r = run_command(args);
    EXPECT_EQ(r.status, 2) << args[1] << ": " << r.output;
    EXPECT_EQ(r.output.rfind(binary() + ": ", 0), 0u) << r.output;
  }
}

TEST_P(ServerCliTest, VersionNamesTheCommit) {
  auto r = run_command({bin_path(binary()), "--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.output.rfind(binary() + " ", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("(git "), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, PortInUseFailsWithAMessage) {
  ServerProcess first(binary(), {"--listen", "127.0.0.1:0"});
  auto r = run_command({bin_path(binary()), "--listen", first.address().to_string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("cannot bind"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Address already in use"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, SigtermStopsWithinASecondWithAClientConnected) {
  ServerProcess server(binary(), {"--listen", "127.0.0.1:0", "--workers", "2"});
  core::Fd idle;
  if (is_tcp()) {
    idle = connect_with_timeout(server.address());
    core::Fd second = connect_with_timeout(server.address());  // one served, one perhaps queued
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string explanation;
  auto exit = stop_and_explain(server, SIGTERM, explanation);
  EXPECT_TRUE(exit.exited) << "signal " << exit.signal;
  EXPECT_EQ(exit.status, 0);
  EXPECT_LT(exit.took, kStopDeadline);
  if (HasFailure()) ADD_FAILURE() << "how it stopped: " << explanation;
}

TEST_P(ServerCliTest, SigintStopsCleanly) {
  ServerProcess server(binary(), {"--listen", "127.0.0.1:0"});
  std::string explanation;
  auto exit = stop_and_explain(server, SIGINT, explanation);
  EXPECT_TRUE(exit.exited) << "signal " << exit.signal;
  EXPECT_EQ(exit.status, 0);
  EXPECT_LT(exit.took, kStopDeadline);
  if (HasFailure()) ADD_FAILURE() << "how it stopped: " << explanation;
}

// A bare timeout is seconds: --header-timeout 1 cuts a silent connection after about a second
// (before the rule it meant 1 µs, refused as under 1 ms).
TEST(ServerUnitsTest, ABareTimeoutIsSeconds) {
  ServerProcess server("netlab-server-epoll", {"--listen", "127.0.0.1:0", "--header-timeout", "1"});
  core::Fd fd = connect_with_timeout(server.address(), std::chrono::seconds(5));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(peer_closed(fd.get()));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(800));
  EXPECT_LT(took, std::chrono::milliseconds(4500));
}

INSTANTIATE_TEST_SUITE_P(Models, ServerCliTest, ::testing::ValuesIn(all_models()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace netlab::test
