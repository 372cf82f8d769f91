#include "tools/run/case_runner.hpp"

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/process/child_process.hpp"
#include "core/util/duration.hpp"
#include "tools/run/csv.hpp"

namespace netlab::run {

using process::ChildProcess;
using process::Exit;
using process::SpawnOptions;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string micros(std::chrono::microseconds us) { return std::to_string(us.count()) + "us"; }

std::string seconds_text(std::chrono::nanoseconds d) { return core::format_duration(d); }

}  // namespace

// The one-line reason a program gave: its last stderr line, skipping CLI11's "Run with --help".
std::string last_reason(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty() && line.rfind("Run with --help", 0) != 0) last = line;
  }
  return last;
}

std::vector<std::string> server_command(const std::string& bin_dir, const Case& c) {
  std::vector<std::string> argv = {bin_dir + "/netlab-server-" + c.model,
                                   "--listen", "127.0.0.1:0",
                                   "--proto", c.protocol,
                                   "--workers", std::to_string(c.server.workers),
                                   "--max-conns", std::to_string(c.server.max_conns),
                                   "--cpu-work", micros(c.cpu_work),
                                   "--io-delay", micros(c.io_delay)};
  argv.insert(argv.end(), c.server.extra_args.begin(), c.server.extra_args.end());
  return argv;
}

std::vector<std::string> loadgen_command(const std::string& bin_dir, const Case& c, const std::string& target,
                                         const std::string& transport, int connections, int threads) {
  std::vector<std::string> argv = {bin_dir + "/netlab-loadgen",
                                   "--target", target,
                                   "--proto", c.protocol,
                                   "--transport", transport,
                                   "--connections", std::to_string(connections),
                                   "--threads", std::to_string(threads),
                                   "--pipeline", std::to_string(c.load.pipeline),
                                   "--timeout", seconds_text(c.load.timeout),
                                   "--label", c.file_id()};
  if (c.protocol == "http") {
    argv.insert(argv.end(), {"--path", c.load.path});
  } else {
    argv.insert(argv.end(), {"--payload", std::to_string(c.payload)});
  }
  if (c.rate > 0 && connections == c.connections) argv.insert(argv.end(), {"--rate", std::to_string(c.rate)});
  if (c.load.new_conn) argv.push_back("--new-conn");
  argv.insert(argv.end(), c.load.extra_args.begin(), c.load.extra_args.end());
  return argv;
}

std::string model_transport(const std::string& bin_dir, const std::string& model) {
  static std::atomic<int> asked{0};  // duet runs ask from two threads at once
  std::string out = "/tmp/netlab-run-model-" + std::to_string(::getpid()) + "-" + std::to_string(asked++);
  {
    SpawnOptions opts;
    opts.stdout_path = out;
    opts.stderr_path = "/dev/null";
    ChildProcess p({bin_dir + "/netlab-server-" + model, "--model-info"}, opts);
    auto e = p.wait(5s);
    if (!e || !e->exited || e->status != 0) {
      std::remove(out.c_str());
      throw std::runtime_error("no server binary for model '" + model + "' in " + bin_dir);
    }
  }
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(out.c_str());
  return text.find("transport=udp") != std::string::npos ? "udp" : "tcp";
}

CaseResult CaseRunner::run(const Case& c, const std::atomic<bool>& interrupted) {
  CaseResult result;
  if (c.timed()) {
    result = run_timed(c, interrupted);
  } else {
    result.transport = model_transport(paths_.bin_dir, c.model);
    result.status = "ok";
  }
  if (c.cost() && result.status == "ok" && !interrupted) {
    try {
      result.cost = measure_cost(c, paths_.bin_dir, paths_.out_dir + "/" + c.file_id(), suite_.cost_requests,
                                 interrupted);
    } catch (const std::exception& e) {
      result.status = interrupted ? "interrupted" : "failed";
      result.reason = "cost probe: " + csv_field(e.what());
    }
  }
  return result;
}

