// The run report from a synthetic run folder (no servers run): three repetitions of three models,
// two of them at two connection levels and poll at one. Checks that the chart data files hold
// median, min and max over the repetitions, that the spectrum and timeline take each model's
// median-TPS repetition (not the first), that the summary table sits at the top, sorted and
// rounded, that each model has one colour in every chart (poll's absence at one level shifts
// nobody), that a generator-bound case is marked on the charts, that latency axes read in time
// units, and, when Chromium is installed, that the page shows every chart decoded with one colour
// per model (and that the check catches a missing chart or a model changing colour).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/report_check.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_dir.hpp"
#include "tools/run/chart_maker.hpp"
#include "tools/run/model_palette.hpp"
#include "tools/run/report.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

// Sources are compiled with absolute paths: scripts/charts is three levels above this file.
const fs::path kScripts = fs::path(__FILE__).parent_path().parent_path().parent_path() / "scripts" / "charts";
// A build's model list, in its order (bin/models.txt): each model's colour comes from its place.
const std::vector<std::string> kModels = {"thread_pool", "epoll", "poll"};

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
                            {"thread_pool", 10, {400, 500, 450}},  // median: rep3, generator-bound
                            {"poll", 10, {300, 200, 250}}};     // median: rep3; poll only at 10

std::string case_id(const Planted& p, int rep) {
  return std::string(p.model) + "-echo-c" + std::to_string(p.conns) + "-rep" + std::to_string(rep);
}

// The charts the planted run makes.
const std::vector<std::string> kCharts = {"rank-echo",        "tps-echo",         "latency-echo",
                                          "server-echo",      "spectrum-echo-c1", "timeline-echo-c1",
                                          "spectrum-echo-c10", "timeline-echo-c10"};

