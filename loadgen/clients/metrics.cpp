#include "loadgen/clients/metrics.hpp"

#include <algorithm>

namespace netlab::loadgen {

std::string error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnect: return "connect";
    case ErrorKind::kRead: return "read";
    case ErrorKind::kWrite: return "write";
    case ErrorKind::kReset: return "reset";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kBadResponse: return "bad_response";
  }
  return "?";
}

uint64_t Counters::errors_total() const {
  uint64_t total = 0;
  for (auto e : errors) total += e;
  return total;
}

uint64_t Counters::status_class(int hundreds) const {
  uint64_t total = 0;
  for (int code = hundreds * 100; code < hundreds * 100 + 100; ++code) {
    if (code >= kFirstStatus && code <= kLastStatus) total += http_status[static_cast<size_t>(code - kFirstStatus)];
  }
  return total;
}

void Counters::add(const Counters& o) {
  requests_sent += o.requests_sent;
  responses_ok += o.responses_ok;
  responses_failed_status += o.responses_failed_status;
  for (size_t i = 0; i < http_status.size(); ++i) http_status[i] += o.http_status[i];
  bytes_sent += o.bytes_sent;
  bytes_received += o.bytes_received;
  connections_established += o.connections_established;
  late_sends += o.late_sends;
  udp_lost += o.udp_lost;
  udp_duplicate += o.udp_duplicate;
  udp_late += o.udp_late;
  payload_bytes += o.payload_bytes;
  expected_deliveries += o.expected_deliveries;
  loop_lag_max_us = std::max(loop_lag_max_us, o.loop_lag_max_us);
  loop_wakeups += o.loop_wakeups;
  coalescing_naps += o.coalescing_naps;
  active_at_end += o.active_at_end;
  active_peak += o.active_peak;
  for (size_t i = 0; i < kErrorKinds; ++i) {
    errors[i] += o.errors[i];
    if (o.errors[i] > 0) {
      last_errno[i] = o.last_errno[i];
      last_detail[i] = o.last_detail[i];
    }
  }
}

void Metrics::add(const Metrics& o) {
  counters.add(o.counters);
  latency.add(o.latency);
  service.add(o.service);
  connect.add(o.connect);
}

void Metrics::reset() {
  counters = Counters{};
  latency.reset();
  service.reset();
  connect.reset();
}

}  // namespace netlab::loadgen
