// netlab-run end to end: a tiny real suite (two models, one level, a second each) produces every
// file and chart, and the report opens in headless Chromium with every chart loaded and one colour
// per model; a case whose server cannot start is recorded as failed while the suite goes on; an
// interrupted run keeps and reports what it measured.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/process/child_process.hpp"
#include "tests/support/report_check.hpp"
#include "tests/support/sanitizers.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_dir.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

class RunnerTest : public test::TestDirFixture {
 protected:
  RunnerTest() : TestDirFixture("netlab-runner") {}
  std::string write_suite(const std::string& text) {
    std::ofstream(dir_ / "suite.toml") << text;
    return (dir_ / "suite.toml").string();
  }
  fs::path run_dir() { return fs::canonical(dir_ / "results" / "latest"); }
};

TEST_F(RunnerTest, TinySuiteProducesEveryFileAndChart) {
  auto suite = write_suite(R"(
name = "tiny"
duration = "1s"
warmup = "200ms"
settle = "100ms"
[[cases]]
models = ["thread_per_conn", "prefork"]
connections = [4]
)");
  auto r = run_command({bin_path("netlab-run"), suite, "--results", (dir_ / "results").string()}, "",
                       std::chrono::seconds(60));
  ASSERT_EQ(r.status, 0) << r.output;
  fs::path run = run_dir();
  auto summary = lines(run / "summary.csv");
  ASSERT_EQ(summary.size(), 3u) << r.output;
  EXPECT_EQ(summary[0].rfind("case,group,model,", 0), 0u);
  // The load generator's newest columns are carried, filled in (0 for echo's status classes).
  EXPECT_NE(summary[0].find(",status_1xx,status_2xx,status_3xx,status_4xx,status_5xx,conn_answers_fewest,"
                            "conn_answers_most,conns_unanswered"),
            std::string::npos)
      << summary[0];
  EXPECT_EQ(summary[1].substr(summary[1].size() - 2), ",0") << summary[1];  // conns_unanswered
  EXPECT_NE(summary[1].find("thread_per_conn-echo-c4"), std::string::npos);
  EXPECT_NE(summary[1].find(",ok,"), std::string::npos) << summary[1];
  EXPECT_NE(summary[2].find(",ok,"), std::string::npos) << summary[2];
  EXPECT_GE(lines(run / "timeseries.csv").size(), 3u);
  for (const char* f : {"run.json", "report.html", "summary.md", "thread_per_conn-echo-c4.hgrm", "prefork-echo-c4.hgrm"}) {
    EXPECT_TRUE(fs::exists(run / f)) << f;
  }
  const std::vector<std::string> charts = {"rank-echo",        "tps-echo",        "latency-echo",
                                           "server-echo",      "spectrum-echo-c4", "timeline-echo-c4"};
  for (const auto& chart : charts) {
    EXPECT_GT(fs::file_size(run / "charts" / (chart + ".png")), 1000u) << chart;
    EXPECT_GT(fs::file_size(run / "charts" / (chart + ".svg")), 1000u) << chart;
  }
  // The suite's interval (100 ms unless set): a 1-second case's timeline has ten points, not one.
  EXPECT_GE(lines(run / "timeseries.csv").size(), 1u + 2 * 10u);
  std::ifstream json(run / "run.json");
  std::string meta((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  EXPECT_NE(meta.find("\"git_sha\""), std::string::npos);
  EXPECT_NE(meta.find("net.core.somaxconn"), std::string::npos);
  EXPECT_NE(meta.find("\"ok\": 2"), std::string::npos) << meta;

  // Every chart decoded in a real browser, each model in one colour throughout.
  auto check = check_report_in_chromium(run / "report.html", charts, dir_ / "chromium");
  if (check.skipped) GTEST_SKIP() << "chromium not installed (scripts/setup installs it)";
  EXPECT_TRUE(check.problems.empty()) << check.problems.front();
  EXPECT_NE(check.dom.find("data-charts-loaded=\"6/6\""), std::string::npos) << check.dom.substr(0, 2000);
}

// Interleaved A/B in duet (the gate's way): each case runs for both builds, the timed ones at the
// same time; rows say which build; each build keeps its own files; a cost case counts system
// calls per request. Both builds are the same binaries here, so the counts agree.
TEST_F(RunnerTest, DuetABRunRecordsBothBuildsAndCountsCosts) {
  if (access("/usr/bin/perf", X_OK) != 0) GTEST_SKIP() << "perf not installed (scripts/setup installs linux-perf)";
  auto suite = write_suite(R"(
name = "ab"
duration = "500ms"
warmup = "100ms"
settle = "100ms"
repetitions = 2
cost_requests = 500
[[cases]]
models = ["epoll"]
connections = [4]
[[cases]]
models = ["epoll"]
measure = "cost"
repetitions = 1
count_instructions = false
)");
  const std::string bin = fs::path(bin_path("netlab-run")).parent_path().string();
  auto r = run_command({bin_path("netlab-run"), suite, "--results", (dir_ / "results").string(), "--ab", bin, bin,
                        "--duet", "--seed", "7"},
                       "", std::chrono::seconds(120));
  ASSERT_EQ(r.status, 0) << r.output;
  fs::path run = run_dir();
  auto summary = lines(run / "summary.csv");
  ASSERT_EQ(summary.size(), 1u + 6u) << r.output;
  int old_rows = 0, new_rows = 0;
  for (size_t i = 1; i < summary.size(); ++i) {
    old_rows += summary[i].find(",old,") != std::string::npos;
    new_rows += summary[i].find(",new,") != std::string::npos;
    EXPECT_NE(summary[i].find(",ok,"), std::string::npos) << summary[i];
  }
  EXPECT_EQ(old_rows, 3);
  EXPECT_EQ(new_rows, 3);
  for (const char* f : {"epoll-echo-c4-rep1.old.hgrm", "epoll-echo-c4-rep1.new.hgrm", "epoll-echo-c4-rep2.new.hgrm"}) {
    EXPECT_TRUE(fs::exists(run / f)) << f;
  }
  std::ifstream json(run / "run.json");
  std::string meta((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  EXPECT_NE(meta.find("\"seed\": 7"), std::string::npos) << meta;

  // The same binaries on both sides: the gate finds the server's system calls per request
  // unchanged (exact counts). Only the server's: 500 requests under a sanitizer are slow enough
  // that the load generator's own count, which includes its 5 ms polling, moves by a few percent.
  // Under a sanitizer the server's count moves too (a fresh-clone ASan run measured 6.39 and 0.79
  // system calls per request for one binary: time-driven wake-ups of a slowed server land
  // unevenly on the short and the long count), so there only the metric's presence is checked.
  auto gate = run_command({bin_path("netlab-gate"), "compare", run.string()}, "", std::chrono::seconds(30));
  auto at = gate.output.find("server_syscalls_per_req");
  ASSERT_NE(at, std::string::npos) << gate.output;
  std::string line = gate.output.substr(at, gate.output.find('\n', at) - at);
  if (!kSanitized) {
    EXPECT_NE(line.find("unchanged"), std::string::npos) << gate.output;
  }
}

TEST_F(RunnerTest, ACaseThatCannotStartIsRecordedAndTheSuiteGoesOn) {
  auto suite = write_suite(R"(
duration = "500ms"
warmup = "100ms"
settle = "100ms"
[[cases]]
name = "broken"
models = ["thread_pool"]
connections = [2]
[cases.server]
extra_args = ["--queue", "0"]
[[cases]]
name = "fine"
models = ["thread_per_conn"]
connections = [2]
)");
  auto r = run_command({bin_path("netlab-run"), suite, "--results", (dir_ / "results").string()}, "",
                       std::chrono::seconds(60));
  EXPECT_EQ(r.status, 1) << r.output;
  auto summary = lines(run_dir() / "summary.csv");
  ASSERT_EQ(summary.size(), 3u) << r.output;
  EXPECT_NE(summary[1].find(",failed,server did not start"), std::string::npos) << summary[1];
  EXPECT_NE(summary[1].find("--queue"), std::string::npos) << summary[1];  // the server's own words
  EXPECT_NE(summary[2].find(",ok,"), std::string::npos) << summary[2];
  EXPECT_TRUE(fs::exists(run_dir() / "report.html"));
}

TEST_F(RunnerTest, AFilteredRunSaysThatLatestHoldsOnlyItsCases) {
  auto suite = write_suite(R"(
duration = "300ms"
warmup = "0s"
settle = "0s"
[[cases]]
models = ["thread_per_conn"]
connections = [1, 10]
)");
  auto r = run_command({bin_path("netlab-run"), suite, "--results", (dir_ / "results").string(), "--filter",
                        "thread_per_conn-echo-c1"},
                       "", std::chrono::seconds(60));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("now points at this filtered run (--filter 'thread_per_conn-echo-c1': 1 of the suite's 2 "
                          "cases)"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(lines(run_dir() / "summary.csv").size(), 2u);  // c1 alone, not c10
  std::ifstream json(run_dir() / "run.json");
  std::string meta((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  EXPECT_NE(meta.find("\"cases_in_suite\": 2"), std::string::npos) << meta;
}

TEST_F(RunnerTest, AnInterruptedRunKeepsWhatItMeasured) {
  auto suite = write_suite(R"(
duration = "20s"
warmup = "0s"
settle = "100ms"
[[cases]]
models = ["thread_per_conn", "prefork"]
connections = [2]
)");
  process::SpawnOptions o;
  o.stdout_path = (dir_ / "run.out").string();
  o.stderr_to_stdout = true;
  o.own_group = true;  // Ctrl-C on a terminal signals the whole foreground group, load generator too
  process::ChildProcess run({bin_path("netlab-run"), suite, "--results", (dir_ / "results").string()}, o);
  // Interrupt once the first case measured an interval (inside its 20 s): the load generator appends
  // each interval to the run folder's timeseries.csv as it ends (results/latest comes at the end).
  fs::path series;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while ((series.empty() || lines(series).size() < 2) && std::chrono::steady_clock::now() < deadline &&
         !run.poll_exit()) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir_ / "results", ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().filename() == "timeseries.csv") series = it->path();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(run.poll_exit()) << "netlab-run ended before it was interrupted: " << run.poll_exit()->describe();
  ASSERT_FALSE(series.empty()) << "no timeseries.csv in 15 s";
  ASSERT_GE(lines(series).size(), 2u) << "no measured interval in 15 s";
  // The load generator gets the signal too and may exit before the runner notices its own flag:
  // the case is interrupted all the same, never an ok case with a tenth of its neighbours' TPS.
  run.signal(SIGINT, true);
  auto exit = run.wait(std::chrono::seconds(30));
  ASSERT_TRUE(exit) << "netlab-run still running 30 s after SIGINT";
  ASSERT_TRUE(exit->exited) << exit->describe();
  EXPECT_EQ(exit->status, 130);
  auto summary = lines(run_dir() / "summary.csv");
  ASSERT_EQ(summary.size(), 2u);  // the interrupted case, and nothing after it
  EXPECT_NE(summary[1].find(",interrupted,interrupted by the user,"), std::string::npos) << summary[1];
  EXPECT_GE(lines(run_dir() / "timeseries.csv").size(), 2u);  // its measured intervals survive
  EXPECT_TRUE(fs::exists(run_dir() / "report.html"));
  // Kept in summary.csv, named in the report, but neither tabled nor drawn.
  std::ifstream md_file(run_dir() / "summary.md");
  std::string md((std::istreambuf_iterator<char>(md_file)), std::istreambuf_iterator<char>());
  EXPECT_NE(md.find("Interrupted, left out of the tables and charts"), std::string::npos) << md;
  EXPECT_EQ(md.find("| thread_per_conn-echo-c2 "), std::string::npos) << md;
  EXPECT_FALSE(fs::exists(run_dir() / "charts" / "tps-echo.png"));
}

}  // namespace
}  // namespace netlab::test
