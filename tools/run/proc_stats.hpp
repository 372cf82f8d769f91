// What the kernel says about a server while it runs: CPU time, memory, threads and processes of
// its whole process group (fork and prefork children count), and the machine's socket memory.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace netlab::run {

struct GroupSample {
  double cpu_seconds = 0;  // user+sys of live members (ns precision), plus what reaped children left the leader (ticks)
  uint64_t pss_kb = 0;     // proportional set size summed over members (shared pages split fairly)
  uint64_t rss_kb = 0;     // resident set size summed (overcounts shared pages; kept for contrast)
  int threads = 0;
  int processes = 0;
};

// Reads /proc for every process whose process group is `pgid`; `leader` is the group's first
// process, whose cutime/cstime hold the CPU of children it already reaped.
GroupSample sample_group(pid_t pgid, pid_t leader, bool with_memory = true);

struct SockStat {
  int64_t tcp_inuse = 0;
  int64_t tcp_time_wait = 0;
  int64_t tcp_mem_kb = 0;  // kernel socket buffer memory, all TCP sockets
  int64_t udp_mem_kb = 0;
};

SockStat read_sockstat();

}  // namespace netlab::run
