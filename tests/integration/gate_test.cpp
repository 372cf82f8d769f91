// netlab-gate end to end on synthetic run folders written here (summary.csv + run.json): an A/A
// comparison passes, a 10% throughput loss fails naming the case and metric, a missing case and a
// bad config are unusable (exit 2), the Markdown and JSON outputs hold the verdicts, an A/B folder
// is paired, and a baseline written by --update-baseline is then checked against.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/test_dir.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

// Seven repetitions with about +-1.5% of spread, in no particular order.
const std::vector<double> kNoise = {1.0, 1.012, 0.988, 1.006, 0.994, 1.015, 0.985};

struct CaseSpec {
  std::string id;
  double tps;
  std::string build;  // "" or old/new
  std::string status = "ok";
  double syscalls = 2.0;       // per request, the same in every repetition (a deterministic count)
  double instructions = 1000;  // likewise
};

class GateTest : public test::TestDirFixture {
 protected:
  GateTest() : TestDirFixture("netlab-gate") {}

  // A run folder named `name` holding every case in `cases` with one row per repetition.
  std::string write_run(const std::string& name, const std::vector<CaseSpec>& cases,
                        const std::string& cpu_model = "Test CPU") {
    fs::path run = dir_ / name;
    fs::create_directories(run);
    std::ofstream csv(run / "summary.csv");
    csv << "case,group,model,status,reason,repetition,build,responses_ok,tps,errors_total,latency_p50_us,"
           "latency_p99_us,server_syscalls_per_req,server_instructions_per_req\n";
    for (const auto& c : cases) {
      for (size_t r = 0; r < kNoise.size(); ++r) {
        bool ok = c.status == "ok";
        double tps = c.tps * kNoise[r];
        csv << c.id << "-rep" << r + 1 << ",g,epoll," << c.status << "," << (ok ? "" : "server exited 1") << ","
            << r + 1 << "," << c.build << "," << (ok ? std::to_string(tps * 10) : "") << ","
            << (ok ? std::to_string(tps) : "") << "," << (ok ? "0" : "") << ","
            << (ok ? std::to_string(1e6 / tps) : "") << "," << (ok ? std::to_string(5e6 / tps) : "") << ","
            << (ok ? std::to_string(c.syscalls) : "") << "," << (ok ? std::to_string(c.instructions) : "") << "\n";
      }
    }
    std::ofstream(run / "run.json") << R"({"tool": "netlab-run", "git_sha": "abc123", "suite": "synthetic",
      "started": "2024-05-01T10:00:00Z", "host": {"kernel": "Linux 6.1", "cpu_model": ")" << cpu_model << R"("}})";
    return run.string();
  }
  std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  CommandResult gate(std::vector<std::string> args) {
    args.insert(args.begin(), bin_path("netlab-gate"));
    return run_command(args);
  }
};

