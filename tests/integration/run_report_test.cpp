// The run report from the planted run folder (planted_report.hpp): the chart data files hold
// median, min and max over the repetitions, the spectrum and timeline take each model's median-TPS
// repetition (not the first), the summary table sits at the top, sorted and rounded, with section
// titles in words; interrupted cases and unanswered connections are named.
#include <gtest/gtest.h>

#include <regex>

#include "tests/integration/planted_report.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

// The data line of a scaling file for `conns`, as numbers.
std::vector<double> scaling_line(const fs::path& file, int conns) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<double> v;
    for (double x; words >> x;) v.push_back(x);
    if (!v.empty() && line[0] != '#' && static_cast<int>(v[0]) == conns) return v;
  }
  return {};
}

TEST_F(ReportTest, ChartsShowSpreadAndTheMedianRepetition) {
  auto outcome = report();
  EXPECT_TRUE(outcome.problems.empty()) << outcome.problems.front();

  // connections, then median min max of tps p50 p99 cpu pss_mb, then generator-bound repetitions.
  auto epoll = scaling_line(dir_ / "charts/data/scaling-echo-epoll.dat", 10);
  ASSERT_EQ(epoll.size(), 17u);
  EXPECT_DOUBLE_EQ(epoll[1], 1000);
  EXPECT_DOUBLE_EQ(epoll[2], 900);
  EXPECT_DOUBLE_EQ(epoll[3], 1100);
  EXPECT_DOUBLE_EQ(epoll[7], 3000);  // p99 median: 3e6 / 1000
  EXPECT_NEAR(epoll[8], 3e6 / 1100, 0.01);  // the CSV holds six digits
  EXPECT_NEAR(epoll[9], 3e6 / 900, 0.01);
  EXPECT_DOUBLE_EQ(epoll[10], 50);  // CPU median
  EXPECT_DOUBLE_EQ(epoll[16], 0);
  auto pool = scaling_line(dir_ / "charts/data/scaling-echo-thread_pool.dat", 1);
  ASSERT_EQ(pool.size(), 17u);
  EXPECT_DOUBLE_EQ(pool[1], 70);
  EXPECT_DOUBLE_EQ(pool[2], 60);
  EXPECT_DOUBLE_EQ(pool[3], 80);
  EXPECT_DOUBLE_EQ(scaling_line(dir_ / "charts/data/scaling-echo-thread_pool.dat", 10)[16], 1);

  // Spectrum and timeline: the median-TPS repetition (rep3 everywhere), never rep1.
  for (const auto& p : kPlanted) {
    fs::path chosen = dir_ / "charts/data" / ("spectrum-" + case_id(p, 3) + ".dat");
    ASSERT_TRUE(fs::exists(chosen)) << chosen;
    EXPECT_EQ(slurp(chosen).rfind("300 0 1 1.00\n", 0), 0u) << slurp(chosen);
    EXPECT_FALSE(fs::exists(dir_ / "charts/data" / ("spectrum-" + case_id(p, 1) + ".dat")));
    EXPECT_NE(slurp(dir_ / "charts/data" / ("timeline-" + case_id(p, 3) + ".dat")).find(" 7003\n"),
              std::string::npos);
  }
  // The ranking at 10 connections, best first: epoll (1000), thread_pool (450), poll (250); one
  // file per model holds its bars' x, median, min, max and generator-bound repetitions.
  EXPECT_NE(slurp(dir_ / "charts/data/rank-echo-epoll.dat").find("\n3 1000 900 1100 0\n"), std::string::npos)
      << slurp(dir_ / "charts/data/rank-echo-epoll.dat");
  EXPECT_NE(slurp(dir_ / "charts/data/rank-echo-thread_pool.dat").find("\n4 450 400 500 1\n"), std::string::npos);
  EXPECT_NE(slurp(dir_ / "charts/data/rank-echo-poll.dat").find("\n5 250 200 300 0\n"), std::string::npos);

  for (const auto& chart : kCharts) {
    EXPECT_GT(fs::file_size(dir_ / "charts" / (chart + ".png")), 1000u) << chart;
    EXPECT_GT(fs::file_size(dir_ / "charts" / (chart + ".svg")), 1000u) << chart;
  }
  ASSERT_EQ(outcome.charts.size(), kCharts.size());

  std::string html = slurp(dir_ / "report.html");
  size_t embedded = 0;
  for (size_t at = 0; (at = html.find("src=\"data:image/png;base64,iVBOR", at)) != std::string::npos; ++at) ++embedded;
  EXPECT_EQ(embedded, outcome.charts.size());
  EXPECT_NE(html.find("median-TPS repetition"), std::string::npos);
  EXPECT_NE(html.find("<td>epoll-echo-c10</td><td>3/3</td><td>1000</td><td>900–1100</td>"), std::string::npos);

  std::string md = slurp(dir_ / "summary.md");
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(\| epoll-echo-c10 +\| +3/3 \| +1000 \| +900\.\.1100 \|)"))) << md;
  EXPECT_NE(md.find("| epoll-echo-c10-rep2 "), std::string::npos) << md;  // the per-run table stays
}

