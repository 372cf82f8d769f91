#include "tools/run/results.hpp"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/util/duration.hpp"
#include "tools/run/csv.hpp"
#include "tools/run/git_sha.hpp"  // generated: NETLAB_GIT_SHA

namespace netlab::run {
namespace {

std::string read_trimmed(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (auto& ch : text) {
    if (ch == '\t') ch = ' ';
  }
  return text;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

const std::vector<std::string>& loadgen_columns() {
  static const std::vector<std::string> columns = {
      "label", "target", "proto", "transport", "mode", "threads", "connections_requested",
      "connections_established", "connections_peak_active", "duration_s", "rate_target", "requests_sent",
      "responses_ok", "qps", "tps", "bytes_sent", "bytes_received", "errors_total", "errors_connect",
      "errors_read", "errors_write", "errors_reset", "errors_timeout", "errors_bad_response",
      "latency_min_us", "latency_mean_us", "latency_p50_us", "latency_p90_us", "latency_p99_us",
      "latency_p999_us", "latency_p9999_us", "latency_max_us", "service_p50_us", "service_p99_us",
      "connect_p50_us", "connect_p99_us", "late_sends", "udp_lost", "udp_duplicate", "udp_late",
      "loadgen_cpu_pct", "loop_lag_max_us", "generator_bottleneck", "exit_reason", "throughput_mbps",
      "loop_wakeups", "coalescing_naps", "status_1xx", "status_2xx", "status_3xx", "status_4xx", "status_5xx",
      "conn_answers_fewest", "conn_answers_most", "conns_unanswered"};
  return columns;
}

const std::vector<std::string>& summary_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c = {"case", "group", "model", "variant", "series", "protocol", "transport_used", "connections", "rate",
                                  "payload", "cpu_work_us", "io_delay_us", "workers", "repetition", "build", "placement",
                                  "status", "reason", "server_cpu_s", "server_cpu_pct", "server_pss_peak_kb",
                                  "server_rss_peak_kb", "server_threads_peak", "server_processes_peak",
                                  "tcp_mem_peak_kb", "tcp_time_wait_peak", "server_exit", "server_cpu_us_per_req",
                                  "server_syscalls_per_req", "server_instructions_per_req",
                                  "loadgen_syscalls_per_req", "loadgen_instructions_per_req"};
    for (const auto& l : loadgen_columns()) c.push_back(l);
    return c;
  }();
  return columns;
}

SummaryWriter::SummaryWriter(std::string path) : path_(std::move(path)) {
  std::ofstream out(path_);
  const auto& cols = summary_columns();
  for (size_t i = 0; i < cols.size(); ++i) out << (i ? "," : "") << cols[i];
  out << "\n";
}

void SummaryWriter::append(const Case& c, const CaseResult& r, const std::string& placement) {
  std::vector<std::string> v = {
      c.id, c.group, c.model, c.variant, c.build.empty() ? c.series() : c.series() + "@" + c.build, c.protocol, r.transport, std::to_string(c.connections), fixed(c.rate, 0),
      std::to_string(c.payload), std::to_string(c.cpu_work.count()), std::to_string(c.io_delay.count()),
      std::to_string(c.server.workers), std::to_string(c.repetition), c.build, placement, r.status, csv_field(r.reason),
      fixed(r.server_cpu_s, 3), fixed(r.server_cpu_pct, 1), std::to_string(r.server_peak.pss_kb),
      std::to_string(r.server_peak.rss_kb), std::to_string(r.server_peak.threads),
      std::to_string(r.server_peak.processes), std::to_string(r.sock_peak.tcp_mem_kb),
      std::to_string(r.sock_peak.tcp_time_wait), csv_field(r.server_exit)};
  // Server CPU per answered request, from the measured window's CPU and answers.
  auto answered = r.loadgen.find("responses_ok");
  double answers = answered == r.loadgen.end() || answered->second.empty() ? 0 : std::stod(answered->second);
  v.push_back(answers > 0 ? fixed(r.server_cpu_s * 1e6 / answers, 3) : "");
  auto figure = [](const std::optional<double>& value) { return value ? fixed(*value, 3) : std::string(); };
  v.push_back(figure(r.cost ? std::optional(r.cost->server_syscalls) : std::nullopt));
  v.push_back(figure(r.cost ? r.cost->server_instructions : std::nullopt));
  v.push_back(figure(r.cost ? std::optional(r.cost->loadgen_syscalls) : std::nullopt));
  v.push_back(figure(r.cost ? r.cost->loadgen_instructions : std::nullopt));
  for (const auto& col : loadgen_columns()) {
    auto it = r.loadgen.find(col);
    v.push_back(it == r.loadgen.end() ? "" : csv_field(it->second));
  }
  std::ofstream out(path_, std::ios::app);
  for (size_t i = 0; i < v.size(); ++i) out << (i ? "," : "") << v[i];
  out << "\n";
}

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

void write_run_json(const std::string& path, const Suite& suite, const RunInfo& info) {
  utsname u{};
  uname(&u);
  rlimit nofile{};
  getrlimit(RLIMIT_NOFILE, &nofile);
  nlohmann::ordered_json sysctls = nlohmann::ordered_json::object();
  for (std::string key : {"net/core/somaxconn", "net/ipv4/ip_local_port_range", "net/ipv4/tcp_tw_reuse",
                          "net/ipv4/tcp_max_syn_backlog", "fs/file-max", "kernel/pid_max"}) {
    std::string dotted = key;
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    sysctls[dotted] = read_trimmed("/proc/sys/" + key);
  }
  nlohmann::ordered_json j = {
      {"tool", "netlab-run"},
      {"git_sha", NETLAB_GIT_SHA},
      {"suite", suite.name},
      {"suite_path", info.suite_path},
      {"description", suite.description},
      {"arguments", info.arguments},
      {"started", info.started_utc},
      {"finished", info.finished_utc},
      {"interrupted", info.interrupted},
      {"cases", {{"total", info.cases_total}, {"ok", info.cases_ok}, {"failed", info.cases_failed}}},
      {"duration", core::format_duration(suite.duration)},
      {"warmup", core::format_duration(suite.warmup)},
      {"placement", suite.placement},
  };
  if (!info.filter.empty()) j["filter"] = {{"text", info.filter}, {"cases_in_suite", info.cases_in_suite}};
  if (!info.ab_new_bin_dir.empty()) {
    j["ab"] = {{"old_bin_dir", info.ab_old_bin_dir}, {"new_bin_dir", info.ab_new_bin_dir}, {"seed", info.ab_seed}};
  }
  j["host"] = {
      {"kernel", std::string(u.sysname) + " " + u.release + " " + u.version},
      {"machine", u.machine},
      {"cpus", sysconf(_SC_NPROCESSORS_ONLN)},
      {"cpu_model", cpu_model()},
      {"fd_limit", nofile.rlim_cur},
      {"sysctls", sysctls},
  };
  j["suite_file"] = suite.source_text;
  // Invalid UTF-8 (a suite file or uname in another encoding) is replaced, never fatal.
  std::ofstream(path) << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace netlab::run
