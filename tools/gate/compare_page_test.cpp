// The gate's comparison page from a hand-built GateResult: compare.html names every case and
// verdict, one chart per case exists in PNG and SVG, the chart data holds the medians with the
// samples' min and max, and (when Chromium is installed) every embedded chart decodes.
#include "tools/gate/compare_page.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/server_process.hpp"

namespace netlab::gate {
namespace {

namespace fs = std::filesystem;

MetricJudgement judged(const std::string& case_key, const std::string& metric, std::vector<double> base,
                       std::vector<double> current, double change, double lo, double hi, Verdict v) {
  MetricJudgement j;
  j.case_key = case_key;
  j.metric = metric;
  j.direction = metric == "tps" ? "higher" : "lower";
  j.tolerance = metric == "errors" ? 0.001 : 0.05;
  j.absolute = metric == "errors";
  j.base = std::move(base);
  j.current = std::move(current);
  j.base_median = j.base.empty() ? 0 : j.base[1];
  j.current_median = j.current.empty() ? 0 : j.current[1];
  j.change = change, j.ci_low = lo, j.ci_high = hi;
  j.p_value = 0.01;
  j.method = "mann-whitney";
  j.verdict = v;
  return j;
}

GateResult sample_result() {
  GateResult r;
  r.mode = "compare";
  r.base = {"results/gate/base", "1111111aaaa", "2026-01-01T00:00:00Z", "6.8", "cpu", "gate"};
  r.current = {"results/gate/new", "2222222bbbb", "2026-01-02T00:00:00Z", "6.8", "cpu", "gate"};
  r.judgements = {
      judged("epoll-echo-c10", "tps", {9800, 10000, 10200}, {8900, 9000, 9150}, -0.10, -0.12, -0.08, Verdict::regressed),
      judged("epoll-echo-c10", "p99", {480, 500, 530}, {400, 420, 450}, -0.16, -0.2, -0.1, Verdict::improved),
      judged("epoll-echo-c10", "errors", {0, 0, 0}, {0, 0, 0}, 0, 0, 0, Verdict::unchanged),
      judged("thread_pool-echo-c10", "tps", {5000, 6000, 7000}, {4800, 6100, 7300}, 0.02, -0.2, 0.25,
             Verdict::too_noisy),
      judged("thread_pool-echo-c10", "p99", {700, 710, 720}, {}, 0, 0, 0, Verdict::missing),
  };
  return r;
}

class ComparePageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("netlab-compare-" + std::to_string(getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    if (!HasFailure() && !getenv("NETLAB_KEEP")) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(ComparePageTest, PageNamesEveryCaseAndVerdictAndEmbedsItsCharts) {
  auto problems = write_comparison_page(sample_result(), (dir_ / "gate").string(), NETLAB_SOURCE_DIR "/scripts/charts");
  EXPECT_TRUE(problems.empty()) << problems.front();
  std::ifstream in(dir_ / "gate/compare.html");
  std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* text : {"epoll-echo-c10", "thread_pool-echo-c10", ">regressed<", ">improved<", ">unchanged<",
                           ">too noisy<", ">missing<", "-10.0%", "-12.0% .. -8.0%", "<h1>netlab gate: regressed</h1>",
                           "1111111aaaa", "2222222bbbb", "data-charts-loaded"}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
  size_t embedded = 0;
  for (size_t at = 0; (at = html.find("src=\"data:image/png;base64,iVBOR", at)) != std::string::npos; ++at) ++embedded;
  EXPECT_EQ(embedded, 2u);
  for (const char* chart : {"compare-epoll-echo-c10", "compare-thread_pool-echo-c10"}) {
    EXPECT_GT(fs::file_size(dir_ / "gate/charts" / (std::string(chart) + ".png")), 1000u) << chart;
    EXPECT_GT(fs::file_size(dir_ / "gate/charts" / (std::string(chart) + ".svg")), 1000u) << chart;
  }
  std::ifstream data(dir_ / "gate/charts/data/compare-epoll-echo-c10-tps.dat");
  std::string numbers((std::istreambuf_iterator<char>(data)), std::istreambuf_iterator<char>());
  EXPECT_NE(numbers.find("\"base\" 10000 9800 10200\n"), std::string::npos) << numbers;
  EXPECT_NE(numbers.find("\"new\" 9000 8900 9150\n"), std::string::npos) << numbers;
  EXPECT_NE(numbers.find("\n-10 -12 -8 "), std::string::npos) << numbers;

  if (access("/usr/bin/chromium", X_OK) != 0) {
    GTEST_SKIP() << "chromium not installed (scripts/setup installs it): compare.html not loaded in a browser";
  }
  auto dom = test::run_command({"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--user-data-dir=" + (dir_ / "chromium").string(), "--dump-dom",
                                "file://" + (dir_ / "gate/compare.html").string()},
                               "", std::chrono::seconds(60));
  EXPECT_NE(dom.output.find("data-charts-loaded=\"2/2\""), std::string::npos) << dom.output.substr(0, 2000);
}

}  // namespace
}  // namespace netlab::gate