TEST_F(GateTest, HelpExplainsTheBinary) {
  auto r = gate({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* word : {"compare", "check", "history", "Exit: 0 pass, 1 regression, 2 unusable"}) {
    EXPECT_NE(r.output.find(word), std::string::npos) << word << "\n" << r.output;
  }
  r = gate({"compare", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("--markdown"), std::string::npos) << r.output;
}

TEST_F(GateTest, BadUsageExitsTwo) {
  EXPECT_EQ(gate({}).status, 2);
  EXPECT_EQ(gate({"compare"}).status, 2);
  auto r = gate({"compare", "a", "b", "--no-such-flag"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("no-such-flag"), std::string::npos) << r.output;
  r = gate({"compare", (dir_ / "nothing").string(), (dir_ / "nothing").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("cannot read"), std::string::npos) << r.output;
}

TEST_F(GateTest, SameResultsPass) {
  auto a = write_run("a", {{"epoll-echo-c10", 10000, ""}, {"poll-echo-c10", 8000, ""}});
  auto b = write_run("b", {{"epoll-echo-c10", 10000, ""}, {"poll-echo-c10", 8000, ""}});
  auto r = gate({"compare", a, b});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("over 2 cases: 0 regressed, 0 improved, 12 unchanged, 0 too noisy -> exit 0"),
            std::string::npos)
      << r.output;
}

TEST_F(GateTest, TenPercentLessThroughputFailsNamingCaseAndMetric) {
  auto a = write_run("a", {{"epoll-echo-c10", 10000, ""}, {"poll-echo-c10", 8000, ""}});
  auto b = write_run("b", {{"epoll-echo-c10", 9000, ""}, {"poll-echo-c10", 8000, ""}});
  auto r = gate({"compare", a, b, "--markdown", (dir_ / "gate.md").string(), "--json", (dir_ / "gate.json").string()});
  EXPECT_EQ(r.status, 1) << r.output;
  // The regressed rows come first in the table: tps, then p50 (latency is 1/tps here).
  auto first_row = r.output.substr(r.output.find('\n') + 1);
  EXPECT_EQ(first_row.rfind("epoll-echo-c10", 0), 0u) << r.output;
  EXPECT_NE(first_row.find("tps"), std::string::npos);
  EXPECT_NE(first_row.find("REGRESSED"), std::string::npos);
  EXPECT_NE(first_row.find("-10.00%"), std::string::npos) << r.output;

  std::string md = read(dir_ / "gate.md");
  EXPECT_EQ(md.rfind("**netlab-gate: REGRESSION**", 0), 0u) << md;
  EXPECT_NE(md.find("| epoll-echo-c10 | tps |"), std::string::npos) << md;
  std::string json = read(dir_ / "gate.json");
  EXPECT_NE(json.find("\"exit_code\": 1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"verdict\": \"regressed\""), std::string::npos);
  EXPECT_NE(json.find("\"method\": \"mann-whitney\""), std::string::npos);
  EXPECT_NE(json.find("\"git_sha\": \"abc123\""), std::string::npos);
}

TEST_F(GateTest, MissingCaseIsUnusable) {
  auto a = write_run("a", {{"epoll-echo-c10", 10000, ""}, {"poll-echo-c10", 8000, ""}});
  auto b = write_run("b", {{"epoll-echo-c10", 10000, ""}});
  auto r = gate({"compare", a, b});
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("case poll-echo-c10: absent from current"), std::string::npos) << r.output;
}

TEST_F(GateTest, FailedCaseIsARegression) {
  auto a = write_run("a", {{"epoll-echo-c10", 10000, ""}});
  auto b = write_run("b", {{"epoll-echo-c10", 10000, "", "failed"}});
  auto r = gate({"compare", a, b});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("failed: server exited 1"), std::string::npos) << r.output;
}

TEST_F(GateTest, BadConfigNamesItsLine) {
  auto a = write_run("a", {{"epoll-echo-c10", 10000, ""}});
  std::ofstream(dir_ / "gate.toml") << "confidence = 0.9\n[metrics.tps]\ntolerence = 0.1\n";
  auto r = gate({"compare", a, a, "--config", (dir_ / "gate.toml").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("gate.toml:3:1: unknown key 'tolerence' in [metrics.tps]"), std::string::npos) << r.output;
}

TEST_F(GateTest, ABFolderIsPaired) {
  auto ab = write_run("ab", {{"epoll-echo-c10", 10000, "old"}, {"epoll-echo-c10", 9000, "new"}});
  auto r = gate({"compare", ab, "--json", (dir_ / "gate.json").string()});
  EXPECT_EQ(r.status, 1) << r.output;
  std::string json = read(dir_ / "gate.json");
  EXPECT_NE(json.find("\"mode\": \"ab\""), std::string::npos);
  EXPECT_NE(json.find("\"method\": \"wilcoxon-paired\""), std::string::npos);
  // An A/B folder given as one side of a two-folder comparison is refused.
  auto plain = write_run("plain", {{"epoll-echo-c10", 10000, ""}});
  r = gate({"compare", plain, ab});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("is an A/B run"), std::string::npos) << r.output;
}

TEST_F(GateTest, UpdateBaselineThenCheckAgainstIt) {
  auto ab = write_run("ab", {{"epoll-echo-c10", 9000, "old"}, {"epoll-echo-c10", 10000, "new"}});
  std::string baseline = (dir_ / "baseline").string();
  auto r = gate({"check", ab, "--baseline", baseline, "--update-baseline"});
  ASSERT_EQ(r.status, 0) << r.output;
  std::string csv = read(dir_ / "baseline" / "summary.csv");
  EXPECT_EQ(csv.find(",old,"), std::string::npos) << csv;  // only the new build is kept
  EXPECT_NE(csv.find(",new,"), std::string::npos);
  std::string meta = read(dir_ / "baseline" / "baseline.json");
  for (const char* want : {"\"git_sha\": \"abc123\"", "\"kernel\": \"Linux 6.1\"", "\"cpu_model\": \"Test CPU\"",
                           "\"suite\": \"synthetic\"", "\"date\": \"2024-05-01T10:00:00Z\"", "\"source_run\""}) {
    EXPECT_NE(meta.find(want), std::string::npos) << want << "\n" << meta;
  }
  EXPECT_EQ(gate({"check", ab, "--baseline", baseline}).status, 0);
  auto slower = write_run("slower", {{"epoll-echo-c10", 9000, ""}});
  r = gate({"check", slower, "--baseline", baseline});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("REGRESSED"), std::string::npos);
}

