// The verdicts: one MetricJudgement per case and metric, from two sets of summary.csv rows. Never
// guesses: a change counts only when its confidence interval says so, and whatever cannot be
// decided (too few repetitions, an interval straddling the tolerance, a missing case) is reported
// as such, which makes the gate exit 2 rather than pass.
#pragma once

#include <vector>

#include "tools/gate/config.hpp"
#include "tools/gate/judgement.hpp"
#include "tools/gate/run_data.hpp"

namespace netlab::gate {

// One metric from its samples. Paired: base[i] and current[i] ran next to each other (A/B).
// Sets every field but case_key.
MetricJudgement judge_metric(const MetricSpec& spec, const std::vector<double>& base, const std::vector<double>& current,
                             bool paired, const GateConfig& config);

// Every case and metric. Only rows with status ok are samples; paired rows are matched by their
// repetition column. Fills judgements, problems and confidence (not mode or metadata).
GateResult judge_rows(const std::vector<Row>& base, const std::vector<Row>& current, bool paired,
                      const GateConfig& config);

}  // namespace netlab::gate
