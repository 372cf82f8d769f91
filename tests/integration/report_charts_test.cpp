// The report's charts as a reader sees them, from the planted run folder (planted_report.hpp):
// each model has one colour in every chart (poll's absence at one level shifts nobody), a
// generator-bound case is marked on the charts, latency axes read in time units, and, when
// Chromium is installed, the page shows every chart decoded with one colour per model (and the
// check catches a missing chart, a broken image or a model changing colour).
#include <gtest/gtest.h>

#include <map>

#include "tests/integration/planted_report.hpp"
#include "tests/support/report_check.hpp"
#include "tools/run/chart_maker.hpp"
#include "tools/run/model_palette.hpp"

namespace netlab::test {
namespace {

namespace fs = std::filesystem;

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
      bool one_connection = chart.find("-c1") != std::string::npos && chart.find("-c10") == std::string::npos;
      bool present = model != "poll" || !one_connection;
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

}  // namespace
}  // namespace netlab::test
