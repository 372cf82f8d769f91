// The gate's history file and `netlab-gate history`: rows appended under one header, a planted
// step found at its commit and named in the text table, a flat series without change points, and
// exit status 2 for a missing or empty file.
#include "tests/support/test_dir.hpp"
#include "tools/gate/history.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace netlab::gate {
namespace {

namespace fs = std::filesystem;

class HistoryTest : public test::TestDirFixture {
 protected:
  HistoryTest() : TestDirFixture("netlab-history") {}
  std::string csv() const { return (dir_ / "history.csv").string(); }
};

MetricJudgement judgement(const std::string& case_key, const std::string& metric, double value, Verdict v) {
  MetricJudgement j;
  j.case_key = case_key;
  j.metric = metric;
  j.direction = metric == "tps" ? "higher" : "lower";
  j.current_median = value;
  j.base_median = 1000;
  j.change = value / 1000 - 1;
  j.ci_low = j.change - 0.01;
  j.ci_high = j.change + 0.01;
  j.verdict = v;
  return j;
}

// The SHA of commit `i` (from 1): recognisable in the text output.
std::string sha(int i) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%07x%033d", 0xa000 + i, 0);
  return buf;
}

GateResult result_at(int commit, std::vector<MetricJudgement> js) {
  GateResult r;
  r.mode = "check";
  r.current.git_sha = sha(commit);
  r.current.date = "2026-01-" + std::to_string(10 + commit) + "T00:00:00Z";
  r.current.suite = "gate";
  r.judgements = std::move(js);
  return r;
}

TEST_F(HistoryTest, AppendWritesTheHeaderOnceAndARowPerJudgement) {
  append_history(result_at(1, {judgement("epoll-echo-c10", "tps", 1050, Verdict::improved),
                               judgement("epoll-echo-c10", "p99", 990, Verdict::too_noisy)}),
                 csv());
  append_history(result_at(2, {judgement("epoll-echo-c10", "tps", 1000, Verdict::unchanged)}), csv());
  auto l = lines(csv());
  ASSERT_EQ(l.size(), 4u);
  EXPECT_EQ(l[0], "date,git_sha,suite,mode,case,metric,direction,value,base_value,change,ci_low,ci_high,verdict");
  EXPECT_EQ(l[1], "2026-01-11T00:00:00Z," + sha(1) + ",gate,check,epoll-echo-c10,tps,higher,1050,1000,0.05,0.04,0.06,"
                  "improved");
  EXPECT_EQ(l[2].substr(l[2].size() - 10), ",too noisy");
  EXPECT_NE(l[3].find(sha(2) + ",gate,check,epoll-echo-c10,tps,higher,1000,1000,0,"), std::string::npos) << l[3];
}

TEST_F(HistoryTest, CommandNamesAPlantedStepAndChartsEverySeries) {
  // 24 commits: TPS drops 10% at commit 13 under 2% noise; p99 stays flat.
  std::mt19937 rng(42);
  std::normal_distribution<double> noise(0, 0.02);
  for (int c = 1; c <= 24; ++c) {
    double tps = (c < 13 ? 10000 : 9000) * (1 + noise(rng));
    append_history(result_at(c, {judgement("epoll-echo-c10", "tps", tps, Verdict::unchanged),
                                 judgement("epoll-echo-c10", "p99", 500 * (1 + noise(rng)), Verdict::unchanged)}),
                   csv());
  }
  std::ostringstream out;
  ASSERT_EQ(history_command(csv(), (dir_ / "page").string(), NETLAB_SOURCE_DIR "/scripts/charts", out), 0);
  std::string text = out.str();
  std::string tps_line = text.substr(text.find("epoll-echo-c10 tps"));
  tps_line = tps_line.substr(0, tps_line.find('\n'));
  EXPECT_NE(tps_line.find("#13 " + sha(13).substr(0, 7) + ": "), std::string::npos) << text;
  double shift = 0;
  ASSERT_EQ(std::sscanf(tps_line.c_str() + tps_line.find(" ("), " (%lf%%", &shift), 1) << text;
  EXPECT_NEAR(shift, -10, 2) << text;
  EXPECT_NE(text.find("epoll-echo-c10 p99"), std::string::npos) << text;
  EXPECT_NE(text.substr(text.find("epoll-echo-c10 p99")).find("none"), std::string::npos) << text;

  EXPECT_TRUE(fs::exists(dir_ / "page/history.html"));
  for (const char* chart : {"history-epoll-echo-c10-tps", "history-epoll-echo-c10-p99"}) {
    EXPECT_GT(fs::file_size(dir_ / "page/charts" / (std::string(chart) + ".png")), 1000u) << chart;
    EXPECT_GT(fs::file_size(dir_ / "page/charts" / (std::string(chart) + ".svg")), 1000u) << chart;
  }
  // The chart's data marks commit 13 (and only it) as where the new level starts.
  auto data = lines(dir_ / "page/charts/data/history-epoll-echo-c10-tps.dat");
  ASSERT_EQ(data.size(), 25u);
  for (int c = 1; c <= 24; ++c) {
    bool marked = data[static_cast<size_t>(c)].find(" NaN ") == std::string::npos;
    EXPECT_EQ(marked, c == 13) << data[static_cast<size_t>(c)];
  }
  std::ifstream html(dir_ / "page/history.html");
  std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  EXPECT_EQ(page.find("chart failed"), std::string::npos);
  EXPECT_NE(page.find("data-charts-loaded"), std::string::npos);
}

TEST_F(HistoryTest, MissingOrEmptyFileExitsTwo) {
  std::ostringstream out;
  EXPECT_EQ(history_command((dir_ / "absent.csv").string(), dir_.string(), NETLAB_SOURCE_DIR "/scripts/charts", out), 2);
  std::ofstream(dir_ / "empty.csv") << "";
  EXPECT_EQ(history_command((dir_ / "empty.csv").string(), dir_.string(), NETLAB_SOURCE_DIR "/scripts/charts", out), 2);
  std::ofstream(dir_ / "header.csv") << "date,git_sha,suite,mode,case,metric,direction,value\n";
  EXPECT_EQ(history_command((dir_ / "header.csv").string(), dir_.string(), NETLAB_SOURCE_DIR "/scripts/charts", out),
            2);
  std::ofstream(dir_ / "other.csv") << "a,b\n1,2\n";
  EXPECT_EQ(history_command((dir_ / "other.csv").string(), dir_.string(), NETLAB_SOURCE_DIR "/scripts/charts", out), 2);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace netlab::gate