TEST_F(ReportTest, TheSummaryIsOnTopSortedRoundedAndTitledInWords) {
  report();
  std::string html = slurp(dir_ / "report.html");
  size_t summary = html.find("<h2>Summary</h2>"), charts = html.find("<h2>Charts</h2>");
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(summary, charts);
  // By protocol, then connections, then TPS, highest first.
  std::vector<size_t> at;
  for (const char* c : {"epoll-echo-c1", "thread_pool-echo-c1", "epoll-echo-c10", "thread_pool-echo-c10",
                        "poll-echo-c10"}) {
    at.push_back(html.find("<td>" + std::string(c) + "</td>", summary));
    ASSERT_NE(at.back(), std::string::npos) << c;
    EXPECT_LT(at.back(), charts) << c;
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end()));
  for (const char* head : {"<th>TPS (1/s)</th>", "<th>p50 (µs)</th>", "<th>p99 (µs)</th>", "<th>server CPU (%)</th>",
                           "<th>server PSS (MiB)</th>"}) {
    EXPECT_NE(html.find(head, summary), std::string::npos) << head;
  }
  // p50 of epoll-echo-c1 is 1e6/110 µs = 9090.909: a whole number of microseconds, no tail.
  EXPECT_NE(html.find("<td>9091</td>", summary), std::string::npos);
  EXPECT_EQ(html.find("9090.9"), std::string::npos);
  EXPECT_EQ(html.find(".0</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>generator-bound in 1 of 3 runs</td>"), std::string::npos);
  // Section titles are words, not chart file names.
  for (const char* title : {"<h3>Models ranked by throughput, echo</h3>", "<h3>Throughput, echo</h3>",
                            "<h3>Latency, echo</h3>", "<h3>Latency spectrum, echo, 1 connection</h3>",
                            "<h3>Throughput and p99 over time, echo, 10 connections</h3>"}) {
    EXPECT_NE(html.find(title), std::string::npos) << title;
  }
  EXPECT_EQ(html.find("<h3>tps-echo</h3>"), std::string::npos);
}

