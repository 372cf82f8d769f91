// What netlab-gate decides: for every case and gated metric, the samples of both sides, the
// estimated change with its confidence interval, and a verdict. The comparison page, the history
// file and the three text outputs (terminal, Markdown, JSON) all read this one structure.
#pragma once

#include <string>
#include <vector>

namespace netlab::gate {

enum class Verdict { regressed, improved, unchanged, too_noisy, missing };

// "regressed", "improved", "unchanged", "too noisy", "missing"
const char* verdict_name(Verdict v);

struct MetricJudgement {
  std::string case_key;   // the case id without its -rep<n> suffix, e.g. "epoll-echo-c10"
  std::string metric;     // config name: "tps", "p99", "server_syscalls_per_req", ...
  std::string direction;  // "higher" or "lower" is better
  double tolerance = 0;   // relative (0.05 = 5%) unless `absolute`
  bool absolute = false;  // tolerance and change are absolute differences (error rate)
  std::vector<double> base;     // samples, one per repetition (A/B: in pairing order)
  std::vector<double> current;
  double base_median = 0;
  double current_median = 0;
  double change = 0;      // estimate: current/base - 1 (relative) or current - base (absolute)
  double ci_low = 0;      // confidence interval of `change`
  double ci_high = 0;
  double p_value = 1;     // of the test named in `method`; 1 when there is none
  std::string method;     // "mann-whitney", "wilcoxon-paired", "deterministic"
  Verdict verdict = Verdict::too_noisy;
  std::string note;       // why, in a few words, when the verdict needs one
  bool deterministic = false;  // judged as an exact count (no test)
};

struct RunMeta {
  std::string path;     // the run folder or baseline folder
  std::string git_sha;
  std::string date;     // UTC, ISO 8601
  std::string kernel;
  std::string cpu_model;
  std::string suite;
};

struct GateResult {
  std::string mode;  // "compare" (two runs), "ab" (one interleaved run), "check" (run vs baseline)
  RunMeta base;
  RunMeta current;
  double confidence = 0.95;
  std::vector<MetricJudgement> judgements;
  std::vector<std::string> problems;  // what made the comparison unusable (missing cases, bad data)
  std::vector<std::string> notes;     // said, not failed on: a CPU model that differs, a metric left out

  // With it, a timed (non-deterministic) metric too noisy to judge does not make the exit 2: CI's
  // A/B says so loudly instead, while missing cases and noisy exact counts still fail.
  bool tolerate_noise = false;

  // 0 pass, 1 some metric regressed, 2 unusable (problems, a missing case, a metric too noisy).
  int exit_code() const;
};

}  // namespace netlab::gate
