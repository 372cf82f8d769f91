// Distribution-free two-sample statistics for netlab-gate, exact for the sample sizes benchmarks
// have: Mann–Whitney U (two independent sets of runs) and the Wilcoxon signed-rank test (paired
// A/B runs), each with its Hodges–Lehmann shift estimate and the matching distribution-free
// confidence interval (Moses's for U, Walsh averages for signed ranks), computed the way R's
// wilcox.test(..., conf.int = TRUE) computes them so results can be checked against R.
//
// Everything here is transform-agnostic: the judge passes log(values) for relative metrics so a
// shift becomes a ratio. Null distributions are counted exactly by dynamic programming (doubles:
// only additions of non-negative counts, so no cancellation) up to kExactMannWhitney per side and
// kExactSignedRank pairs; beyond that the normal approximation (continuity-corrected) is used.
// Ties get average ranks but the exact no-ties null distribution, a slight conservative bias that
// matters only for heavily tied data (which the deterministic path handles instead).
#pragma once

#include <vector>

namespace netlab::gate {

inline constexpr int kExactMannWhitney = 100;
inline constexpr int kExactSignedRank = 300;

struct ShiftEstimate {
  double p_value = 1;       // two-sided, against "no shift"
  double estimate = 0;      // Hodges–Lehmann: current minus base (or median Walsh average)
  double ci_low = 0;        // confidence interval of `estimate`
  double ci_high = 0;
  double achieved_confidence = 0;  // the interval's actual coverage (discrete: at least the target)
  bool reaches_confidence = true;  // false: too few samples for any interval at the target
  bool exact = true;               // false: normal approximation
};

// Counts of arrangements giving U = 0..n*m for sizes n and m (they sum to C(n+m, n)).
std::vector<double> mann_whitney_null_counts(int n, int m);
// Counts of subsets of ranks 1..n giving V = 0..n(n+1)/2 (they sum to 2^n).
std::vector<double> signed_rank_null_counts(int n);

// Unpaired: the shift of `current` relative to `base`.
ShiftEstimate mann_whitney(const std::vector<double>& base, const std::vector<double>& current, double confidence);
// Paired: `differences` are current - base per pair.
ShiftEstimate wilcoxon_signed_rank(const std::vector<double>& differences, double confidence);

// The fewest samples per side (equal sizes) / pairs whose interval can reach `confidence`.
int min_samples_mann_whitney(double confidence);
int min_pairs_signed_rank(double confidence);

double median(std::vector<double> values);

}  // namespace netlab::gate
