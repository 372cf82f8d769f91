// Report: the human summary (stdout), the live line (stderr) and the files a runner reads:
// --csv (one summary row), --timeseries (one row per --interval), --hgrm, --json. Column names and
// order are a contract with netlab-run and are documented in docs/loadgen.md.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "loadgen/cli/options.hpp"
#include "loadgen/clients/metrics.hpp"

namespace netlab::loadgen {

struct RunResult {
  Metrics total;
  double duration_s = 0;
  int64_t connections_established = 0;
  AnswerSpread answers_per_conn;  // echo, HTTP and UDP streams, outside connect mode
  int64_t connections_peak_active = 0;
  double cpu_pct = 0;           // the process's CPU over the measurement, % of one core
  double busiest_thread_pct = 0;
  bool generator_bottleneck = false;
  std::string bottleneck_reason;
  std::string exit_reason = "ok";
  int exit_code = 0;
};

// One measured interval (--interval; a second by default).
struct SecondRow {
  double second = 0;  // the interval's end, in seconds since the measurement began (1, 2, ... at 1 s)
  uint64_t requests = 0;
  double tps = 0;  // answers with a success status, per second (over the interval)
  uint64_t errors = 0;
  uint64_t p50_us = 0, p99_us = 0;
  int64_t connections_active = 0;
  double answers = 0;  // every complete answer per second, whatever its status (the live line)
};

// Derived rates.
double qps(const RunResult& r);
double tps(const RunResult& r);
// Data throughput in MB/s (10^6 bytes): file: verified transfer data; others: bytes received.
double throughput_mbps(const Options& o, const RunResult& r);

// The human summary and the live line (summary.cpp).
void print_summary(std::ostream& out, const Options& o, const RunResult& r);
std::string live_line(const Options& o, const SecondRow& row);
// The last error of `kind`, with its errno's name.
std::string error_description(const Counters& c, size_t kind);

std::string csv_header();
std::string csv_row(const Options& o, const RunResult& r);
std::string timeseries_header();
std::string timeseries_row(const std::string& label, const SecondRow& row);
std::string json_document(const Options& o, const RunResult& r, const std::vector<std::string>& argv);

// Appends `rows` to `path`, writing `header` first when the file is new or empty; "-" is standard
// output (header included). Throws std::runtime_error naming the file when it cannot be written.
void append_with_header(const std::string& path, const std::string& header, const std::string& rows);
void write_file(const std::string& path, const std::string& text);  // "-": standard output
// "netlab-loadgen VERSION (git SHA)", for --version.
std::string version_text();

}  // namespace netlab::loadgen