class ReportTest : public test::TestDirFixture {
 protected:
  ReportTest() : TestDirFixture("netlab-report") {}
  void SetUp() override {
    TestDirFixture::SetUp();
    std::ofstream summary(dir_ / "summary.csv");
    std::ofstream series(dir_ / "timeseries.csv");
    summary << "case,model,protocol,series,connections,rate,cpu_work_us,io_delay_us,repetition,status,tps,"
               "latency_p50_us,latency_p99_us,errors_total,server_cpu_pct,server_pss_peak_kb,generator_bottleneck\n";
    series << "label,second,requests,tps,errors,latency_p50_us,latency_p99_us,connections_active\n";
    for (const auto& p : kPlanted) {
      for (int rep = 1; rep <= 3; ++rep) {
        double tps = p.tps[rep - 1];
        bool bound = std::string(p.model) == "thread_pool" && p.conns == 10 && rep == 3;
        // Latency and CPU follow TPS so every metric has its own spread.
        summary << case_id(p, rep) << "," << p.model << ",echo," << p.model << "," << p.conns << ",0,0,0," << rep
                << ",ok," << tps << "," << 1e6 / tps << "," << 3e6 / tps << ",0," << tps / 20 << "," << 4096 + rep
                << "," << bound << "\n";
        for (int s = 1; s <= 3; ++s) {
          series << case_id(p, rep) << "," << 0.1 * s << "," << tps << "," << tps + s << ",0,10," << 7000 + rep
                 << "," << p.conns << "\n";
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
  run::ReportOutcome report() { return run::make_report(dir_.string(), kScripts.string(), kModels); }
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
  EXPECT_NE(html.find("load generator was the bottleneck in 1 of 3 runs"), std::string::npos);
  // Section titles are words, not chart file names.
  for (const char* title : {"<h3>Models ranked by throughput, echo</h3>", "<h3>Throughput, echo</h3>",
                            "<h3>Latency, echo</h3>", "<h3>Latency spectrum, echo, 1 connection</h3>",
                            "<h3>Throughput and p99 over time, echo, 10 connections</h3>"}) {
    EXPECT_NE(html.find(title), std::string::npos) << title;
  }
  EXPECT_EQ(html.find("<h3>tps-echo</h3>"), std::string::npos);
}

// The legend colours gnuplot drew, per chart, by series (a legend entry's first word).
std::map<std::string, std::string> legend_colours(const fs::path& svg) {
  std::map<std::string, std::string> out;
  for (const auto& [text, colour] : run::svg_legend(svg.string())) out[text.substr(0, text.find(' '))] = colour;
  return out;
}

TEST_F(ReportTest, EveryModelKeepsItsColourInEveryChart) {
  report();
  const run::ModelPalette palette(kModels, {});
  for (const auto& chart : kCharts) {
    if (chart == "server-echo") continue;  // two panels, the same legend twice: checked like the rest below
    auto colours = legend_colours(dir_ / "charts" / (chart + ".svg"));
    for (const auto& model : kModels) {
      // poll is only at 10 connections: absent from the 1-connection charts, shifting nobody.
      bool present = model != "poll" || chart.find("-c1") == std::string::npos || chart.find("-c10") != std::string::npos;
      if (!present) {
        EXPECT_EQ(colours.count(model), 0u) << chart;
        continue;
      }
      ASSERT_EQ(colours.count(model), 1u) << chart << " has no legend entry for " << model;
      EXPECT_EQ(colours[model], palette.style(model).colour) << chart << ": " << model;
    }
  }
  EXPECT_EQ(legend_colours(dir_ / "charts/server-echo.svg")["epoll"], palette.style("epoll").colour);
}

TEST_F(ReportTest, GeneratorBoundCasesAreMarkedOnTheCharts) {
  report();
  // Charts over connections ring the point (a legend entry in black says what the ring means).
  for (const char* chart : {"tps-echo", "latency-echo", "rank-echo"}) {
    EXPECT_EQ(legend_colours(dir_ / "charts" / (std::string(chart) + ".svg"))["generator-bound"], "#000000") << chart;
  }
  EXPECT_EQ(legend_colours(dir_ / "charts/server-echo.svg").count("generator-bound"), 0u);
  // Charts of one repetition name it in its legend entry, where it was.
  for (const char* chart : {"spectrum-echo-c10", "timeline-echo-c10", "spectrum-echo-c1"}) {
    bool named = false;
    for (const auto& [text, colour] : run::svg_legend((dir_ / "charts" / (std::string(chart) + ".svg")).string())) {
      named |= text == "thread_pool (generator-bound)";
    }
    EXPECT_EQ(named, std::string(chart).ends_with("c10")) << chart;
  }
}

TEST_F(ReportTest, LatencyAxesReadInTimeUnits) {
  report();
  for (const char* chart : {"latency-echo", "spectrum-echo-c10", "timeline-echo-c10"}) {
    std::string svg = slurp(dir_ / "charts" / (std::string(chart) + ".svg"));
    EXPECT_NE(svg.find(" ms</text>"), std::string::npos) << chart;
    EXPECT_EQ(svg.find("e+0"), std::string::npos) << chart;
  }
  // Planted p50 runs from 1e6/1100 = 909 µs to 1e6/60 = 16.7 ms, p99 up to 50 ms: 500 µs to 50 ms.
  std::string svg = slurp(dir_ / "charts/latency-echo.svg");
  EXPECT_NE(svg.find(">500 µs</text>"), std::string::npos);
  EXPECT_NE(svg.find(">50 ms</text>"), std::string::npos);
}

// A page beside report.html holding `html` (report.html with an edit), for the browser check to catch.
fs::path tampered(const fs::path& dir, const std::string& name, const std::string& html) {
  std::ofstream(dir / name) << html;
  return dir / name;
}

TEST_F(ReportTest, ChromiumFindsEveryChartDecodedAndOneColourPerModel) {
  report();
  auto check = check_report_in_chromium(dir_ / "report.html", kCharts, dir_ / "chromium");
  if (check.skipped) GTEST_SKIP() << "chromium not installed (scripts/setup installs it): report.html not loaded";
  EXPECT_TRUE(check.problems.empty()) << check.problems.front();
  EXPECT_NE(check.dom.find("data-charts-loaded=\"8/8\""), std::string::npos);

  // The check itself: a chart that is gone, one whose image is broken, a model that changes colour.
  const std::string html = slurp(dir_ / "report.html");
  const size_t latency = html.find("alt=\"latency-echo\""), tps = html.find("alt=\"tps-echo\"");
  auto gone = check_report_in_chromium(
      tampered(dir_, "gone.html", std::string(html).replace(latency, 18, "alt=\"renamed\"")), kCharts,
      dir_ / "chromium-gone");
  ASSERT_EQ(gone.problems.size(), 1u);
  EXPECT_EQ(gone.problems[0], "chart latency-echo missing");
  const size_t image = html.find("base64,", tps) + 7;
  auto broken = check_report_in_chromium(
      tampered(dir_, "broken.html", std::string(html).replace(image, html.find('"', image) - image, "AAAA")), kCharts,
      dir_ / "chromium-broken");
  ASSERT_EQ(broken.problems.size(), 1u);
  EXPECT_EQ(broken.problems[0], "chart tps-echo did not decode");
  const std::string epoll = "epoll=" + run::ModelPalette(kModels, {}).style("epoll").colour;
  const size_t rank = html.find("alt=\"rank-echo\""), entry = html.find(epoll, rank);
  ASSERT_LT(entry, html.find("src=", rank));  // in the first chart's data-legend
  auto recoloured = check_report_in_chromium(
      tampered(dir_, "recoloured.html", std::string(html).replace(entry, epoll.size(), "epoll=#123456")), kCharts,
      dir_ / "chromium-recoloured");
  ASSERT_EQ(recoloured.problems.size(), 1u);
  EXPECT_NE(recoloured.problems[0].find("colours differ between charts: epoll: #123456 in rank-echo, " +
                                        epoll.substr(6) + " in tps-echo"),
            std::string::npos)
      << recoloured.problems[0];
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
