#include "tools/run/proc_stats.hpp"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace netlab::run {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// /proc/<pid>/stat fields after the ")" that ends the command name, split by spaces: index 0 is
// field 3 (state) of proc(5).
std::vector<std::string> stat_fields(const std::string& text) {
  std::vector<std::string> fields;
  auto close = text.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream in(text.substr(close + 2));
  std::string f;
  while (in >> f) fields.push_back(f);
  return fields;
}

uint64_t kb_field(const std::string& text, const std::string& name) {
  auto at = text.find(name);
  if (at == std::string::npos) return 0;
  return std::stoull(text.substr(at + name.size()));
}

// CPU time of a whole process (every thread), to the nanosecond: /proc's utime and stime count in
// 10 ms ticks, 5% of a second-long case's 0.2 s. Falls back to the ticks if the clock is refused.
double process_cpu_seconds(pid_t pid, double ticks_fallback) {
  clockid_t clock;
  timespec ts{};
  if (clock_getcpuclockid(pid, &clock) == 0 && clock_gettime(clock, &ts) == 0) {
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  return ticks_fallback;
}

}  // namespace

GroupSample sample_group(pid_t pgid, pid_t leader, bool with_memory) {
  GroupSample s;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  DIR* proc = opendir("/proc");
  if (!proc) return s;
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::string dir = std::string("/proc/") + e->d_name;
    auto f = stat_fields(read_all(dir + "/stat"));
    // proc(5): field 5 pgrp, 14 utime, 15 stime, 16 cutime, 17 cstime, 20 num_threads.
    if (f.size() < 18 || std::stol(f[2]) != pgid) continue;
    if (f[0] == "Z") continue;  // a zombie's CPU shows up in its parent's cutime once reaped
    const pid_t pid = static_cast<pid_t>(std::stol(e->d_name));
    s.cpu_seconds += process_cpu_seconds(pid, (std::stod(f[11]) + std::stod(f[12])) / ticks);
    if (pid == leader) s.cpu_seconds += (std::stod(f[13]) + std::stod(f[14])) / ticks;
    s.threads += std::stoi(f[17]);
    s.processes += 1;
    if (with_memory) {
      std::string rollup = read_all(dir + "/smaps_rollup");
      s.pss_kb += kb_field(rollup, "\nPss:");
      s.rss_kb += kb_field(rollup, "Rss:");
    }
  }
  closedir(proc);
  return s;
}

SockStat read_sockstat() {
  SockStat s;
  const int64_t page_kb = sysconf(_SC_PAGESIZE) / 1024;
  std::istringstream in(read_all("/proc/net/sockstat"));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string proto, key;
    words >> proto;
    int64_t value;
    while (words >> key >> value) {
      if (proto == "TCP:" && key == "inuse") s.tcp_inuse = value;
      if (proto == "TCP:" && key == "tw") s.tcp_time_wait = value;
      if (proto == "TCP:" && key == "mem") s.tcp_mem_kb = value * page_kb;
      if (proto == "UDP:" && key == "mem") s.udp_mem_kb = value * page_kb;
    }
  }
  return s;
}

}  // namespace netlab::run
