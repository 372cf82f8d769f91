// Change points in a metric's history: where did the series shift to a new level, and how sure
// are we it is not noise? The method is E-divisive means (Matteson & James 2014), the one Apache
// Otava (formerly Hunter, MongoDB's and DataStax's regression finder) uses on benchmark history:
//   - the divergence of a split at tau is Q(tau) = (t(n-t)/n) * (2*mean|x_i - x_j| across the
//     split - mean|x_i - x_k| within the left - mean|x_j - x_l| within the right); it is large when
//     the two sides differ in distribution, with no assumption of normality;
//   - binary segmentation: split the segment with the largest Q, then look again in each part;
//   - each split must pass a permutation test: shuffle the segment's values `permutations` times,
//     p = (1 + #{shuffled max Q >= observed}) / (permutations + 1); stop at the first split with
//     p > p_threshold.
// Deterministic: the shuffles come from a fixed-seed generator, reseeded per segment, so the same
// series always gives the same answer (a history page must not flicker between runs).
#pragma once

#include <cstdint>
#include <vector>

namespace netlab::gate {

struct ChangePointOptions {
  int min_segment = 4;         // points on each side of a change; series shorter than 2x give none
  double p_threshold = 0.01;   // a split is kept when its permutation p-value is at most this
  int permutations = 499;      // shuffles per test: the smallest p reachable is 1/(permutations+1)
  double min_shift = 0;        // drop change points whose |mean_after/mean_before - 1| is smaller
  std::uint64_t seed = 0x6e65746c6162ULL;  // "netlab"
};

struct ChangePoint {
  int index = 0;           // first point of the new level
  double mean_before = 0;  // mean of the segment ending at index - 1 (from the previous change point)
  double mean_after = 0;   // mean of the segment starting at index (to the next change point)
  double p_value = 1;      // of the permutation test that accepted the split

  // mean_after/mean_before - 1; 0 when mean_before is 0.
  double relative_shift() const { return mean_before != 0 ? mean_after / mean_before - 1 : 0; }
};

// Change points of `series`, in index order.
std::vector<ChangePoint> find_change_points(const std::vector<double>& series, const ChangePointOptions& options = {});

}  // namespace netlab::gate
