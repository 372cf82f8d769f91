// netlab-run: runs a scenario suite and leaves CSV, charts and a report.
//
// Usage:     netlab-run scenarios/quick.toml
//            netlab-run scenarios/gate.toml --ab OLD_BIN_DIR NEW_BIN_DIR   (two builds, interleaved)
// Output:    results/<suite>/<UTC stamp>/ with summary.csv, timeseries.csv, <case>.hgrm, run.json,
//            charts/, report.html, summary.md; results/latest points at it.
// Exit:      0 every case ok, 1 some case failed (all files still written), 2 bad usage or suite,
//            130 interrupted (what was measured is kept and reported).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include "core/util/command_line.hpp"
#include "core/util/duration.hpp"
#include "tools/run/case_runner.hpp"
#include "tools/run/model_palette.hpp"
#include "tools/run/report.hpp"
#include "tools/run/results.hpp"
#include "tools/run/suite.hpp"
#include "tools/run/suite_check.hpp"
#include "tools/run/version.hpp"

#ifndef NETLAB_SOURCE_DIR
#define NETLAB_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;
using namespace netlab::run;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};

void on_interrupt(int) { g_interrupted.store(true); }

std::string stamp() {
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::gmtime(&now));
  return buf;
}

std::string short_duration(double seconds) {
  int s = static_cast<int>(seconds + 0.5);
  char buf[32];
  if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ds", s);
  }
  return buf;
}

// The order cases run in. Plain runs keep the suite's order. Interleaved A/B runs (Abedi and
// Brecht's randomized multiple interleaved trials) run each case once per build, back to back, in
// an order drawn per case: drift over the run lands on both builds alike, and every new row has
// an old row measured next to it in time to be paired with.
std::vector<Case> running_order(const std::vector<Case>& cases, bool ab, uint64_t seed) {
  if (!ab) return cases;
  std::mt19937_64 rng(seed);
  std::vector<Case> order;
  for (const Case& c : cases) {
    Case old_build = c, new_build = c;
    old_build.build = "old";
    new_build.build = "new";
    bool new_first = (rng() & 1) != 0;
    order.push_back(new_first ? new_build : old_build);
    order.push_back(new_first ? old_build : new_build);
  }
  return order;
}

