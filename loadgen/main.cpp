// netlab-loadgen: opens many TCP or UDP clients against a server and measures response time, QPS
// and TPS, closed loop, open loop at a rate (coordinated-omission corrected) or one connection per
// request; file transfers (GET/PUT) and chat-room fan-out. One driver per thread (clients/: the
// echo/HTTP/UDP Worker on an engine/, FileDriver, ChatDriver); this file parses the command line,
// runs the phases (warm-up, measure, drain), merges the drivers' metrics once per interval
// (--interval, 1 s by default) and writes the reports (cli/).
//
// Usage:     netlab-loadgen --target 127.0.0.1:9000 -c 100 -t 2 -d 10s --csv out.csv
// Test with: netlab-server-thread_pool --listen 127.0.0.1:9000 & netlab-loadgen --target 127.0.0.1:9000 -d 2s
// Exit status: 0 clean, 1 runtime failure, 2 bad usage, 3 preflight refused, 4 error rate too high, 130 interrupted.
#include <poll.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <thread>

#include "core/net/error.hpp"
#include "core/net/fd.hpp"
#include "core/net/socket.hpp"
#include "core/net/stop.hpp"
#include "core/util/command_line.hpp"
#include "loadgen/cli/cli.hpp"
#include "loadgen/cli/outcome.hpp"
#include "loadgen/cli/preflight.hpp"
#include "loadgen/cli/report.hpp"
#include "loadgen/clients/driver.hpp"
#include "loadgen/engine/clock.hpp"

using namespace netlab;
using namespace netlab::loadgen;

namespace {

int64_t process_cpu_ns() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto ns = [](const timeval& tv) { return int64_t{tv.tv_sec} * kSecond + int64_t{tv.tv_usec} * 1000; };
  return ns(ru.ru_utime) + ns(ru.ru_stime);
}