// A baseline from another CPU model is noted; a metric marked same_cpu is then left out (said, not
// failed on), while the others, here the system call count, are still held to their tolerance.
TEST_F(GateTest, ABaselineFromAnotherCpuLeavesOutSameCpuMetrics) {
  std::ofstream cfg(dir_ / "same-cpu.toml");
  cfg << "[metrics.server_instructions_per_req]\nsame_cpu = true\n";
  cfg.close();
  std::string config = (dir_ / "same-cpu.toml").string();
  std::string baseline = (dir_ / "baseline").string();
  auto base = write_run("base", {{"epoll-echo-c10", 10000, ""}});
  ASSERT_EQ(gate({"check", base, "--baseline", baseline, "--update-baseline"}).status, 0);
  CaseSpec more_instructions{"epoll-echo-c10", 10000, ""};
  more_instructions.instructions = 1100;
  auto same_cpu = write_run("same", {more_instructions});
  auto r = gate({"check", same_cpu, "--baseline", baseline, "--config", config});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("server_instructions_per_req"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("note: the base ran on"), std::string::npos) << r.output;
  auto other_cpu = write_run("other", {more_instructions}, "Other CPU");
  r = gate({"check", other_cpu, "--baseline", baseline});
  EXPECT_EQ(r.status, 1) << "without same_cpu it is judged: " << r.output;
  EXPECT_NE(r.output.find("note: the base ran on 'Test CPU', this run on 'Other CPU'"), std::string::npos) << r.output;
  r = gate({"check", other_cpu, "--baseline", baseline, "--config", config});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("note: server_instructions_per_req not judged"), std::string::npos) << r.output;
  CaseSpec more_syscalls = more_instructions;
  more_syscalls.syscalls = 2.2;
  auto other_cpu_syscalls = write_run("other-syscalls", {more_syscalls}, "Other CPU");
  r = gate({"check", other_cpu_syscalls, "--baseline", baseline, "--config", config});
  EXPECT_EQ(r.status, 1) << r.output;
}

// --tolerate-noise excuses a timed metric too noisy to judge, never a missing case.
TEST_F(GateTest, TolerateNoiseExcusesNoisyTimedMetricsOnly) {
  auto base = write_run("base", {{"epoll-echo-c10", 10000, ""}, {"epoll-echo-c100", 10000, ""}});
  // Seven repetitions, fewer than min_repetitions = 8: every timed metric is too noisy.
  std::ofstream cfg(dir_ / "three.toml");
  cfg << "min_repetitions = 8\n";
  cfg.close();
  std::string config = (dir_ / "three.toml").string();
  auto same = write_run("same", {{"epoll-echo-c10", 10000, ""}, {"epoll-echo-c100", 10000, ""}});
  EXPECT_EQ(gate({"compare", base, same, "--config", config}).status, 2);
  auto r = gate({"compare", base, same, "--config", config, "--tolerate-noise"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("--tolerate-noise"), std::string::npos) << r.output;
  auto fewer = write_run("fewer", {{"epoll-echo-c10", 10000, ""}});
  EXPECT_EQ(gate({"compare", base, fewer, "--config", config, "--tolerate-noise"}).status, 2);
}

}  // namespace
}  // namespace netlab::test
