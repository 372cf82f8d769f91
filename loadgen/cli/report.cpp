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
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/net/error.hpp"
#include "loadgen/git_sha.hpp"

#ifndef NETLAB_VERSION
#define NETLAB_VERSION "unknown"
#endif

namespace netlab::loadgen {
namespace {

std::string fixed(double v, int digits = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, std::isfinite(v) ? v : 0.0);
  return buf;
}

std::string bytes_text(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  return fixed(v, u ? 1 : 0) + " " + units[u];
}

std::string error_description(const Counters& c, size_t kind) {
  std::string text = c.last_detail[kind] ? c.last_detail[kind] : "";
  if (c.last_errno[kind] != 0) text += (text.empty() ? "" : ": ") + core::errno_text(c.last_errno[kind]);
  return text;
}

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
  };
}

bool is_number_field(const std::string& name) {
  for (const char* text : {"label", "target", "proto", "transport", "mode", "exit_reason"}) {
    if (name == text) return false;
  }
  return true;
}

}  // namespace

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

void print_summary(std::ostream& out, const Options& o, const RunResult& r) {
  const Counters& c = r.total.counters;
  const auto& lat = r.total.latency;
  auto p = [](const stats::Histogram& h, double q) { return std::to_string(h.value_at_percentile(q)); };
  out << "netlab-loadgen: " << proto_name(o.proto) << " over " << transport_name(o.transport) << " to "
      << o.target.to_string() << ", " << mode_name(o.mode) << " loop";
  if (o.rate > 0) out << " at " << fixed(o.rate, 0) << " req/s";
  out << ", threads " << o.threads << ", " << fixed(r.duration_s, 2) << " s measured\n";
  out << "  connections  requested " << o.connections << "  established " << r.connections_established
      << "  peak active " << r.connections_peak_active << "\n";
  out << "  requests     " << c.requests_sent << " sent, " << c.responses_ok << " ok   QPS " << fixed(qps(r))
      << "   TPS " << fixed(tps(r)) << "\n";
  out << "  latency us   min " << lat.min() << "  mean " << fixed(lat.mean()) << "  p50 " << p(lat, 50)
      << "  p90 " << p(lat, 90) << "  p99 " << p(lat, 99) << "  p99.9 " << p(lat, 99.9) << "  p99.99 "
      << p(lat, 99.99) << "  max " << lat.max() << (o.rate > 0 ? "  (from intended send)" : "")
      << "\n";
  if (o.mode != Mode::kClosed) {
    out << "  service us   p50 " << p(r.total.service, 50) << "  p99 " << p(r.total.service, 99)
        << "  max " << r.total.service.max() << "  (from actual send)\n";
  }
  if (r.total.connect.count() > 0) {
    out << "  connect us   p50 " << p(r.total.connect, 50) << "  p99 " << p(r.total.connect, 99) << "  max "
        << r.total.connect.max() << "\n";
  }
  out << "  bytes        sent " << bytes_text(c.bytes_sent) << "  received " << bytes_text(c.bytes_received) << "\n";
  out << "  errors       " << c.errors_total();
  for (size_t k = 0; k < kErrorKinds; ++k) {
    out << (k == 0 ? " (" : ", ") << error_kind_name(static_cast<ErrorKind>(k)) << " " << c.errors[k];
  }
  out << ")\n";
  for (size_t k = 0; k < kErrorKinds; ++k) {
    if (c.errors[k] > 0) {
      out << "    " << error_kind_name(static_cast<ErrorKind>(k)) << ": " << c.errors[k] << ", last: "
          << error_description(c, k) << "\n";
    }
  }
  if (o.rate > 0) {
    out << "  pacing       achieved " << fixed(qps(r)) << " of " << fixed(o.rate) << " req/s ("
        << fixed(o.rate > 0 ? 100 * qps(r) / o.rate : 0) << "%), " << c.late_sends
        << " late sends (> 1 ms behind schedule)\n";
  }
  if (o.proto == ClientProto::kFile) {
    out << "  transfers    " << (o.file_put ? "PUT " : "GET ") << bytes_text(c.payload_bytes) << " verified   "
        << fixed(throughput_mbps(o, r), 1) << " MB/s\n";
  }
  if (o.proto == ClientProto::kChat) {
    out << "  chat         delivered " << c.responses_ok << " of " << c.expected_deliveries << " expected ("
        << c.requests_sent << " messages x " << o.connections - 1 << " recipients)\n";
  }
  if (o.transport == Transport::kUdp) {
    out << "  udp          lost " << c.udp_lost << "  duplicate " << c.udp_duplicate << "  late " << c.udp_late << "\n";
  }
  out << "  generator    cpu " << fixed(r.cpu_pct) << "% (busiest thread " << fixed(r.busiest_thread_pct)
      << "%)  loop lag max " << c.loop_lag_max_us << " us";
  if (c.loop_wakeups > 0) {
    out << "  answers per wake-up " << fixed(static_cast<double>(c.responses_ok) / static_cast<double>(c.loop_wakeups), 1)
        << "  naps " << c.coalescing_naps;
  }
  out << "\n";
  if (o.mode != Mode::kConnect && r.connections_peak_active < o.connections) {
    out << "  WARNING: only " << r.connections_peak_active << " of " << o.connections
        << " connections were open at once (see connect errors; for many connections use --ramp or a larger server backlog)\n";
  }
  if (r.generator_bottleneck) out << "  WARNING: the load generator was the bottleneck: " << r.bottleneck_reason << "\n";
  if (r.exit_reason != "ok") out << "  run ended: " << r.exit_reason << "\n";
}

std::string live_line(const SecondRow& row, int connections_requested) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "[%4ds] %10.0f req/s  p50 %6llu us  p99 %7llu us  errors %llu  conns %lld/%d\n",
                row.second, row.tps, static_cast<unsigned long long>(row.p50_us),
                static_cast<unsigned long long>(row.p99_us), static_cast<unsigned long long>(row.errors),
                static_cast<long long>(row.connections_active), connections_requested);
  return buf;
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
  return label + "," + std::to_string(row.second) + "," + std::to_string(row.requests) + "," + fixed(row.tps) + "," +
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
  doc["bottleneck_reason"] = r.bottleneck_reason;
  return doc.dump(2) + "\n";
}

void append_with_header(const std::string& path, const std::string& header, const std::string& rows) {
  struct stat st{};
  bool empty = ::stat(path.c_str(), &st) != 0 || st.st_size == 0;
  std::ofstream out(path, std::ios::app);
  if (empty) out << header;
  out << rows;
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace netlab::loadgen
