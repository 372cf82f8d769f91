// The run report from a synthetic run folder (no servers run): three repetitions of two models at
// two connection levels. Checks that the chart data files hold median, min and max over the
// repetitions, that the spectrum and timeline take each model's median-TPS repetition (not the
// first), that the by-case table shows the spread, and that report.html embeds every chart (and,
// when Chromium is installed, that every embedded chart decodes in a real browser).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/test_dir.hpp"
#include "tests/support/server_process.hpp"
#include "tools/run/report.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

// Sources are compiled with absolute paths: scripts/charts is three levels above this file.
const fs::path kScripts = fs::path(__FILE__).parent_path().parent_path().parent_path() / "scripts" / "charts";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// TPS of repetitions 1..3 per model and level; the median repetition differs from the first.
struct Planted {
  const char* model;
  int conns;
  double tps[3];
};
const Planted kPlanted[] = {{"epoll", 1, {100, 120, 110}},      // median: rep3
                            {"epoll", 10, {900, 1100, 1000}},   // median: rep3
                            {"thread_pool", 1, {80, 60, 70}},   // median: rep3
                            {"thread_pool", 10, {400, 500, 450}}};  // median: rep3

std::string case_id(const Planted& p, int rep) {
  return std::string(p.model) + "-echo-c" + std::to_string(p.conns) + "-rep" + std::to_string(rep);
}

class ReportTest : public test::TestDirFixture {
 protected:
  ReportTest() : TestDirFixture("netlab-report") {}
  void SetUp() override {
    TestDirFixture::SetUp();
    std::ofstream summary(dir_ / "summary.csv");
    std::ofstream series(dir_ / "timeseries.csv");
    summary << "case,model,protocol,series,connections,rate,cpu_work_us,io_delay_us,repetition,status,tps,"
               "latency_p50_us,latency_p99_us,errors_total,server_cpu_pct,server_pss_peak_kb\n";
    series << "label,second,requests,tps,errors,latency_p50_us,latency_p99_us,connections_active\n";
    for (const auto& p : kPlanted) {
      for (int rep = 1; rep <= 3; ++rep) {
        double tps = p.tps[rep - 1];
        // Latency and CPU follow TPS so every metric has its own spread.
        summary << case_id(p, rep) << "," << p.model << ",echo," << p.model << "," << p.conns << ",0,0,0," << rep
                << ",ok," << tps << "," << 1e6 / tps << "," << 3e6 / tps << ",0," << tps / 20 << "," << 4096 + rep
                << "\n";
        for (int s = 1; s <= 3; ++s) {
          series << case_id(p, rep) << "," << s << "," << tps << "," << tps + s << ",0,10," << 7000 + rep << ","
                 << p.conns << "\n";
        }
        // The spectrum's p0 value carries the repetition, so the chosen file is recognisable.
        std::ofstream(dir_ / (case_id(p, rep) + ".hgrm"))
            << "       Value     Percentile TotalCount 1/(1-Percentile)\n\n"
            << "     " << 100 * rep << ".000 0.000000000000          1           1.00\n"
            << "     " << 900 + rep << ".000 0.990000000000        990         100.00\n"
            << "     " << 990 + rep << ".000 1.000000000000       1000\n";
      }
    }
  }
};

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
  auto outcome = run::make_report(dir_.string(), kScripts.string());
  EXPECT_TRUE(outcome.problems.empty()) << outcome.problems.front();

  // connections, then median min max of tps p50 p99 cpu pss_mb.
  auto epoll = scaling_line(dir_ / "charts/data/scaling-echo-epoll.dat", 10);
  ASSERT_EQ(epoll.size(), 16u);
  EXPECT_DOUBLE_EQ(epoll[1], 1000);
  EXPECT_DOUBLE_EQ(epoll[2], 900);
  EXPECT_DOUBLE_EQ(epoll[3], 1100);
  EXPECT_DOUBLE_EQ(epoll[7], 3000);  // p99 median: 3e6 / 1000
  EXPECT_NEAR(epoll[8], 3e6 / 1100, 0.01);  // the CSV holds six digits
  EXPECT_NEAR(epoll[9], 3e6 / 900, 0.01);
  EXPECT_DOUBLE_EQ(epoll[10], 50);  // CPU median
  auto pool = scaling_line(dir_ / "charts/data/scaling-echo-thread_pool.dat", 1);
  ASSERT_EQ(pool.size(), 16u);
  EXPECT_DOUBLE_EQ(pool[1], 70);
  EXPECT_DOUBLE_EQ(pool[2], 60);
  EXPECT_DOUBLE_EQ(pool[3], 80);

  // Spectrum and timeline: the median-TPS repetition (rep3 everywhere), never rep1.
  for (const auto& p : kPlanted) {
    fs::path chosen = dir_ / "charts/data" / ("spectrum-" + case_id(p, 3) + ".dat");
    ASSERT_TRUE(fs::exists(chosen)) << chosen;
    EXPECT_EQ(slurp(chosen).rfind("300 0 1 1.00\n", 0), 0u) << slurp(chosen);
    EXPECT_FALSE(fs::exists(dir_ / "charts/data" / ("spectrum-" + case_id(p, 1) + ".dat")));
    EXPECT_NE(slurp(dir_ / "charts/data" / ("timeline-" + case_id(p, 3) + ".dat")).find(" 7003\n"),
              std::string::npos);
  }

  for (const char* chart : {"tps-echo", "latency-echo", "server-echo", "spectrum-echo-c1", "spectrum-echo-c10",
                            "timeline-echo-c1", "timeline-echo-c10"}) {
    EXPECT_GT(fs::file_size(dir_ / "charts" / (std::string(chart) + ".png")), 1000u) << chart;
    EXPECT_GT(fs::file_size(dir_ / "charts" / (std::string(chart) + ".svg")), 1000u) << chart;
  }
  ASSERT_EQ(outcome.charts.size(), 7u);

  std::string html = slurp(dir_ / "report.html");
  size_t embedded = 0;
  for (size_t at = 0; (at = html.find("src=\"data:image/png;base64,iVBOR", at)) != std::string::npos; ++at) ++embedded;
  EXPECT_EQ(embedded, outcome.charts.size());
  EXPECT_NE(html.find("median-TPS repetition"), std::string::npos);
  EXPECT_NE(html.find("<h2>By case</h2>"), std::string::npos);
  EXPECT_NE(html.find("<td>epoll-echo-c10</td><td>3/3</td><td>1000</td><td>900..1100</td>"), std::string::npos);

  std::string md = slurp(dir_ / "summary.md");
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(\| epoll-echo-c10 +\| 3/3 \| +1000 \| +900\.\.1100 \|)"))) << md;
  EXPECT_NE(md.find("| epoll-echo-c10-rep2 "), std::string::npos) << md;  // the per-row table stays

  if (access("/usr/bin/chromium", X_OK) != 0) {
    GTEST_SKIP() << "chromium not installed (scripts/setup installs it): report.html not loaded in a browser";
  }
  auto dom = run_command({"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                          "--no-first-run", "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", "--user-data-dir=" + (dir_ / "chromium").string(), "--dump-dom",
                          "file://" + (dir_ / "report.html").string()},
                         "", std::chrono::seconds(60));
  EXPECT_NE(dom.output.find("data-charts-loaded=\"7/7\""), std::string::npos) << dom.output.substr(0, 2000);
}

