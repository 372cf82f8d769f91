// The command lines of netlab-run and netlab-gate, without running a case: usage errors exit 2 and
// name the tool and the culprit, --report-only refuses a folder that is not a run, --filter picks
// exact ids or globs, and a suite is refused up front (line and column) for what would only fail,
// or write in the wrong place, at run time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/server_process.hpp"
#include "tests/support/test_dir.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

class RunCliTest : public test::TestDirFixture {
 protected:
  RunCliTest() : TestDirFixture("netlab-run-cli") {}
  std::string write_suite(const std::string& text) {
    std::ofstream(dir_ / "suite.toml") << text;
    return (dir_ / "suite.toml").string();
  }
  CommandResult run(std::vector<std::string> args) {
    args.insert(args.begin(), bin_path("netlab-run"));
    return run_command(args, "", std::chrono::seconds(30));
  }
};

TEST_F(RunCliTest, ReportOnlyNeedsARunFolder) {
  auto missing = run({"--report-only", (dir_ / "nowhere").string()});
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_EQ(missing.output.rfind("netlab-run: --report-only " + (dir_ / "nowhere").string() + ": not a run folder", 0),
            0u)
      << missing.output;
  EXPECT_FALSE(fs::exists(dir_ / "nowhere"));
  auto empty = run({"--report-only", dir_.string()});
  EXPECT_EQ(empty.status, 2) << empty.output;
  EXPECT_FALSE(fs::exists(dir_ / "report.html"));
}

TEST_F(RunCliTest, AnExtraArgumentIsNamed) {
  auto suite = write_suite("[[cases]]\nmodels = [\"epoll\"]\n");
  auto extra = run({suite, "surplus", "--list"});
  EXPECT_EQ(extra.status, 2) << extra.output;
  EXPECT_EQ(extra.output.rfind("netlab-run: ", 0), 0u) << extra.output;
  EXPECT_NE(extra.output.find("surplus"), std::string::npos) << extra.output;
  auto with_report = run({"--report-only", dir_.string(), suite});
  EXPECT_EQ(with_report.status, 2) << with_report.output;
  EXPECT_NE(with_report.output.find("unexpected '" + suite + "'"), std::string::npos) << with_report.output;
}

// Every suite the project ships loads and lists its cases: a typo in one fails here, not in a run.
TEST_F(RunCliTest, EveryShippedSuiteIsValid) {
  int suites = 0;
  for (const auto& entry : fs::directory_iterator(NETLAB_SCENARIOS_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("[[cases]]") == std::string::npos) continue;  // a netlab-gate config, not a suite
    ++suites;
    auto listed = run({entry.path().string(), "--list"});
    EXPECT_EQ(listed.status, 0) << entry.path() << ": " << listed.output;
    EXPECT_FALSE(listed.output.empty()) << entry.path();
  }
  EXPECT_GE(suites, 7);
}

TEST_F(RunCliTest, FilterTakesWholeIdsOrGlobs) {
  auto suite = write_suite("[[cases]]\nmodels = [\"epoll\", \"poll\"]\nconnections = [1, 10, 100]\n");
  auto exact = run({suite, "--filter", "epoll-echo-c1", "--list"});
  EXPECT_EQ(exact.status, 0) << exact.output;
  EXPECT_EQ(exact.output, "epoll-echo-c1\n");
  auto glob = run({suite, "--filter", "*-c10", "--list"});
  EXPECT_EQ(glob.output, "epoll-echo-c10\npoll-echo-c10\n");
  auto none = run({suite, "--filter", "epoll", "--list"});
  EXPECT_EQ(none.status, 2) << none.output;
  EXPECT_EQ(none.output.rfind("netlab-run: --filter 'epoll' matches no case id", 0), 0u) << none.output;
}

TEST_F(RunCliTest, ASuiteIsCheckedAgainstTheBuildBeforeAnythingRuns) {
  auto unknown = run({write_suite("[[cases]]\nmodels = [\"epoll\", \"epol\"]\n"), "--list"});
  EXPECT_EQ(unknown.status, 2) << unknown.output;
  EXPECT_EQ(unknown.output.rfind("netlab-run: " + (dir_ / "suite.toml").string() + ":2:20: unknown model 'epol'", 0),
            0u)
      << unknown.output;
  EXPECT_NE(unknown.output.find("models there: "), std::string::npos) << unknown.output;
  auto http_udp = run({write_suite("[[cases]]\nmodels = [\"epoll_udp\"]\nprotocols = [\"http\"]\n"), "--list"});
  EXPECT_EQ(http_udp.status, 2) << http_udp.output;
  EXPECT_EQ(http_udp.output.rfind("netlab-run: " + (dir_ / "suite.toml").string() +
                                      ":3:14: model 'epoll_udp' serves udp and protocol 'http' has no udp form",
                                  0),
            0u)
      << http_udp.output;
  // A mistake in a table the filter leaves out is still a mistake in the file.
  auto filtered = run({write_suite("[[cases]]\nmodels = [\"epoll\"]\n[[cases]]\nmodels = [\"epoll\"]\n"
                                   "protocols = [\"chat\"]\n"),
                       "--filter", "epoll-echo-c1", "--list"});
  EXPECT_EQ(filtered.status, 2) << filtered.output;
  EXPECT_NE(filtered.output.find(":5:14: model 'epoll' serves tcp"), std::string::npos) << filtered.output;
}

TEST_F(RunCliTest, ANameThatLeavesTheResultsFolderIsRefused) {
  fs::create_directories(dir_ / "a" / "b");
  auto suite = write_suite("name = \"../../x\"\nduration = \"100ms\"\n[[cases]]\nmodels = [\"epoll\"]\n");
  auto r = run({suite, "--results", (dir_ / "a" / "b").string()});
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("suite.toml:1:8: 'name' names the results folder"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

// Both tools: bad usage exits 2 with the tool's name first (CLI11 alone exits 105..109), and
// --version names the version and the commit.
TEST(ToolsCliTest, UsageErrorsExitTwoNamedAndVersionPrints) {
  for (const std::string tool : {"netlab-run", "netlab-gate"}) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{{"--no-such-flag"}, {"--duet=x"}}) {
      std::vector<std::string> argv{bin_path(tool)};
      argv.insert(argv.end(), args.begin(), args.end());
      auto r = run_command(argv);
      EXPECT_EQ(r.status, 2) << tool << " " << args[0] << ": " << r.output;
      EXPECT_EQ(r.output.rfind(tool + ": ", 0), 0u) << r.output;
    }
    auto version = run_command({bin_path(tool), "--version"});
    EXPECT_EQ(version.status, 0) << version.output;
    EXPECT_EQ(version.output.rfind(tool + " " + NETLAB_VERSION + " (git ", 0), 0u) << version.output;
  }
  auto sub = run_command({bin_path("netlab-gate"), "compare"});
  EXPECT_EQ(sub.status, 2);
  EXPECT_EQ(sub.output.rfind("netlab-gate: ", 0), 0u) << sub.output;
  auto none = run_command({bin_path("netlab-gate")});
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.output.rfind("netlab-gate: ", 0), 0u) << none.output;
}

}  // namespace
}  // namespace netlab::test
