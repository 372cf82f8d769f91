// Metrics: what one event loop measured over an interval: counters, errors by kind with the last
// errno of each kind, and the latency, service-time and connect-time histograms (microseconds).
//
// Thread contract: a worker records into its own Metrics without locks; once per interval it adds
// them into its published copy under a mutex (IntervalMailbox), where the main thread collects them.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "core/stats/histogram.hpp"

namespace netlab::loadgen {

enum class ErrorKind { kConnect, kRead, kWrite, kReset, kTimeout, kBadResponse };
constexpr size_t kErrorKinds = 6;
std::string error_kind_name(ErrorKind kind);

// HTTP status codes 100 to 599, counted one by one.
constexpr int kFirstStatus = 100;
constexpr int kLastStatus = 599;

struct Counters {
  uint64_t requests_sent = 0;
  uint64_t responses_ok = 0;
  uint64_t responses_failed_status = 0;  // HTTP: complete answers whose status is an error
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  uint64_t connections_established = 0;  // successful connects (each one in connect mode)
  uint64_t late_sends = 0;               // open loop: sent more than kLateThresholdNs after intended
  uint64_t udp_lost = 0;                 // no answer within --timeout (also counted as timeouts)
  uint64_t udp_duplicate = 0;
  uint64_t udp_late = 0;                 // answered after being declared lost
  uint64_t payload_bytes = 0;            // file: data bytes of verified transfers (for MB/s)
  uint64_t expected_deliveries = 0;      // chat: copies of the messages sent that should arrive
  uint64_t loop_lag_max_us = 0;
  uint64_t loop_wakeups = 0;     // event-loop waits that returned answers or other events
  uint64_t coalescing_naps = 0;  // closed loop: naps taken before a wait (coalescing.hpp)
  // Gauges at the interval's end and at its peak; add() sums them over workers (one interval).
  int64_t active_at_end = 0;
  int64_t active_peak = 0;
  std::array<uint64_t, kErrorKinds> errors{};
  std::array<int, kErrorKinds> last_errno{};  // 0: no errno (bad response, timeout)
  std::array<const char*, kErrorKinds> last_detail{};  // a static description of the last one
  std::array<uint64_t, kLastStatus - kFirstStatus + 1> http_status{};  // [code - kFirstStatus]

  uint64_t errors_total() const;
  // HTTP answers whose status is in class `hundreds` (1 to 5: 1xx to 5xx).
  uint64_t status_class(int hundreds) const;
  // Every complete answer, whatever its status (the live line's rate).
  uint64_t answers() const { return responses_ok + responses_failed_status; }
  void count_status(int code) {
    if (code >= kFirstStatus && code <= kLastStatus) ++http_status[static_cast<size_t>(code - kFirstStatus)];
  }
  void add(const Counters& other);
};

// Answers per connection over the measured window, over every connection of the run: a server
// that serves only some of them at once (a pool of 16 threads under 50 connections) shows as
// connections with no answer at all, which totals and percentiles hide.
struct AnswerSpread {
  int64_t connections = 0;
  uint64_t fewest = 0, most = 0;
  int64_t unanswered = 0;  // connections with no answer in the window

  void add(uint64_t answers) {
    fewest = connections == 0 ? answers : std::min(fewest, answers);
    most = std::max(most, answers);
    unanswered += answers == 0 ? 1 : 0;
    ++connections;
  }
};

struct Metrics {
  Counters counters;
  stats::Histogram latency;  // corrected in open loop (from the intended send time)
  stats::Histogram service;  // from the actual send to the complete response
  stats::Histogram connect;  // connect() to established

  void add(const Metrics& other);
  void reset();
};

}  // namespace netlab::loadgen
