// Cost probe: a case's deterministic per-request costs, counted over a fixed number of requests
// instead of timed, so that two builds can be told apart by 1-2% on a noisy shared machine.
// - system calls: perf stat's raw_syscalls:sys_enter tracepoint (hardware counters report "not
//   supported" on these VMs; the tracepoint works);
// - instructions: valgrind's callgrind, which counts the same total for the same binary and
//   input however busy the machine is.
// Both are counted for the server (its whole process tree) and for netlab-loadgen (its event
// loop threads only, less their once-per-second publishing: those count time, not requests).
// Each figure is the difference of two runs, N and N/5 requests, divided by 4N/5: start-up,
// connection set-up and shut-down cost the same in both and cancel out.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "tools/run/suite.hpp"

namespace netlab::run {

struct CostFigures {
  double server_syscalls = 0;  // per request
  std::optional<double> server_instructions;  // none when the case does not count instructions
  double loadgen_syscalls = 0;
  std::optional<double> loadgen_instructions;
};

// Runs the case's server and load generator under perf stat (N = `requests`) and callgrind
// (N = requests / 2: it runs some 50x slower), writing tool output beside `out_base`
// (<out_base>.perf-*.txt, <out_base>.callgrind-*). Throws std::runtime_error with one line when a
// tool is missing or a run fails. A case with count_instructions false skips callgrind.
CostFigures measure_cost(const Case& c, const std::string& bin_dir, const std::string& out_base, uint64_t requests,
                         const std::atomic<bool>& interrupted);

}  // namespace netlab::run