TEST_F(ReportTest, AnInterruptedCaseIsNamedButNeitherTabledNorDrawn) {
  // A fourth repetition cut short by Ctrl-C: a fraction of its neighbours' TPS.
  std::ofstream(dir_ / "summary.csv", std::ios::app)
      << "epoll-echo-c10-rep4,epoll,echo,epoll,10,0,0,0,4,interrupted,97,10309,30927,0,5,4100,0\n";
  report();
  auto epoll = scaling_line(dir_ / "charts/data/scaling-echo-epoll.dat", 10);
  ASSERT_EQ(epoll.size(), 17u);
  EXPECT_DOUBLE_EQ(epoll[1], 1000);  // median, min and max of the three whole repetitions
  EXPECT_DOUBLE_EQ(epoll[2], 900);
  EXPECT_DOUBLE_EQ(epoll[3], 1100);
  std::string md = slurp(dir_ / "summary.md");
  EXPECT_EQ(md.find("| epoll-echo-c10-rep4 "), std::string::npos) << md;
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(\| epoll-echo-c10 +\| +3/3 \|)"))) << md;
  EXPECT_NE(md.find("Interrupted, left out of the tables and charts (their rows stay in summary.csv): "
                    "epoll-echo-c10-rep4"),
            std::string::npos)
      << md;
  std::string html = slurp(dir_ / "report.html");
  EXPECT_EQ(html.find("<td>epoll-echo-c10-rep4</td>"), std::string::npos);
  EXPECT_NE(html.find("1 interrupted (left out)"), std::string::npos);
  EXPECT_NE(html.find("Interrupted, left out of the tables and charts"), std::string::npos);
}

TEST_F(ReportTest, UnansweredConnectionsAreShownWhenThereAreAny) {
  // The load generator's conns_unanswered column, non-zero in one row only.
  auto text = slurp(dir_ / "summary.csv");
  std::istringstream in(text);
  std::ofstream out(dir_ / "summary.csv");
  bool header = true;
  for (std::string line; std::getline(in, line); header = false) {
    out << line << (header ? ",connections_established,conns_unanswered"
                           : line.starts_with("epoll-echo-c10-rep2,") ? ",10,3" : ",1,0")
        << "\n";
  }
  out.close();
  report();
  std::string md = slurp(dir_ / "summary.md");
  // The summary's note names it; the per-run table has the count in its own column.
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(\| epoll-echo-c10 .*\| 3 of 10 connections never answered +\|)")))
      << md;
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(\| epoll-echo-c10-rep2 .*\| +3 \| +\|)"))) << md;
  EXPECT_EQ(md.find("0 of 1 connections"), std::string::npos) << md;
  std::string html = slurp(dir_ / "report.html");
  EXPECT_NE(html.find("<th>unanswered conns</th>"), std::string::npos);
}

TEST_F(ReportTest, OneRepetitionHasNoSpreadColumns) {
  // Keep only the rep1 rows: bars collapse, there is no spread to show.
  auto text = slurp(dir_ / "summary.csv");
  std::istringstream in(text);
  std::ofstream out(dir_ / "summary.csv");
  for (std::string line; std::getline(in, line);) {
    if (line.find("-rep2,") == std::string::npos && line.find("-rep3,") == std::string::npos) out << line << "\n";
  }
  out.close();
  auto outcome = report();
  EXPECT_TRUE(outcome.problems.empty());
  auto epoll = scaling_line(dir_ / "charts/data/scaling-echo-epoll.dat", 10);
  ASSERT_EQ(epoll.size(), 17u);
  EXPECT_DOUBLE_EQ(epoll[1], 900);
  EXPECT_DOUBLE_EQ(epoll[2], 900);
  EXPECT_DOUBLE_EQ(epoll[3], 900);
  EXPECT_TRUE(fs::exists(dir_ / "charts/data/spectrum-epoll-echo-c10-rep1.dat"));
  // No spread columns, and summary.md has no per-run table (it would repeat the summary).
  EXPECT_EQ(slurp(dir_ / "report.html").find("runs ok"), std::string::npos);
  EXPECT_EQ(slurp(dir_ / "summary.md").find("runs ok"), std::string::npos);
  EXPECT_EQ(slurp(dir_ / "summary.md").find("Every run"), std::string::npos);
  EXPECT_EQ(slurp(dir_ / "report.html").find("unanswered conns"), std::string::npos);  // none to show
}

}  // namespace
}  // namespace netlab::test
