// Options: what one load generator run is asked to do, after parsing and validation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/net/address.hpp"

namespace netlab::loadgen {

enum class ClientProto { kEcho, kHttp, kFile, kChat };
enum class Transport { kTcp, kUdp };
enum class Mode { kClosed, kOpen, kConnect };

struct Options {
  // As typed (flags), filled by main.
  std::string target_text;
  std::string proto_text = "echo";
  std::string transport_text = "tcp";
  std::string path;  // empty: from the URL, else "/"
  int connections = 10;
  int threads = 1;
  std::string duration_text = "10s";
  std::string warmup_text = "0s";
  std::string interval_text = "1s";  // one --timeseries row per interval
  double rate = 0;  // requests per second over all connections; 0 = closed loop
  int pipeline = 1;
  bool new_conn = false;
  double ramp = 0;  // new connections per second; 0 = all at once
  std::string timeout_text = "5s";
  std::string source_text;
  int payload = 16;
  std::string think_text = "0s";
  std::string coalesce_text = "auto";
  // Stop once this many requests were sent and answered in all (warm-up included); 0 = run for
  // --duration. A fixed count makes per-request costs (system calls, instructions) comparable.
  uint64_t requests = 0;
  bool fail_on_3xx = false;  // HTTP: a redirect counts as an error (by default it is an answer, as in wrk)
  std::string csv, timeseries, hgrm, json;
  double max_error_rate = 0.01;
  std::string label;
  bool quiet = false;
  // --proto file (docs/loadgen.md): GET an existing file, or PUT generated data.
  std::string file_op_text = "get";
  std::string file_name;             // GET: the file; PUT: the name prefix (default "lg")
  int64_t file_size = 1 << 20;       // PUT: bytes per upload
  int file_verify_every = 10;        // PUT: GET every n-th upload back and compare; 0 = never
  bool keep_uploads = false;         // PUT: leave PREFIX-<conn> in the library (by default DELETEd after)

  // Derived by validate().
  core::Address target;
  std::string host_header;  // "host:port" for HTTP
  ClientProto proto = ClientProto::kEcho;
  Transport transport = Transport::kTcp;
  Mode mode = Mode::kClosed;
  bool file_put = false;
  int64_t duration_ns = 0, warmup_ns = 0, timeout_ns = 0, think_ns = 0, interval_ns = 0;
  bool coalesce_auto = true;  // --coalesce auto: probe whether napping helps
  int64_t coalesce_ns = 0;    // the longest nap; 0 = never nap
  std::vector<core::Address> sources;
};

// Fills the derived fields; throws std::invalid_argument with one line naming the bad flag.
void validate(Options& options);

std::string mode_name(Mode mode);
std::string proto_name(ClientProto proto);
std::string transport_name(Transport transport);

}  // namespace netlab::loadgen
