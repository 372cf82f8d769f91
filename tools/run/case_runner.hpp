// CaseRunner: runs one case the way TechEmpower's toolset does: start the server in its own
// process group, wait for its ready line, check a few verified requests, warm up and measure with
// netlab-loadgen while sampling the server's process group, stop the server (SIGTERM, then SIGKILL
// after a grace period), and let the machine settle.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tools/run/cost_probe.hpp"
#include "tools/run/proc_stats.hpp"
#include "tools/run/suite.hpp"

namespace netlab::run {

struct CaseResult {
  std::string status = "failed";  // ok | failed | interrupted
  std::string reason;             // why, when not ok (no commas, one line)
  std::string transport = "tcp";
  double server_cpu_s = 0;        // over the measured window
  double server_cpu_pct = 0;      // of one CPU
  GroupSample server_peak;        // peaks of memory, threads and processes
  SockStat sock_peak;
  std::string server_exit;        // how the server ended ("exit 0", "killed by SIGKILL")
  std::map<std::string, std::string> loadgen;  // the load generator's CSV row, by column
  std::optional<CostFigures> cost;             // cases that measure the per-request costs
};

struct RunPaths {
  std::string bin_dir;  // where netlab-server-* and netlab-loadgen are
  std::string out_dir;  // results/<suite>/<stamp>
};

class CaseRunner {
 public:
  CaseRunner(const Suite& suite, RunPaths paths) : suite_(suite), paths_(std::move(paths)) {}
  // Measures what the case asks for (timed load, per-request costs, or both).
  CaseResult run(const Case& c, const std::atomic<bool>& interrupted);

 private:
  CaseResult run_timed(const Case& c, const std::atomic<bool>& interrupted);

  const Suite& suite_;
  RunPaths paths_;
};

// The command lines the runner starts: the case's server (listening on a free port) and a load
// generator against `target` (without its duration and output flags).
std::vector<std::string> server_command(const std::string& bin_dir, const Case& c);
std::vector<std::string> loadgen_command(const std::string& bin_dir, const Case& c, const std::string& target,
                                         const std::string& transport, int connections, int threads);
// The one-line reason a program gave: its last stderr line in `path`, skipping CLI11's hint.
std::string last_reason(const std::string& path);

// The transport a model serves ("tcp" or "udp"), asked from its binary (--model-info).
std::string model_transport(const std::string& bin_dir, const std::string& model);

}  // namespace netlab::run
