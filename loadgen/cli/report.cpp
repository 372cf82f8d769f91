#include "loadgen/cli/report.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/net/error.hpp"
#include "loadgen/cli/units.hpp"
#include "loadgen/git_sha.hpp"

#ifndef NETLAB_VERSION
#define NETLAB_VERSION "unknown"
#endif

namespace netlab::loadgen {
namespace {


// The summary fields in CSV order, as (name, value) pairs: one source for CSV and JSON.
std::vector<std::pair<std::string, std::string>> fields(const Options& o, const RunResult& r) {
  const Counters& c = r.total.counters;
  const auto& lat = r.total.latency;
  auto u = [](uint64_t v) { return std::to_string(v); };
  auto e = [&](ErrorKind k) { return u(c.errors[static_cast<size_t>(k)]); };
  return {
      {"label", o.label},
      {"target", o.target_text},
      {"proto", proto_name(o.proto)},
      {"transport", transport_name(o.transport)},
      {"mode", mode_name(o.mode)},
      {"threads", std::to_string(o.threads)},
      {"connections_requested", std::to_string(o.connections)},
      {"connections_established", std::to_string(r.connections_established)},
      {"connections_peak_active", std::to_string(r.connections_peak_active)},
      {"duration_s", fixed(r.duration_s, 3)},
      {"rate_target", fixed(o.rate, 1)},
      {"requests_sent", u(c.requests_sent)},
      {"responses_ok", u(c.responses_ok)},
      {"qps", fixed(qps(r), 1)},
      {"tps", fixed(tps(r), 1)},
      {"bytes_sent", u(c.bytes_sent)},
      {"bytes_received", u(c.bytes_received)},
      {"errors_total", u(c.errors_total())},
      {"errors_connect", e(ErrorKind::kConnect)},
      {"errors_read", e(ErrorKind::kRead)},
      {"errors_write", e(ErrorKind::kWrite)},
      {"errors_reset", e(ErrorKind::kReset)},
      {"errors_timeout", e(ErrorKind::kTimeout)},
      {"errors_bad_response", e(ErrorKind::kBadResponse)},
      {"latency_min_us", u(lat.min())},
      {"latency_mean_us", fixed(lat.mean(), 1)},
      {"latency_p50_us", u(lat.value_at_percentile(50))},
      {"latency_p90_us", u(lat.value_at_percentile(90))},
      {"latency_p99_us", u(lat.value_at_percentile(99))},
      {"latency_p999_us", u(lat.value_at_percentile(99.9))},
      {"latency_p9999_us", u(lat.value_at_percentile(99.99))},
      {"latency_max_us", u(lat.max())},
      {"service_p50_us", u(r.total.service.value_at_percentile(50))},
      {"service_p99_us", u(r.total.service.value_at_percentile(99))},
      {"connect_p50_us", u(r.total.connect.value_at_percentile(50))},
      {"connect_p99_us", u(r.total.connect.value_at_percentile(99))},
      {"late_sends", u(c.late_sends)},
      {"udp_lost", u(c.udp_lost)},
      {"udp_duplicate", u(c.udp_duplicate)},
      {"udp_late", u(c.udp_late)},
      {"loadgen_cpu_pct", fixed(r.cpu_pct, 1)},
      {"loop_lag_max_us", u(c.loop_lag_max_us)},
      {"generator_bottleneck", r.generator_bottleneck ? "1" : "0"},
      {"exit_reason", r.exit_reason},
      {"throughput_mbps", fixed(throughput_mbps(o, r), 3)},
      {"loop_wakeups", u(c.loop_wakeups)},
      {"coalescing_naps", u(c.coalescing_naps)},
      {"status_1xx", u(c.status_class(1))},
      {"status_2xx", u(c.status_class(2))},
      {"status_3xx", u(c.status_class(3))},
      {"status_4xx", u(c.status_class(4))},
      {"status_5xx", u(c.status_class(5))},
      {"conn_answers_fewest", u(r.answers_per_conn.fewest)},
      {"conn_answers_most", u(r.answers_per_conn.most)},
      {"conns_unanswered", std::to_string(r.answers_per_conn.unanswered)},
  };
}

bool is_number_field(const std::string& name) {
  for (const char* text : {"label", "target", "proto", "transport", "mode", "exit_reason"}) {
    if (name == text) return false;
  }
  return true;
}

}  // namespace

std::string error_description(const Counters& c, size_t kind) {
  std::string text = c.last_detail[kind] ? c.last_detail[kind] : "";
  if (c.last_errno[kind] != 0) text += (text.empty() ? "" : ": ") + core::errno_text(c.last_errno[kind]);
  return text;
}

std::string version_text() {
  return std::string("netlab-loadgen ") + NETLAB_VERSION + " (git " + NETLAB_LOADGEN_GIT_SHA + ")";
}

double qps(const RunResult& r) {
  return r.duration_s > 0 ? static_cast<double>(r.total.counters.requests_sent) / r.duration_s : 0;
}
double throughput_mbps(const Options& o, const RunResult& r) {
  const Counters& c = r.total.counters;
  uint64_t bytes = o.proto == ClientProto::kFile ? c.payload_bytes : c.bytes_received;
  return r.duration_s > 0 ? static_cast<double>(bytes) / r.duration_s / 1e6 : 0;
}
double tps(const RunResult& r) {
  return r.duration_s > 0 ? static_cast<double>(r.total.counters.responses_ok) / r.duration_s : 0;
}

std::string csv_header() {
  std::string header;
  for (const auto& [name, value] : fields(Options{}, RunResult{})) header += (header.empty() ? "" : ",") + name;
  return header + "\n";
}

std::string csv_row(const Options& o, const RunResult& r) {
  std::string row;
  bool first = true;
  for (const auto& [name, value] : fields(o, r)) {
    row += (first ? "" : ",") + value;
    first = false;
  }
  return row + "\n";
}

std::string timeseries_header() { return "label,second,requests,tps,errors,latency_p50_us,latency_p99_us,connections_active\n"; }

std::string timeseries_row(const std::string& label, const SecondRow& row) {
  return label + "," + seconds_text(row.second) + "," + std::to_string(row.requests) + "," + fixed(row.tps) + "," +
         std::to_string(row.errors) + "," + std::to_string(row.p50_us) + "," + std::to_string(row.p99_us) + "," +
         std::to_string(row.connections_active) + "\n";
}

std::string json_document(const Options& o, const RunResult& r, const std::vector<std::string>& argv) {
  utsname uts{};
  uname(&uts);
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  // ordered_json: the keys stay in the order of the CSV columns, for a person reading the file.
  nlohmann::ordered_json doc;
  doc["meta"] = {{"tool", "netlab-loadgen"},
                 {"version", NETLAB_VERSION},
                 {"git_sha", NETLAB_LOADGEN_GIT_SHA},
                 {"kernel", std::string(uts.sysname) + " " + uts.release},
                 {"cpus", sysconf(_SC_NPROCESSORS_ONLN)},
                 {"finished", stamp},
                 {"arguments", argv}};
  auto& summary = doc["summary"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : fields(o, r)) {
    // The summary's figures are formatted once, for the CSV; the JSON takes the same digits.
    // A figure that does not parse (none should) is null rather than a broken document.
    auto number = nlohmann::ordered_json::parse(value, nullptr, false);
    summary[name] = !is_number_field(name) ? nlohmann::ordered_json(value)
                    : number.is_discarded() ? nlohmann::ordered_json() : number;
  }
  auto& errors = doc["errors"] = nlohmann::ordered_json::object();
  const Counters& c = r.total.counters;
  for (size_t k = 0; k < kErrorKinds; ++k) {
    errors[error_kind_name(static_cast<ErrorKind>(k))] = {
        {"count", c.errors[k]}, {"last_errno", c.last_errno[k]}, {"last", error_description(c, k)}};
  }
  // HTTP: every status code seen, as h2load counts them.
  auto& codes = doc["status_codes"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < c.http_status.size(); ++i) {
    if (c.http_status[i] > 0) codes[std::to_string(kFirstStatus + static_cast<int>(i))] = c.http_status[i];
  }
  doc["bottleneck_reason"] = r.bottleneck_reason;
  return doc.dump(2) + "\n";
}

void append_with_header(const std::string& path, const std::string& header, const std::string& rows) {
  if (path == "-") {
    // Standard output has no "new or empty": each header goes out once per process.
    static std::set<std::string> headers_written;
    if (headers_written.insert(header).second) std::cout << header;
    std::cout << rows << std::flush;
    return;
  }
  struct stat st{};
  bool empty = ::stat(path.c_str(), &st) != 0 || st.st_size == 0;
  std::ofstream out(path, std::ios::app);
  if (empty) out << header;
  out << rows;
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

void write_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace netlab::loadgen