TEST_F(ReportTest, AnInterruptedCaseIsNamedButNeitherTabledNorDrawn) {
  // A fourth repetition cut short by Ctrl-C: a fraction of its neighbours' TPS.
  std::ofstream(dir_ / "summary.csv", std::ios::app)
      << "epoll-echo-c10-rep4,epoll,echo,epoll,10,0,0,0,4,interrupted,97,10309,30927,0,5,4100\n";
  run::make_report(dir_.string(), kScripts.string());
  auto epoll = scaling_line(dir_ / "charts/data/scaling-echo-epoll.dat", 10);
  ASSERT_EQ(epoll.size(), 16u);
  EXPECT_DOUBLE_EQ(epoll[1], 1000);  // median, min and max of the three whole repetitions
  EXPECT_DOUBLE_EQ(epoll[2], 900);
  EXPECT_DOUBLE_EQ(epoll[3], 1100);
  std::string md = slurp(dir_ / "summary.md");
  EXPECT_EQ(md.find("| epoll-echo-c10-rep4 "), std::string::npos) << md;
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(\| epoll-echo-c10 +\| 3/3 \|)"))) << md;
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
  run::make_report(dir_.string(), kScripts.string());
  std::string md = slurp(dir_ / "summary.md");
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(\| epoll-echo-c10-rep2 .*\| 3 of 10 connections never answered \|)")))
      << md;
  EXPECT_EQ(md.find("0 of 1 connections"), std::string::npos) << md;
  std::string html = slurp(dir_ / "report.html");
  EXPECT_NE(html.find("<th>unanswered conns</th>"), std::string::npos);
}

TEST_F(ReportTest, OneRepetitionHasNoByCaseTable) {
  // Keep only the rep1 rows: bars collapse, the collapsed table is not worth showing.
  auto text = slurp(dir_ / "summary.csv");
  std::istringstream in(text);
  std::ofstream out(dir_ / "summary.csv");
  for (std::string line; std::getline(in, line);) {
    if (line.find("-rep2,") == std::string::npos && line.find("-rep3,") == std::string::npos) out << line << "\n";
  }
  out.close();
  auto outcome = run::make_report(dir_.string(), kScripts.string());
  EXPECT_TRUE(outcome.problems.empty());
  auto epoll = scaling_line(dir_ / "charts/data/scaling-echo-epoll.dat", 10);
  ASSERT_EQ(epoll.size(), 16u);
  EXPECT_DOUBLE_EQ(epoll[1], 900);
  EXPECT_DOUBLE_EQ(epoll[2], 900);
  EXPECT_DOUBLE_EQ(epoll[3], 900);
  EXPECT_TRUE(fs::exists(dir_ / "charts/data/spectrum-epoll-echo-c10-rep1.dat"));
  EXPECT_EQ(slurp(dir_ / "report.html").find("By case"), std::string::npos);
  EXPECT_EQ(slurp(dir_ / "summary.md").find("By case"), std::string::npos);
  EXPECT_EQ(slurp(dir_ / "report.html").find("unanswered conns"), std::string::npos);  // none to show
}

}  // namespace
}  // namespace netlab::test
