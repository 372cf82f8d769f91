// The human summary on stdout at the end of a run, and the live line on stderr once a second:
// figures scaled for a person (units.hpp); the files keep raw numbers (report.cpp).
#include <ostream>

#include "loadgen/cli/report.hpp"
#include "loadgen/cli/units.hpp"

namespace netlab::loadgen {
namespace {

// What one request is called in this workload.
const char* unit_of_work(const Options& o) {
  switch (o.proto) {
    case ClientProto::kFile: return "transfers";
    case ClientProto::kChat: return "deliveries";
    case ClientProto::kEcho:
    case ClientProto::kHttp: break;
  }
  return "req";
}

void print_status_codes(std::ostream& out, const Counters& c) {
  out << "  status codes " << c.status_class(2) << " 2xx, " << c.status_class(3) << " 3xx, " << c.status_class(4)
      << " 4xx, " << c.status_class(5) << " 5xx";
  if (uint64_t other = c.status_class(1); other > 0) out << ", " << other << " 1xx";
  const char* sep = "  (";
  for (size_t i = 0; i < c.http_status.size(); ++i) {
    if (c.http_status[i] == 0) continue;
    out << sep << kFirstStatus + static_cast<int>(i) << ": " << c.http_status[i];
    sep = ", ";
  }
  out << (sep[0] == ',' ? ")\n" : "\n");
}

void print_errors(std::ostream& out, const Counters& c) {
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
}

void print_warnings(std::ostream& out, const Options& o, const RunResult& r) {
  if (o.mode != Mode::kConnect && r.connections_peak_active < o.connections) {
    out << "  WARNING: only " << r.connections_peak_active << " of " << o.connections
        << " connections were open at once (see connect errors; for many connections use --ramp or a larger server backlog)\n";
  }
  const AnswerSpread& spread = r.answers_per_conn;
  if (spread.unanswered > 0 && r.total.counters.answers() > 0) {
    out << "  WARNING: " << spread.unanswered << " of " << spread.connections
        << " connections got no answer in the measured window: the server served fewer at once (a pool of "
           "workers, a backlog); the figures measure the connections it served\n";
  }
  if (r.generator_bottleneck) out << "  WARNING: the load generator was the bottleneck: " << r.bottleneck_reason << "\n";
  if (r.exit_reason != "ok") out << "  run ended: " << r.exit_reason << "\n";
}

}  // namespace

void print_summary(std::ostream& out, const Options& o, const RunResult& r) {
  const Counters& c = r.total.counters;
  const auto& lat = r.total.latency;
  auto p = [](const stats::Histogram& h, double q) { return time_text(h.value_at_percentile(q)); };
  out << "netlab-loadgen: " << proto_name(o.proto) << " over " << transport_name(o.transport) << " to "
      << o.target.to_string() << ", " << mode_name(o.mode) << " loop";
  if (o.rate > 0) out << " at " << count_text(o.rate) << " " << unit_of_work(o) << "/s";
  out << ", threads " << o.threads << ", " << fixed(r.duration_s, 2) << "s measured\n";
  out << "  connections  requested " << o.connections << "  established " << r.connections_established
      << "  peak active " << r.connections_peak_active << "\n";
  if (r.answers_per_conn.connections > 0) {
    out << "  answers      per connection: fewest " << r.answers_per_conn.fewest << ", most " << r.answers_per_conn.most
        << "; " << r.answers_per_conn.unanswered << " of " << r.answers_per_conn.connections << " got none\n";
  }
  out << "  requests     " << c.requests_sent << " sent, " << c.responses_ok << " ok   QPS " << count_text(qps(r))
      << "   TPS " << count_text(tps(r)) << "\n";
  out << "  latency      min " << time_text(lat.min()) << "  mean " << time_text(lat.mean()) << "  p50 " << p(lat, 50)
      << "  p90 " << p(lat, 90) << "  p99 " << p(lat, 99) << "  p99.9 " << p(lat, 99.9) << "  p99.99 "
      << p(lat, 99.99) << "  max " << time_text(lat.max()) << (o.rate > 0 ? "  (from intended send)" : "") << "\n";
  if (o.mode != Mode::kClosed) {
    out << "  service      p50 " << p(r.total.service, 50) << "  p99 " << p(r.total.service, 99) << "  max "
        << time_text(r.total.service.max()) << "  (from actual send)\n";
  }
  if (r.total.connect.count() > 0) {
    out << "  connect      p50 " << p(r.total.connect, 50) << "  p99 " << p(r.total.connect, 99) << "  max "
        << time_text(r.total.connect.max()) << "\n";
  }
  if (o.proto == ClientProto::kHttp) print_status_codes(out, c);
  out << "  bytes        sent " << bytes_text(c.bytes_sent) << "  received " << bytes_text(c.bytes_received);
  if (o.proto == ClientProto::kEcho || o.proto == ClientProto::kHttp) out << "  (" << fixed(throughput_mbps(o, r), 2) << " MB/s in)";
  out << "\n";
  print_errors(out, c);
  if (o.rate > 0) {
    out << "  pacing       achieved " << fixed(qps(r)) << " of " << fixed(o.rate) << " " << unit_of_work(o) << "/s ("
        << fixed(100 * qps(r) / o.rate) << "%), " << c.late_sends << " late sends (> 1 ms behind schedule)\n";
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
      << "%)  loop lag max " << time_text(c.loop_lag_max_us);
  if (c.loop_wakeups > 0) {
    out << "  answers per wake-up " << fixed(static_cast<double>(c.answers()) / static_cast<double>(c.loop_wakeups), 1)
        << "  naps " << c.coalescing_naps;
  }
  out << "\n";
  print_warnings(out, o, r);
}

std::string live_line(const Options& o, const SecondRow& row) {
  char buf[240];
  std::snprintf(buf, sizeof buf, "[%4ss] %8s %s/s  p50 %8s  p99 %8s  errors %llu  conns %lld/%d\n",
                seconds_text(row.second).c_str(),
                count_text(row.answers).c_str(), unit_of_work(o), time_text(row.p50_us).c_str(),
                time_text(row.p99_us).c_str(), static_cast<unsigned long long>(row.errors),
                static_cast<long long>(row.connections_active), o.connections);
  return buf;
}

}  // namespace netlab::loadgen