CaseResult CaseRunner::run_timed(const Case& c, const std::atomic<bool>& interrupted) {
  CaseResult result;
  result.transport = model_transport(paths_.bin_dir, c.model);
  const bool split = suite_.placement == "split";
  const std::string base = paths_.out_dir + "/" + c.file_id();

  SpawnOptions server_opts;
  server_opts.own_group = true;
  server_opts.cpu = split ? 0 : -1;
  server_opts.stderr_path = base + ".server.log";
  server_opts.stdout_pipe = true;
  ChildProcess server(server_command(paths_.bin_dir, c), server_opts);
  auto ready = server.read_line(10s);
  if (!ready || ready->rfind("READY ", 0) != 0) {
    result.reason = "server did not start: " + csv_field(last_reason(base + ".server.log"));
    server.stop(2s);
    return result;
  }
  const std::string target = ready->substr(6);
  const int load_cpu = split ? 1 : -1;

  // A few verified requests first: a server that answers wrongly fails here, not in the figures.
  {
    auto argv = loadgen_command(paths_.bin_dir, c, target, result.transport, 1, 1);
    argv.insert(argv.end(), {"--duration", "300ms", "--warmup", "0s",
                             "--max-error-rate", "0", "--quiet"});
    SpawnOptions check_opts;
    check_opts.cpu = load_cpu;
    check_opts.stdout_path = "/dev/null";
    check_opts.stderr_path = base + ".check.log";
    ChildProcess check(argv, check_opts);
    auto e = check.wait(30s);
    if (!e || !e->exited || e->status != 0) {
      result.reason = "correctness check failed: " + csv_field(last_reason(base + ".check.log"));
      result.server_exit = server.stop(3s).first.describe();
      return result;
    }
  }

  auto argv = loadgen_command(paths_.bin_dir, c, target, result.transport, c.connections, c.load.threads);
  argv.insert(argv.end(), {"--duration", seconds_text(suite_.duration), "--warmup", seconds_text(suite_.warmup),
                           "--max-error-rate", std::to_string(suite_.max_error_rate),
                           "--csv", paths_.out_dir + "/loadgen.csv",
                           "--timeseries", paths_.out_dir + "/timeseries.csv",
                           "--hgrm", base + ".hgrm", "--json", base + ".json"});
  // Only when it is not the load generator's default (1 s): an A/B run drives an older build's
  // netlab-loadgen with this command line, and builds before --interval refuse the flag.
  if (suite_.interval != std::chrono::seconds(1)) {
    argv.insert(argv.end(), {"--interval", seconds_text(suite_.interval)});
  }
  const auto started = Clock::now();
  SpawnOptions load_opts;
  load_opts.cpu = load_cpu;
  load_opts.stdout_path = base + ".txt";
  ChildProcess load(argv, load_opts);

  // Sample the server while the load runs. Its CPU counts over the load generator's measured
  // window: the loop wakes at the window's start and end as well as every 250 ms, so the CPU and the
  // answers it is divided by cover the same time (sampling only every 250 ms, a second-long case's
  // CPU window was up to a quarter shorter or longer than its answers').
  const auto window_start = started + suite_.warmup;
  const auto window_end = window_start + suite_.duration;
  std::optional<double> cpu_at_measure_start, cpu_at_measure_end;
  double cpu_last = 0;
  auto measure_started = started;
  int tick = 0;
  bool interrupted_here = false;
  while (!load.poll_exit()) {
    if (interrupted && !interrupted_here) {
      load.signal(SIGINT);  // the load generator writes what it measured so far
      interrupted_here = true;
    }
    bool with_memory = tick++ % 2 == 0;
    GroupSample s = sample_group(server.pid(), server.pid(), with_memory);
    if (s.processes > 0) cpu_last = s.cpu_seconds;
    const auto now = Clock::now();
    if (!cpu_at_measure_start && now >= window_start) {
      cpu_at_measure_start = cpu_last;
      measure_started = now;
    }
    if (cpu_at_measure_start && !cpu_at_measure_end && now >= window_end) cpu_at_measure_end = cpu_last;
    result.server_peak.pss_kb = std::max(result.server_peak.pss_kb, s.pss_kb);
    result.server_peak.rss_kb = std::max(result.server_peak.rss_kb, s.rss_kb);
    result.server_peak.threads = std::max(result.server_peak.threads, s.threads);
    result.server_peak.processes = std::max(result.server_peak.processes, s.processes);
    SockStat ss = read_sockstat();
    result.sock_peak.tcp_mem_kb = std::max(result.sock_peak.tcp_mem_kb, ss.tcp_mem_kb);
    result.sock_peak.tcp_time_wait = std::max(result.sock_peak.tcp_time_wait, ss.tcp_time_wait);
    result.sock_peak.tcp_inuse = std::max(result.sock_peak.tcp_inuse, ss.tcp_inuse);
    auto wake = Clock::now() + 250ms;
    for (auto boundary : {window_start, window_end}) {
      if (boundary > Clock::now()) wake = std::min(wake, boundary);
    }
    std::this_thread::sleep_until(wake);
  }
  const Exit load_exit = *load.poll_exit();
  const auto measure_ended = cpu_at_measure_end ? window_end : Clock::now();
  const double window = std::chrono::duration<double>(measure_ended - measure_started).count();
  result.server_cpu_s = cpu_at_measure_start ? cpu_at_measure_end.value_or(cpu_last) - *cpu_at_measure_start : 0;
  result.server_cpu_pct = window > 0 ? 100.0 * result.server_cpu_s / window : 0;
  result.loadgen = read_last_row(paths_.out_dir + "/loadgen.csv", c.file_id());

  // Ctrl-C on a terminal reaches the load generator too (it shares our process group): it may stop
  // and exit cleanly before this loop noticed the flag. Its own exit reason, or the flag, says the
  // case was cut short, whoever saw the signal first.
  if (interrupted || (result.loadgen.count("exit_reason") && result.loadgen["exit_reason"] == "interrupted")) {
    interrupted_here = true;
  }
  auto server_died = server.poll_exit();
  auto [server_exit, killed] = server.stop(3s);
  result.server_exit = server_exit.describe();

  if (interrupted_here) {
    result.status = "interrupted";
    result.reason = "interrupted by the user";
  } else if (server_died) {
    result.reason = "server died during the run: " + server_died->describe();
  } else if (!load_exit.exited || load_exit.status != 0) {
    std::string why = result.loadgen.count("exit_reason") ? result.loadgen["exit_reason"] : load_exit.describe();
    result.reason = "load generator " + load_exit.describe() + ": " + csv_field(why);
  } else if (killed) {
    result.reason = "server ignored SIGTERM and was killed";
  } else if (!server_exit.exited || server_exit.status != 0) {
    result.reason = "server stopped badly: " + server_exit.describe();
  } else {
    result.status = "ok";
  }
  if (!interrupted) {
    std::this_thread::sleep_for(suite_.settle);  // TIME_WAIT and the other core settle down
  }
  return result;
}

}  // namespace netlab::run
