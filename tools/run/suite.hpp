// Suite: a scenario file (TOML) and the cases it expands to.
//
// A suite sets defaults at the top level and in [server] and [load]; each [[cases]] table lists
// values for the case dimensions (models, protocols, connections, rates, payloads, cpu_work,
// io_delay) and the cases are the cross product of those lists, one table at a time, so a suite
// narrows a dimension by splitting it across tables. Unknown keys are errors, reported with line
// and column, like every other mistake in the file.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace netlab::run {

struct ServerSettings {
  int workers = 2;
  bool workers_per_connection = false;  // workers = "connections": one worker per client
  int max_conns = 20000;
  std::vector<std::string> extra_args;
};

struct LoadSettings {
  int threads = 1;
  int pipeline = 1;
  std::chrono::nanoseconds timeout = std::chrono::seconds(2);
  std::string path = "/";
  bool new_conn = false;
  std::vector<std::string> extra_args;
};

// Where a value sits in the suite file, for errors found after parsing (line 0: nowhere in it).
struct SourcePosition {
  int64_t line = 0;
  int64_t column = 0;
};

struct Case {
  std::string id;     // unique within the suite, safe as a file name
  std::string group;  // the [[cases]] table's name
  std::string model;
  std::string variant;  // a table's `variant`, e.g. "edge" for epoll with ["--trigger", "edge"]
  // The name a case's model goes by in ids, tables and chart legends: "epoll" or "epoll+edge".
  std::string series() const { return variant.empty() ? model : model + "+" + variant; }
  std::string protocol;
  int connections = 1;
  double rate = 0;  // requests per second in all; 0 = closed loop
  int payload = 16;
  std::chrono::microseconds cpu_work{0};
  std::chrono::microseconds io_delay{0};
  int repetition = 1;
  // What is measured: "timed" (load for the suite's duration), "cost" (only the deterministic
  // per-request costs, cost_probe.hpp) or "both".
  std::string measure = "timed";
  bool timed() const { return measure != "cost"; }
  bool cost() const { return measure != "timed"; }
  // Cost cases: also count instructions under callgrind. The io_uring model takes about half a
  // minute to see its stop signal under valgrind, so a suite may count only its system calls.
  bool count_instructions = true;
  // Which build ran it in an interleaved A/B run ("old" or "new"); empty otherwise.
  std::string build;
  // The name of this case's files and its load generator label: the id, plus the build in A/B runs.
  std::string file_id() const { return build.empty() ? id : id + "." + build; }
  ServerSettings server;
  LoadSettings load;
  SourcePosition model_at, protocol_at;  // the model's and the protocol's entries in the file
};

struct Suite {
  std::string source;  // the file, as errors name it
  std::string name;    // a plain file name: it names the folder under --results
  std::string description;
  std::string source_text;  // the file as read, kept in run.json
  std::chrono::nanoseconds duration = std::chrono::seconds(5);
  std::chrono::nanoseconds warmup = std::chrono::seconds(1);
  std::chrono::nanoseconds settle = std::chrono::seconds(1);
  // One timeseries.csv row per this much of a case (netlab-loadgen --interval): short cases still
  // draw a timeline (a 2 s case at 1 s rows had two points).
  std::chrono::nanoseconds interval = std::chrono::milliseconds(100);
  int repetitions = 1;
  double max_error_rate = 0.01;
  uint64_t cost_requests = 20000;  // requests per cost measurement (the larger of its two runs)
  std::string placement = "shared";  // shared: no pinning; split: server on CPU 0, loadgen on CPU 1
  std::vector<Case> cases;
};

// A mistake in a suite file, with its position.
class SuiteError : public std::runtime_error {
 public:
  SuiteError(const std::string& source, int64_t line, int64_t column, const std::string& message);
};

// Parses TOML text; `source` names it in errors ("scenarios/quick.toml").
Suite parse_suite(const std::string& text, const std::string& source);
Suite load_suite(const std::string& path);

// A case id without its repetition: "epoll-echo-c10-rep3" -> "epoll-echo-c10"; ids without a
// -rep<digits> suffix are kept. What the report's spread table and the gate group samples by.
std::string case_key(const std::string& case_id);

// Keeps only the cases that `filter`, or one of its comma-separated parts, matches (empty keeps
// all): each part is an exact id or a shell glob ("epoll-*", "*-c100", "*-cost"), matched against
// the whole id and against the id without its -rep<n>. Throws std::runtime_error naming a part
// that matches no case (a typo would otherwise run less than meant, silently).
void filter_cases(Suite& suite, const std::string& filter);

}  // namespace netlab::run