// A blocking connect before the run: an unreachable target fails at once with the reason.
std::string probe_target(const Options& o) {
  if (o.transport != Transport::kTcp) return {};
  try {
    core::connect_tcp(o.target);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

struct Collector {
  std::vector<std::unique_ptr<Driver>>& workers;
  std::vector<int64_t> cpu_at_start;

  bool all_flushed(uint64_t count) const {
    for (const auto& w : workers) {
      if (w->flushes() < count && !w->finished()) return false;
    }
    return true;
  }
  bool all_finished() const {
    for (const auto& w : workers) {
      if (!w->finished()) return false;
    }
    return true;
  }
  void take(Metrics& into) {
    for (auto& w : workers) w->take(into);
  }
};

SecondRow make_row(double second, const Metrics& m, double seconds, int64_t active) {
  SecondRow row;
  row.second = second;
  row.requests = m.counters.requests_sent;
  row.tps = seconds > 0 ? static_cast<double>(m.counters.responses_ok) / seconds : 0;
  row.answers = seconds > 0 ? static_cast<double>(m.counters.answers()) / seconds : 0;
  row.errors = m.counters.errors_total();
  row.p50_us = m.latency.value_at_percentile(50);
  row.p99_us = m.latency.value_at_percentile(99);
  row.connections_active = active;
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"netlab-loadgen: a load generator for TCP and UDP servers (echo, HTTP/1.1, file, chat)", "netlab-loadgen"};
  add_options(app, o);
  app.set_version_flag("--version", version_text(), "Print the version and git commit, then exit");
  if (auto status = core::parse_command_line(app, argc, argv, "netlab-loadgen", [&] { validate(o); })) return *status;
  std::vector<std::string> args(argv, argv + argc);

  PreflightResult plan = run_preflight(o);
  if (!plan.refusal.empty()) {
    std::cerr << "netlab-loadgen: preflight refused: " << plan.refusal << "\n";
    return 3;
  }
  if (!plan.note.empty() && !o.quiet) std::cerr << "netlab-loadgen: " << plan.note << "\n";
  core::install_stop_signals();
  if (std::string why = probe_target(o); !why.empty()) {
    std::cerr << "netlab-loadgen: target unreachable: " << why << "\n";
    return 1;
  }

  std::vector<std::unique_ptr<Driver>> workers;
  const int drivers = driver_count(o);
  for (int t = 0; t < drivers; ++t) {
    int first = static_cast<int>(int64_t{t} * o.connections / drivers);
    int last = static_cast<int>(int64_t{t + 1} * o.connections / drivers);
    workers.push_back(make_driver(o, t, first, last - first));
  }
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w] { w->run(); });
  for (auto& w : workers) {
    while (!w->ready()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  Timeline tl;
  tl.start_ns = now_ns();
  tl.measure_start_ns = tl.start_ns + o.warmup_ns;
  tl.measure_end_ns = tl.measure_start_ns + o.duration_ns;
  tl.interval_ns = o.interval_ns;
  tl.connect_cap = std::max<int64_t>(1, plan.connect_cap / o.threads);
  for (auto& w : workers) w->start(tl);
  if (o.warmup_ns > 0 && !o.quiet) std::cerr << "netlab-loadgen: warming up for " << o.warmup_text << "\n";

  Collector collector{workers, {}};
  RunResult result;
  std::string output_error;
  uint64_t expected = 1;  // flush 1 ends the warm-up; flush k + 1 ends interval k
  int64_t cpu_start = 0, measure_end = tl.measure_end_ns;
  int64_t failing_ns = 0;
  int64_t live_line_second = 0;  // the whole second the live line last printed
  bool stopping = false;
  auto stop_all = [&](const std::string& reason, int code) {
    if (stopping) return;
    stopping = true;
    measure_end = std::min(measure_end, now_ns());
    result.exit_reason = reason;
    result.exit_code = code;
    for (auto& w : workers) w->request_stop();
  };
  for (;;) {
    pollfd pfd{core::stop_fd(), POLLIN, 0};
    ::poll(&pfd, 1, 5);
    if (core::stop_requested()) stop_all("interrupted", 130);  // 128 + SIGINT, like netlab-run
    bool finished = collector.all_finished();
    if (!collector.all_flushed(expected) && !finished) continue;
    Metrics interval;
    collector.take(interval);
    if (expected == 1) {
      // Warm-up answers are discarded; its connects are kept (often every connect happens then).
      result.total.connect.add(interval.connect);
      cpu_start = process_cpu_ns();
      for (auto& w : workers) collector.cpu_at_start.push_back(w->cpu_ns());
    } else if (interval.counters.requests_sent > 0 || interval.counters.errors_total() > 0 || !finished) {
      const auto k = static_cast<int64_t>(expected - 1);
      int64_t from = tl.measure_start_ns + (k - 1) * tl.interval_ns;
      double seconds = static_cast<double>(std::min(from + tl.interval_ns, measure_end) - from) / 1e9;
      SecondRow row = make_row(static_cast<double>(k * tl.interval_ns) / 1e9, interval, seconds,
                               interval.counters.active_at_end);
      result.connections_peak_active = std::max(result.connections_peak_active, interval.counters.active_peak);
      // Each interval is appended as it ends: a run killed outright still leaves its time series.
      if (!o.timeseries.empty() && output_error.empty()) {
        try {
          append_with_header(o.timeseries, timeseries_header(), timeseries_row(o.label, row));
        } catch (const std::exception& e) {
          output_error = e.what();
        }
      }
      result.total.add(interval);
      // With short intervals the live line still prints about once a second (the first row
      // that ends past a new whole second): a terminal cannot be read at ten lines a second.
      const int64_t whole_second = k * tl.interval_ns / kSecond;
      if (!o.quiet && whole_second > live_line_second) {
        std::cerr << live_line(o, row);
        live_line_second = whole_second;
      }
      // Nothing connected and nothing answered for two seconds running: the target is gone.
      bool failing = row.connections_active == 0 && interval.counters.responses_ok == 0 && row.errors > 0;
      failing_ns = failing ? failing_ns + tl.interval_ns : 0;
      if (failing_ns >= 2 * kSecond) stop_all("all connections failed", 1);
    }
    ++expected;
    if (finished) break;
  }
  for (auto& t : threads) t.join();
  // --requests: the run ended when the last answer came, not at --duration.
  if (o.requests > 0) measure_end = std::min(measure_end, now_ns());
  for (auto& w : workers) {
    if (!w->fatal().empty()) {
      std::cerr << "netlab-loadgen: " << w->fatal() << "\n";
      return 1;
    }
  }

  result.duration_s = std::max<double>(0, static_cast<double>(measure_end - tl.measure_start_ns) / 1e9);
  double wall_ns = std::max<double>(1, static_cast<double>(measure_end - tl.measure_start_ns));
  result.cpu_pct = static_cast<double>(process_cpu_ns() - cpu_start) / wall_ns * 100;
  for (size_t i = 0; i < workers.size() && i < collector.cpu_at_start.size(); ++i) {
    double pct = static_cast<double>(workers[i]->cpu_ns() - collector.cpu_at_start[i]) / wall_ns * 100;
    result.busiest_thread_pct = std::max(result.busiest_thread_pct, pct);
  }
  for (auto& w : workers) {
    result.connections_established += static_cast<int64_t>(w->established_total());
    w->add_answer_spread(result.answers_per_conn);
  }
  finish_result(o, result);

  print_summary(std::cout, o, result);
  std::cout.flush();
  try {
    write_outputs(o, result, args);
  } catch (const std::exception& e) {
    output_error = e.what();
  }
  if (!output_error.empty()) {
    std::cerr << "netlab-loadgen: " << output_error << "\n";
    return 1;
  }
  if (result.exit_code != 0) std::cerr << "netlab-loadgen: " << result.exit_reason << "\n";
  return result.exit_code;
}
