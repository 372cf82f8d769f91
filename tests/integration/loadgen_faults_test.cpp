// netlab-loadgen when things go wrong: wrong bytes, a server killed mid-run, a stalling server,
// an unreachable target, a run the machine cannot hold, bad flags. Each is counted, explained and
// reflected in the exit status, and whatever was measured is still written.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "core/net/socket.hpp"
#include "core/process/child_process.hpp"
#include "tests/integration/loadgen_test_support.hpp"

namespace netlab::test {
namespace {

// An echo server that gets one byte wrong in every answer: the generator must notice.
class CorruptingEchoServer {
 public:
  CorruptingEchoServer() : listener_(core::listen_tcp(core::Address::parse("127.0.0.1:0"))) {
    address_ = core::Address::local_of(listener_.get());
    thread_ = std::thread([this] { serve(); });
  }
  ~CorruptingEchoServer() {
    stop_ = true;
    ::shutdown(listener_.get(), SHUT_RDWR);
    thread_.join();
  }
  const core::Address& address() const { return address_; }

 private:
  void serve() {
    std::vector<std::thread> clients;
    for (;;) {
      int fd = ::accept(listener_.get(), nullptr, nullptr);
      if (fd < 0 || stop_) {
        if (fd >= 0) ::close(fd);
        break;
      }
      clients.emplace_back([fd] {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0) {
          buf[0] = buf[0] == 'Z' ? 'Y' : 'Z';
          if (::send(fd, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
        }
        ::close(fd);
      });
    }
    for (auto& t : clients) t.join();
  }

  core::Fd listener_;
  core::Address address_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(LoadgenFaultsTest, WrongBytesAreBadResponses) {
  CorruptingEchoServer server;
  TempPath csv(".csv");
  // A full second: even on a loaded machine some answers arrive within it.
  auto run = run_loadgen({"--target", server.address().to_string(), "-c", "2", "-d", "1s"}, csv.path());
  EXPECT_EQ(run.status, 4) << run.output;
  EXPECT_NE(run.output.find("echo: answer differs from the request"), std::string::npos) << run.output;
  auto row = read_summary(csv.path());
  EXPECT_GT(num(row, "errors_bad_response"), 0);
  EXPECT_EQ(num(row, "responses_ok"), 0);
  EXPECT_NE(row["exit_reason"].find("error rate"), std::string::npos);
}

TEST(LoadgenFaultsTest, ServerKilledMidRunGivesErrnoNonZeroExitAndTheCsv) {
  auto server = std::make_unique<ServerProcess>("netlab-server-thread_pool",
                                                std::vector<std::string>{"--listen", "127.0.0.1:0", "--workers", "8"});
  TempPath csv(".csv"), series(".csv");
  CommandResult run;
  std::thread loadgen([&] {
    run = run_loadgen({"--target", server->address().to_string(), "-c", "4", "-d", "20s", "--timeseries",
                       series.path()},
                      csv.path());
  });
  // Once it has measured its first second (the time series gets each second as it ends), kill the
  // server outright.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (read_text(series.path()).find(",1,") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server->stop(SIGKILL);
  loadgen.join();
  EXPECT_NE(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("Connection refused (ECONNREFUSED)"), std::string::npos) << run.output;
  auto row = read_summary(csv.path());
  EXPECT_GT(num(row, "responses_ok"), 0);  // what was measured before the kill is kept
  EXPECT_GT(num(row, "errors_connect"), 0);
  EXPECT_EQ(row["exit_reason"], "all connections failed");
  EXPECT_LT(num(row, "duration_s"), 20);  // it gave up instead of running on against nothing
  EXPECT_NE(read_text(series.path()).find(",1,"), std::string::npos);
}

// Ctrl-C: exit 130 as netlab-run does, so a script can tell a cut-short run from a clean one, and
// what was measured before the signal is still summarised and written.
TEST(LoadgenFaultsTest, InterruptExits130AndKeepsWhatWasMeasured) {
  ServerProcess server("netlab-server-epoll", {"--listen", "127.0.0.1:0"});
  TempPath csv(".csv"), series(".csv");
  process::SpawnOptions spawn;
  spawn.stdout_pipe = true;
  spawn.stderr_to_stdout = true;
  process::ChildProcess loadgen({bin_path("netlab-loadgen"), "--target", server.address().to_string(), "-c", "2",
                                 "-d", "20s", "--quiet", "--csv", csv.path(), "--timeseries", series.path()},
                                spawn);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (read_text(series.path()).find(",1,") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  loadgen.signal(SIGINT);
  std::string output;
  loadgen.read_to_end(output, std::chrono::seconds(10));
  auto exit = loadgen.wait(std::chrono::seconds(10));
  ASSERT_TRUE(exit) << "netlab-loadgen still running 10 s after SIGINT";
  EXPECT_TRUE(exit->exited && exit->status == 130) << exit->describe() << "\n" << output;
  EXPECT_NE(output.find("run ended: interrupted"), std::string::npos) << output;
  auto row = read_summary(csv.path());
  EXPECT_EQ(row["exit_reason"], "interrupted");
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_LT(num(row, "duration_s"), 20);
}

TEST(LoadgenFaultsTest, OpenLoopShowsAStallInCorrectedLatencyNotInServiceTime) {
  // One connection, 20 ms of blocking work per request: 50 answers/s, asked for 200/s. Requests
  // queue behind the slow server; measured from their intended send the wait shows, measured
  // from the actual send (what a closed-loop tool reports) it does not.
  ServerProcess server("netlab-server-iterative_tcp", {"--listen", "127.0.0.1:0", "--io-delay", "20ms"});
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "1", "--rate", "200", "-d",
                                         "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_GT(num(row, "late_sends"), 0);
  EXPECT_GT(num(row, "latency_p50_us"), 5 * num(row, "service_p50_us")) << run.output;
  EXPECT_GE(num(row, "service_p50_us"), 20000);
}

TEST(LoadgenFaultsTest, UnreachableTargetFailsAtOnceWithTheReason) {
  core::Fd probe = core::listen_tcp(core::Address::parse("127.0.0.1:0"));
  std::string target = core::Address::local_of(probe.get()).to_string();
  probe.reset();  // nothing listens there now
  auto run = run_loadgen({"--target", target, "-d", "5s"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.output.find("target unreachable: cannot connect to " + target + ": Connection refused"),
            std::string::npos)
      << run.output;
}

TEST(LoadgenFaultsTest, PreflightRefusesWhatTheFdLimitCannotHold) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 900000) GTEST_SKIP() << "fd hard limit too high to exceed";
  auto run = run_loadgen({"--target", "127.0.0.1:9", "-c", "1000000", "-t", "2"});
  EXPECT_EQ(run.status, 3);
  EXPECT_NE(run.output.find("preflight refused: 1000000 connections need"), std::string::npos) << run.output;
}

TEST(LoadgenFaultsTest, BadUsageExitsTwoAndHelpExitsZero) {
  auto bad = run_loadgen({"--target", "127.0.0.1:9", "--pipeline", "0"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.output.find("--pipeline: must be from 1 to 1024"), std::string::npos) << bad.output;
  EXPECT_EQ(run_loadgen({"--target", "127.0.0.1:9", "--bogus"}).status, 2);
  auto help = run_command({bin_path("netlab-loadgen"), "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.output.find("--max-error-rate"), std::string::npos);
}

TEST(LoadgenFaultsTest, AnUnknownFlagIsNamedBeforeAMissingTarget) {
  auto bogus = run_command({bin_path("netlab-loadgen"), "--bogus"});
  EXPECT_EQ(bogus.status, 2);
  EXPECT_EQ(bogus.output.rfind("netlab-loadgen: ", 0), 0u) << bogus.output;
  EXPECT_NE(bogus.output.find("--bogus"), std::string::npos) << bogus.output;
  EXPECT_EQ(bogus.output.find("--target is required"), std::string::npos) << bogus.output;
  auto none = run_command({bin_path("netlab-loadgen")});
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.output.find("--target is required"), std::string::npos) << none.output;
}

TEST(LoadgenFaultsTest, VersionNamesTheGitCommit) {
  auto version = run_command({bin_path("netlab-loadgen"), "--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.output.rfind("netlab-loadgen ", 0), 0u) << version.output;
  EXPECT_NE(version.output.find("(git "), std::string::npos) << version.output;
}

}  // namespace
}  // namespace netlab::test
