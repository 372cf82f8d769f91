// A synthetic run folder for the report's tests (no servers run): three repetitions of three
// models, epoll and thread_pool at 1 and 10 connections and poll at 10 only, each repetition's
// summary.csv row, timeseries.csv rows and .hgrm; thread_pool's median repetition at 10 was
// generator-bound. The median repetition is never the first.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_dir.hpp"
#include "tools/run/report.hpp"

namespace netlab::test {

namespace fs = std::filesystem;

// Sources are compiled with absolute paths: scripts/charts is three levels above this file.
inline const fs::path kScripts = fs::path(__FILE__).parent_path().parent_path().parent_path() / "scripts" / "charts";
// A build's model list, in its order (bin/models.txt): each model's colour comes from its place.
inline const std::vector<std::string> kModels = {"thread_pool", "epoll", "poll"};

inline std::string slurp(const fs::path& p) {
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
inline const Planted kPlanted[] = {{"epoll", 1, {100, 120, 110}},      // median: rep3
                            {"epoll", 10, {900, 1100, 1000}},   // median: rep3
                            {"thread_pool", 1, {80, 60, 70}},   // median: rep3
                            {"thread_pool", 10, {400, 500, 450}},  // median: rep3, generator-bound
                            {"poll", 10, {300, 200, 250}}};     // median: rep3; poll only at 10

inline std::string case_id(const Planted& p, int rep) {
  return std::string(p.model) + "-echo-c" + std::to_string(p.conns) + "-rep" + std::to_string(rep);
}

// The charts the planted run makes.
inline const std::vector<std::string> kCharts = {"rank-echo",         "tps-echo",         "latency-echo",
                                                 "server-echo",       "spectrum-echo-c1", "timeline-echo-c1",
                                                 "spectrum-echo-c10", "timeline-echo-c10"};

// A fresh folder per test holding the planted run; report() makes its charts and pages.
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

}  // namespace netlab::test
