#include "core/process/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

namespace netlab::process {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::vector<std::string> sh(const std::string& script) { return {"/bin/sh", "-c", script}; }

SpawnOptions piped_stdout() {
  SpawnOptions o;
  o.stdout_pipe = true;
  return o;
}

TEST(ChildProcess, ReadsLinesAndDecodesTheExitStatus) {
  ChildProcess child(sh("echo READY 1; echo second; exit 3"), piped_stdout());
  EXPECT_EQ(child.read_line(5s), "READY 1");
  EXPECT_EQ(child.read_line(5s), "second");
  EXPECT_EQ(child.read_line(5s), std::nullopt);
  EXPECT_TRUE(child.stdout_closed());
  auto exit = child.wait(5s);
  ASSERT_TRUE(exit);
  EXPECT_TRUE(exit->exited);
  EXPECT_EQ(exit->status, 3);
  EXPECT_EQ(exit->describe(), "exit 3");
}

TEST(ChildProcess, ReadLineTimesOutWhileTheChildIsSilent) {
  ChildProcess child(sh("exec sleep 30"), piped_stdout());
  auto start = Clock::now();
  EXPECT_EQ(child.read_line(50ms), std::nullopt);
  EXPECT_FALSE(child.stdout_closed());
  EXPECT_GE(Clock::now() - start, 40ms);  // poll(2) counts whole milliseconds
  EXPECT_FALSE(child.poll_exit());
}

TEST(ChildProcess, StopSendsSigtermAndReportsTheSignal) {
  ChildProcess child(sh("exec sleep 30"), {});
  auto [exit, killed] = child.stop(5s);
  EXPECT_FALSE(killed);
  EXPECT_FALSE(exit.exited);
  EXPECT_EQ(exit.signal, SIGTERM);
  EXPECT_EQ(exit.describe(), "killed by SIGTERM");
}

TEST(ChildProcess, StopKillsAChildThatIgnoresSigterm) {
  // An ignored signal stays ignored across exec: the sleep itself ignores SIGTERM.
  ChildProcess child(sh("trap '' TERM; echo armed; exec sleep 30"), piped_stdout());
  ASSERT_EQ(child.read_line(5s), "armed");  // the trap is set: SIGTERM can no longer end it
  auto [exit, killed] = child.stop(100ms);
  EXPECT_TRUE(killed);
  EXPECT_EQ(exit.signal, SIGKILL);
}

TEST(ChildProcess, StdinAndStderrPipes) {
  SpawnOptions o = piped_stdout();
  o.stdin_pipe = true;
  o.stderr_pipe = true;
  ChildProcess child(sh("read line; echo \"got $line\"; echo oops >&2"), o);
  ASSERT_TRUE(child.write_stdin("hello\n"));
  child.close_stdin();
  EXPECT_EQ(child.read_line(5s), "got hello");
  ASSERT_TRUE(child.wait(5s));
  EXPECT_EQ(child.stderr_text(), "oops\n");
}

TEST(ChildProcess, ReadToEndCollectsStderrToStdout) {
  SpawnOptions o = piped_stdout();
  o.stderr_to_stdout = true;
  ChildProcess child(sh("echo out; echo err >&2"), o);
  std::string all;
  EXPECT_TRUE(child.read_to_end(all, 5s));
  EXPECT_EQ(all, "out\nerr\n");
}

TEST(ChildProcess, WritesStdoutToAFile) {
  std::string path = ::testing::TempDir() + "child_process_test_out.txt";
  SpawnOptions o;
  o.stdout_path = path;
  ChildProcess child(sh("echo into the file"), o);
  ASSERT_TRUE(child.wait(5s));
  std::ifstream in(path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "into the file\n");
}

TEST(ChildProcess, AMissingProgramExitsWith127) {
  SpawnOptions o;
  o.stderr_pipe = true;
  ChildProcess child({"/nonexistent/netlab-no-such-binary"}, o);
  auto exit = child.wait(5s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->status, 127);
  EXPECT_NE(child.stderr_text().find("cannot run /nonexistent/netlab-no-such-binary"), std::string::npos);
}

// A child reaped behind the object's back (ECHILD) ends the wait at once, with the errno, instead
// of looking like a process that runs until the timeout.
TEST(ChildProcess, AFailedWaitpidEndsTheWaitAtOnce) {
  ChildProcess child(sh("exit 0"), {});
  ASSERT_EQ(waitpid(child.pid(), nullptr, 0), child.pid());
  auto start = Clock::now();
  auto exit = child.wait(10s);
  EXPECT_LT(Clock::now() - start, 1s);
  ASSERT_TRUE(exit);
  EXPECT_FALSE(exit->exited);
  EXPECT_EQ(exit->wait_errno, ECHILD);
  EXPECT_EQ(exit->describe(), "waitpid failed: No child processes");
}

TEST(ChildProcess, AGroupIsSignalledAsAWhole) {
  SpawnOptions o = piped_stdout();
  o.own_group = true;
  ChildProcess child(sh("sleep 30 & echo $!; wait"), o);
  auto grandchild = child.read_line(5s);
  ASSERT_TRUE(grandchild);
  EXPECT_EQ(getpgid(child.pid()), child.pid());
  pid_t sleeper = static_cast<pid_t>(std::stoi(*grandchild));
  EXPECT_EQ(getpgid(sleeper), child.pid());
  child.signal(SIGKILL, true);
  ASSERT_TRUE(child.wait(5s));
  // The sleeper is the shell's orphan now: it is gone once kill(pid, 0) fails or it is a zombie
  // of init; a signalled group leaves neither running.
  auto deadline = Clock::now() + 5s;
  while (kill(sleeper, 0) == 0 && Clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(sleeper) + "/stat");
    std::string text(std::istreambuf_iterator<char>(stat), {});
    if (auto close = text.rfind(')'); close != std::string::npos && text.substr(close + 2, 1) == "Z") break;
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LT(Clock::now(), deadline) << "pid " << sleeper << " survived its group's SIGKILL";
}

TEST(ChildProcess, DecodesStatuses) {
  EXPECT_EQ(decode_status(7 << 8).describe(), "exit 7");
  EXPECT_EQ(decode_status(SIGSEGV).describe(), "killed by SIGSEGV");
  EXPECT_EQ(Exit{}.describe(), "still running");
}

}  // namespace
}  // namespace netlab::process
