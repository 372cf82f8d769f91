#include "loadgen/cli/outcome.hpp"

#include <fstream>
#include <sstream>
#include <thread>

#include "core/net/error.hpp"

namespace netlab::loadgen {

void finish_result(const Options& o, RunResult& r) {
  if (o.proto == ClientProto::kChat) {
    // Copies not delivered by the end of the grace period are lost; loss counts as timeouts.
    Counters& m = r.total.counters;
    m.udp_lost = m.expected_deliveries > m.responses_ok ? m.expected_deliveries - m.responses_ok : 0;
    auto k = static_cast<size_t>(ErrorKind::kTimeout);
    m.errors[k] += m.udp_lost;
    if (m.udp_lost > 0) m.last_detail[k] = "chat: message copies not delivered within the grace period";
  }
  const Counters& c = r.total.counters;
  if (r.busiest_thread_pct >= kBusyThreadPct) {
    r.generator_bottleneck = true;
    r.bottleneck_reason = "an event loop thread was busy " + std::to_string(static_cast<int>(r.busiest_thread_pct)) +
                          "% of the time; add --threads (the machine has " +
                          std::to_string(std::thread::hardware_concurrency()) + " CPUs)";
  } else if (c.loop_lag_max_us >= kLoopLagLimitUs) {
    r.generator_bottleneck = true;
    r.bottleneck_reason = "timers ran up to " + std::to_string(c.loop_lag_max_us / 1000) +
                          " ms late (loop lag): the machine is overloaded";
  }
  if (o.rate > 0 && r.duration_s > 0) {
    double achieved = static_cast<double>(c.requests_sent) / r.duration_s;
    if (achieved < 0.95 * o.rate && r.generator_bottleneck) {
      r.bottleneck_reason += "; achieved " + std::to_string(static_cast<int64_t>(achieved)) + " of " +
                             std::to_string(static_cast<int64_t>(o.rate)) + " req/s";
    }
  }
  if (r.exit_code != 0) return;  // an earlier failure (all connections failed) stands
  if (r.connections_established == 0) {
    auto k = static_cast<size_t>(ErrorKind::kConnect);
    r.exit_code = 1;
    r.exit_reason = "no connection established";
    if (c.last_errno[k] != 0) r.exit_reason += ": " + core::errno_text(c.last_errno[k]);
    return;
  }
  uint64_t errors = c.errors_total();
  double rate = errors ? static_cast<double>(errors) / static_cast<double>(errors + c.responses_ok) : 0.0;
  if (o.max_error_rate < 1.0 && rate > o.max_error_rate) {
    r.exit_code = 4;
    std::ostringstream reason;
    reason << "error rate " << rate * 100 << "% above --max-error-rate " << o.max_error_rate * 100 << "%";
    r.exit_reason = reason.str();
  }
}

void write_outputs(const Options& o, const RunResult& r, const std::vector<std::string>& argv) {
  if (!o.csv.empty()) append_with_header(o.csv, csv_header(), csv_row(o, r));
  if (!o.hgrm.empty()) {
    std::ostringstream out;
    r.total.latency.write_hgrm(out);
    write_file(o.hgrm, out.str());
  }
  if (!o.json.empty()) write_file(o.json, json_document(o, r, argv));
}

}  // namespace netlab::loadgen
