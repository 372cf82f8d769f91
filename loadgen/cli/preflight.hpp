// Preflight: checks, before any connection is opened, that the machine can give the run what it
// asks for, and raises the soft fd limit when that is all it takes. A run that cannot get its
// connections is refused with one line saying what to change, instead of silently running with
// fewer connections than asked (wrk's and ab's most common surprise).
#pragma once

#include <cstdint>
#include <string>

#include "loadgen/cli/options.hpp"

namespace netlab::loadgen {

struct SystemLimits {
  uint64_t fd_soft = 0, fd_hard = 0;
  int port_low = 32768, port_high = 60999;  // net.ipv4.ip_local_port_range
  int somaxconn = 4096;                     // net.core.somaxconn
};

SystemLimits read_system_limits();

struct PreflightResult {
  std::string refusal;        // empty: the run can go ahead
  uint64_t fd_limit_set = 0;  // the soft limit to set (0: leave it)
  int64_t connect_cap = 0;    // most connects in progress at once, over all threads
  std::string note;           // said once at start when something was adjusted
};

// Pure: decides from the options and the limits (unit-tested without touching the system).
PreflightResult plan_preflight(const Options& options, const SystemLimits& limits);
// Reads the limits, applies the plan (setrlimit) and returns it.
PreflightResult run_preflight(const Options& options);

}  // namespace netlab::loadgen
