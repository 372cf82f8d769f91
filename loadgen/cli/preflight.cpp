#include "loadgen/cli/preflight.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>

namespace netlab::loadgen {
namespace {

constexpr uint64_t kSpareFds = 64;  // epoll, output files, stdio, threads' own needs

}  // namespace

SystemLimits read_system_limits() {
  SystemLimits limits;
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    limits.fd_soft = rl.rlim_cur;
    limits.fd_hard = rl.rlim_max;
  }
  std::ifstream ports("/proc/sys/net/ipv4/ip_local_port_range");
  ports >> limits.port_low >> limits.port_high;
  std::ifstream somaxconn("/proc/sys/net/core/somaxconn");
  somaxconn >> limits.somaxconn;
  return limits;
}

PreflightResult plan_preflight(const Options& o, const SystemLimits& limits) {
  PreflightResult plan;
  auto conns = static_cast<uint64_t>(o.connections);
  uint64_t need = conns + kSpareFds + static_cast<uint64_t>(o.threads);
  if (need > limits.fd_hard) {
    plan.refusal = std::to_string(o.connections) + " connections need " + std::to_string(need) +
                   " open files but the hard limit (RLIMIT_NOFILE) is " + std::to_string(limits.fd_hard) +
                   ": run several load generator processes with fewer connections each";
    return plan;
  }
  if (need > limits.fd_soft) plan.fd_limit_set = need;
  // Every TCP connection to one target needs its own local port per source address. In connect
  // mode ports are recycled through TIME_WAIT (tcp_tw_reuse), so only the concurrent ones count.
  if (o.transport == Transport::kTcp) {
    uint64_t sources = std::max<size_t>(1, o.sources.size());
    uint64_t per_source = (conns + sources - 1) / sources;
    auto range = static_cast<uint64_t>(std::max(0, limits.port_high - limits.port_low + 1));
    if (per_source > range) {
      uint64_t needed_sources = (conns + range - 1) / range;
      plan.refusal = std::to_string(o.connections) + " connections from " + std::to_string(sources) +
                     " source address(es) need " + std::to_string(per_source) +
                     " local ports each but the ephemeral range " + std::to_string(limits.port_low) + "-" +
                     std::to_string(limits.port_high) + " has " + std::to_string(range) + ": use --source with at least " +
                     std::to_string(needed_sources) + " addresses (e.g. --source 127.0.0.1-127.0.0." +
                     std::to_string(needed_sources) + ")";
      return plan;
    }
  }
  // More SYNs at once than the listen queue holds are dropped and retried after a second, which
  // would show up as a 1 s latency spike of our own making: keep the connects in progress at
  // half of somaxconn (the most any server's backlog can be).
  plan.connect_cap = std::max<int64_t>(1, limits.somaxconn / 2);
  if (o.connections > plan.connect_cap && o.ramp == 0 && o.mode != Mode::kConnect) {
    plan.note = "connecting at most " + std::to_string(plan.connect_cap) +
                " at a time (half of net.core.somaxconn = " + std::to_string(limits.somaxconn) + ")";
  }
  return plan;
}

PreflightResult run_preflight(const Options& o) {
  SystemLimits limits = read_system_limits();
  PreflightResult plan = plan_preflight(o, limits);
  if (plan.refusal.empty() && plan.fd_limit_set > 0) {
    rlimit rl{plan.fd_limit_set, limits.fd_hard};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
      plan.refusal = "cannot raise the open file limit to " + std::to_string(plan.fd_limit_set);
    }
  }
  return plan;
}

}  // namespace netlab::loadgen
