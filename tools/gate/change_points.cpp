#include "tools/gate/change_points.hpp"

#include <algorithm>
#include <cmath>

namespace netlab::gate {
namespace {

// splitmix64: a tiny generator whose output is the same with every standard library (the
// distributions of <random> are not), so shuffles and hence p-values are reproducible anywhere.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

void shuffle(std::vector<double>& v, SplitMix& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.next() % i]);  // bias ~ i/2^64
}

struct Split {
  int tau = -1;  // first index of the right side, within the segment
  double q = 0;
};

// The split of `v` with the largest divergence Q, both sides at least `min_size` (>= 2) long.
// O(n^2): within-side sums of distances are built cumulatively, the across sum is the rest.
Split best_split(const std::vector<double>& v, int min_size) {
  const size_t n = v.size();
  std::vector<double> left(n + 1, 0), right(n + 1, 0);  // sums of |x_i - x_j| within [0,t) and [t,n)
  for (size_t t = 1; t <= n; ++t) {
    double add = 0;
    for (size_t i = 0; i + 1 < t; ++i) add += std::fabs(v[i] - v[t - 1]);
    left[t] = left[t - 1] + add;
  }
  for (size_t t = n; t-- > 0;) {
    double add = 0;
    for (size_t j = t + 1; j < n; ++j) add += std::fabs(v[t] - v[j]);
    right[t] = right[t + 1] + add;
  }
  Split best;
  const auto m = static_cast<size_t>(min_size);
  for (size_t t = m; t + m <= n; ++t) {
    double a = static_cast<double>(t), b = static_cast<double>(n - t);
    double across = left[n] - left[t] - right[t];
    double q = a * b / static_cast<double>(n) *
               (2 * across / (a * b) - left[t] / (a * (a - 1) / 2) - right[t] / (b * (b - 1) / 2));
    if (q > best.q) best = {static_cast<int>(t), q};
  }
  return best;
}

// Permutation p-value of `observed`, the best split's Q of `v`. Stops shuffling once p can no
// longer reach the threshold: the answer (keep or not) is the same, and flat series are common.
double permutation_p(std::vector<double> v, double observed, const ChangePointOptions& o, std::uint64_t seed) {
  SplitMix rng(seed);
  const int limit = static_cast<int>(o.p_threshold * (o.permutations + 1));
  int at_least = 0, done = 0;
  for (; done < o.permutations; ++done) {
    shuffle(v, rng);
    if (best_split(v, o.min_segment).q >= observed && ++at_least > limit) {
      ++done;
      break;
    }
  }
  // Stopped early: report the p-value bound reached, which is above the threshold.
  return done < o.permutations ? static_cast<double>(1 + at_least) / (done + 1)
                               : static_cast<double>(1 + at_least) / (o.permutations + 1);
}

double mean(const std::vector<double>& s, int from, int to) {
  double sum = 0;
  for (int i = from; i < to; ++i) sum += s[static_cast<size_t>(i)];
  return to > from ? sum / (to - from) : 0;
}

// Fills mean_before and mean_after from the segments between neighbouring change points.
void fill_means(const std::vector<double>& s, std::vector<ChangePoint>& cps) {
  for (size_t k = 0; k < cps.size(); ++k) {
    int from = k == 0 ? 0 : cps[k - 1].index;
    int to = k + 1 < cps.size() ? cps[k + 1].index : static_cast<int>(s.size());
    cps[k].mean_before = mean(s, from, cps[k].index);
    cps[k].mean_after = mean(s, cps[k].index, to);
  }
}

}  // namespace

std::vector<ChangePoint> find_change_points(const std::vector<double>& series, const ChangePointOptions& options) {
  ChangePointOptions o = options;
  o.min_segment = std::max(o.min_segment, 2);  // Q needs two points per side
  std::vector<ChangePoint> found;
  std::vector<std::pair<int, int>> segments = {{0, static_cast<int>(series.size())}};
  while (true) {
    // The segment whose best split diverges most is tested first (binary segmentation).
    int chosen = -1;
    Split split;
    for (size_t k = 0; k < segments.size(); ++k) {
      auto [from, to] = segments[k];
      if (to - from < 2 * o.min_segment) continue;
      Split s = best_split({series.begin() + from, series.begin() + to}, o.min_segment);
      if (s.q > split.q) split = s, chosen = static_cast<int>(k);
    }
    if (chosen < 0) break;
    auto [from, to] = segments[static_cast<size_t>(chosen)];
    std::uint64_t seed = o.seed ^ (static_cast<std::uint64_t>(from) << 32) ^ static_cast<std::uint64_t>(to);
    double p = permutation_p({series.begin() + from, series.begin() + to}, split.q, o, seed);
    if (p > o.p_threshold) break;
    found.push_back({from + split.tau, 0, 0, p});
    segments[static_cast<size_t>(chosen)] = {from, from + split.tau};
    segments.push_back({from + split.tau, to});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  fill_means(series, found);
  // Significant but too small to matter: drop the smallest first, since dropping one merges two
  // segments and changes its neighbours' means.
  while (o.min_shift > 0 && !found.empty()) {
    auto smallest = std::min_element(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return std::fabs(a.relative_shift()) < std::fabs(b.relative_shift());
    });
    if (std::fabs(smallest->relative_shift()) >= o.min_shift) break;
    found.erase(smallest);
    fill_means(series, found);
  }
  return found;
}

}  // namespace netlab::gate