void point_latest(const fs::path& results, const fs::path& run_dir) {
  std::error_code ec;
  fs::path link = results / "latest";
  fs::remove(link, ec);
  fs::create_directory_symlink(fs::relative(run_dir, results, ec), link, ec);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Runs a netlab scenario suite: starts each server, measures it with netlab-loadgen, and writes "
               "CSV, gnuplot charts and an HTML report.",
               "netlab-run");
  std::string suite_path;
  std::string results_dir = "results";
  std::string bin_dir = fs::canonical("/proc/self/exe").parent_path().string();
  std::string charts_dir = std::string(NETLAB_SOURCE_DIR) + "/scripts/charts";
  std::string filter;
  std::string duration, warmup;
  bool list_only = false;
  std::string report_only;
  std::vector<std::string> ab_dirs;
  uint64_t seed = static_cast<uint64_t>(std::time(nullptr));
  app.add_option("suite", suite_path, "Suite file (TOML), e.g. scenarios/quick.toml");
  app.add_option("--results", results_dir, "Folder that receives <suite>/<stamp>/")->capture_default_str();
  app.add_option("--bin-dir", bin_dir, "Folder holding netlab-server-* and netlab-loadgen")->capture_default_str();
  app.add_option("--charts-dir", charts_dir, "Folder holding the gnuplot scripts")->capture_default_str();
  app.add_option("--filter", filter,
                 "Run only these cases: exact ids or shell globs, comma-separated ('epoll-echo-c1' is that case "
                 "alone, with all its repetitions; 'epoll-*', '*-c100', '*-cost'); --list shows the ids. A part "
                 "that matches nothing is an error. results/latest still moves to a filtered run, and the runner "
                 "says so: it holds only the filtered cases");
  app.add_option("--duration", duration,
                 "Override the suite's measured duration per case (e.g. 2s; a bare number is seconds)");
  app.add_option("--warmup", warmup, "Override the suite's warm-up per case");
  app.add_option("--ab", ab_dirs,
                 "Interleaved A/B run: OLD_BIN_DIR NEW_BIN_DIR, two builds' bin folders; every case runs once "
                 "per build, back to back in random order, and summary.csv's 'build' column says which (judge it "
                 "with netlab-gate compare RUN)")
      ->expected(2);
  bool duet = false;
  app.add_flag("--duet", duet,
               "With --ab: run the two builds of each timed case at the same time on the same CPUs (duet "
               "benchmarking), so machine noise lands on both alike; cost cases still run one at a time");
  app.add_option("--seed", seed, "Seed of the A/B order (default: the time; recorded in run.json)");
  app.add_flag("--list", list_only, "List the cases and exit");
  app.add_option("--report-only", report_only, "Redraw charts and report of an existing run folder, then exit");
  app.set_version_flag("--version", version_text("netlab-run"), "Print the version and git commit, then exit");
  if (auto status = netlab::core::parse_command_line(app, argc, argv, "netlab-run")) return *status;

  if (!report_only.empty()) {
    if (!suite_path.empty()) {
      std::cerr << "netlab-run: --report-only redraws a finished run and takes no suite: unexpected '" << suite_path
                << "'\n";
      return 2;
    }
    if (!fs::is_regular_file(fs::path(report_only) / "summary.csv")) {
      std::cerr << "netlab-run: --report-only " << report_only << ": not a run folder (no summary.csv in it)\n";
      return 2;
    }
    auto outcome = make_report(report_only, charts_dir, read_model_list(bin_dir + "/models.txt"));
    for (const auto& p : outcome.problems) std::cerr << "netlab-run: chart failed: " << p << "\n";
    std::cout << report_only << "/report.html (" << outcome.charts.size() << " charts)\n";
    return outcome.problems.empty() ? 0 : 1;
  }
  if (suite_path.empty()) {
    std::cerr << "netlab-run: a suite file is required (e.g. scenarios/quick.toml)\nRun with --help for more information.\n";
    return 2;
  }

  Suite suite;
  size_t suite_cases = 0;
  try {
    suite = load_suite(suite_path);
    if (!duration.empty()) suite.duration = netlab::core::parse_duration(duration);
    if (!warmup.empty()) suite.warmup = netlab::core::parse_duration(warmup);
    // The whole suite, filtered or not: a mistake anywhere in the file is reported.
    std::vector<std::string> dirs = ab_dirs.empty() ? std::vector<std::string>{bin_dir} : ab_dirs;
    for (const auto& dir : dirs) check_suite_against(suite, dir);
    suite_cases = suite.cases.size();
    filter_cases(suite, filter);
  } catch (const std::exception& e) {
    std::cerr << "netlab-run: " << e.what() << "\n";
    return 2;
  }
  if (duet && ab_dirs.empty()) {
    std::cerr << "netlab-run: --duet needs --ab OLD_BIN_DIR NEW_BIN_DIR\n";
    return 2;
  }
  if (suite.cases.empty()) {
    std::cerr << "netlab-run: no cases to run" << (filter.empty() ? "" : " (filter '" + filter + "')") << "\n";
    return 2;
  }
  const std::vector<Case> order = running_order(suite.cases, !ab_dirs.empty(), seed);
  if (list_only) {
    for (const auto& c : order) std::cout << c.file_id() << "\n";
    return 0;
  }

  fs::path run_dir = fs::path(results_dir) / suite.name / stamp();
  fs::create_directories(run_dir);
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  RunInfo info;
  info.suite_path = suite_path;
  info.arguments.assign(argv, argv + argc);
  info.started_utc = utc_now();
  info.cases_total = static_cast<int>(order.size());
  info.filter = filter;
  info.cases_in_suite = static_cast<int>(suite_cases);
  if (!ab_dirs.empty()) {
    info.ab_old_bin_dir = fs::absolute(ab_dirs[0]).string();
    info.ab_new_bin_dir = fs::absolute(ab_dirs[1]).string();
    info.ab_seed = seed;
  }
  write_run_json(run_dir / "run.json", suite, info);
  SummaryWriter summary((run_dir / "summary.csv").string());
  CaseRunner runner(suite, {bin_dir, run_dir.string()});
  std::optional<CaseRunner> old_runner, new_runner;
  if (!ab_dirs.empty()) {
    old_runner.emplace(suite, RunPaths{ab_dirs[0], run_dir.string()});
    new_runner.emplace(suite, RunPaths{ab_dirs[1], run_dir.string()});
  }

  const auto started = Clock::now();
  std::cerr << "netlab-run: " << order.size() << " cases of suite '" << suite.name << "'"
            << (filter.empty() ? "" : " (filtered: " + std::to_string(suite.cases.size()) + " of " +
                                          std::to_string(suite_cases) + ")")
            << " into " << run_dir.string() << "\n";
  auto run_one = [&](const Case& c) {
    CaseResult result;
    try {
      CaseRunner& r = c.build.empty() ? runner : c.build == "old" ? *old_runner : *new_runner;
      result = r.run(c, g_interrupted);
    } catch (const std::exception& e) {
      result.reason = e.what();
    }
    return result;
  };
  auto record = [&](const Case& c, const CaseResult& result) {
    summary.append(c, result, suite.placement);
    if (result.status == "ok") {
      ++info.cases_ok;
    } else {
      ++info.cases_failed;
      std::cerr << "    " << c.file_id() << " " << result.status << ": " << result.reason << "\n";
    }
  };
  for (size_t i = 0; i < order.size() && !g_interrupted;) {
    const Case& c = order[i];
    // Duet: the two builds of a timed case run at once, on the same CPUs, so whatever the machine
    // does to one in that second it does to the other.
    const bool together = duet && c.timed() && i + 1 < order.size() && order[i + 1].id == c.id;
    double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    double per_case = i > 0 ? elapsed / static_cast<double>(i)
                            : std::chrono::duration<double>(suite.duration + suite.warmup + suite.settle).count() + 1.5;
    std::cerr << "[" << i + 1 << "/" << order.size() << "] " << c.file_id() << (together ? " and " + order[i + 1].file_id() : "")
              << "  elapsed " << short_duration(elapsed)
              << ", remaining ~" << short_duration(per_case * static_cast<double>(order.size() - i)) << "\n";
    if (together) {
      CaseResult second;
      std::thread partner([&] { second = run_one(order[i + 1]); });
      CaseResult first = run_one(c);
      partner.join();
      record(c, first);
      record(order[i + 1], second);
      i += 2;
    } else {
      record(c, run_one(c));
      ++i;
    }
  }
  info.interrupted = g_interrupted;
  info.finished_utc = utc_now();
  write_run_json(run_dir / "run.json", suite, info);
  auto outcome = make_report(run_dir.string(), charts_dir, read_model_list(bin_dir + "/models.txt"));
  for (const auto& p : outcome.problems) std::cerr << "netlab-run: chart failed: " << p << "\n";
  point_latest(results_dir, run_dir);

  std::cout << "\n" << std::ifstream(run_dir / "summary.md").rdbuf();
  std::cout << "\n" << info.cases_ok << " of " << info.cases_total << " cases ok"
            << (info.interrupted ? " (interrupted)" : "") << "; report: " << (run_dir / "report.html").string() << "\n";
  if (!filter.empty()) {
    std::cout << "note: " << (fs::path(results_dir) / "latest").string() << " now points at this filtered run (--filter '"
              << filter << "': " << suite.cases.size() << " of the suite's " << suite_cases
              << " cases), not a run of the whole suite\n";
  }
  if (info.interrupted) return 130;
  return info.cases_failed == 0 && outcome.problems.empty() ? 0 : 1;
}
