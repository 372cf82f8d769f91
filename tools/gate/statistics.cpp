#include "tools/gate/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace netlab::gate {
namespace {

// A null distribution over the integers 0..max: its two tails. Exact tails are summed from the
// counts directly (not 1 - cdf) so that tiny upper-tail probabilities keep their precision.
struct Null {
  long max = 0;
  std::function<double(long)> at_most;   // P(X <= k)
  std::function<double(long)> at_least;  // P(X >= k)
};

Null exact_null(std::vector<double> counts) {
  double total = 0;
  for (double c : counts) total += c;
  std::vector<double> prefix(counts.size()), suffix(counts.size());
  double run = 0;
  for (size_t i = 0; i < counts.size(); ++i) prefix[i] = (run += counts[i]) / total;
  run = 0;
  for (size_t i = counts.size(); i-- > 0;) suffix[i] = (run += counts[i]) / total;
  long max = static_cast<long>(counts.size()) - 1;
  return {max,
          [prefix, max](long k) { return k < 0 ? 0.0 : prefix[static_cast<size_t>(std::min(k, max))]; },
          [suffix, max](long k) { return k > max ? 0.0 : suffix[static_cast<size_t>(std::max(k, 0L))]; }};
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Continuity-corrected normal approximation of a discrete symmetric statistic.
Null normal_null(long max, double mean, double variance) {
  double sd = std::sqrt(variance);
  return {max, [=](long k) { return k < 0 ? 0.0 : normal_cdf((static_cast<double>(k) + 0.5 - mean) / sd); },
          [=](long k) { return k > max ? 0.0 : 1.0 - normal_cdf((static_cast<double>(k) - 0.5 - mean) / sd); }};
}

// Two-sided p-value of a statistic that may be a half-integer (ties).
double two_sided_p(const Null& null, double statistic) {
  double lower = null.at_most(static_cast<long>(std::floor(statistic)));
  double upper = null.at_least(static_cast<long>(std::ceil(statistic)));
  return std::min(1.0, 2.0 * std::min(lower, upper));
}

// The interval [D(k), D(N+1-k)] of the sorted candidate shifts, k the smallest rank whose lower
// tail reaches alpha/2 (R's qwilcox / qsignrank); k = 0 means no interval reaches the confidence.
void interval(const Null& null, const std::vector<double>& sorted, double confidence, ShiftEstimate& out) {
  double half_alpha = (1.0 - confidence) / 2.0;
  long lo = 0, hi = null.max;
  while (lo < hi) {
    long mid = (lo + hi) / 2;
    if (null.at_most(mid) >= half_alpha) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  long k = lo;
  if (k == 0) {
    out.reaches_confidence = false;
    k = 1;
  }
  auto n = static_cast<long>(sorted.size());
  k = std::min(k, n);
  out.ci_low = sorted[static_cast<size_t>(k - 1)];
  out.ci_high = sorted[static_cast<size_t>(n - k)];
  out.achieved_confidence = 1.0 - 2.0 * null.at_most(k - 1);
}

// Average ranks (1-based) of `values`.
std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> r(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    double average = static_cast<double>(i + j) / 2.0 + 1.0;
    for (size_t t = i; t <= j; ++t) r[order[t]] = average;
    i = j + 1;
  }
  return r;
}

}  // namespace

// f(n, m, u) = f(n-1, m, u-m) + f(n, m-1, u): the largest of all n+m values is either one of the
// n (then it beats all m others) or one of the m. Rolled over n; row[j] holds f(i, j, .).
std::vector<double> mann_whitney_null_counts(int n, int m) {
  if (n > m) std::swap(n, m);
  auto n_u = static_cast<size_t>(n), m_u = static_cast<size_t>(m);
  std::vector<std::vector<double>> prev(m_u + 1, std::vector<double>{1.0});  // i = 0: only U = 0
  for (size_t i = 1; i <= n_u; ++i) {
    std::vector<std::vector<double>> row(m_u + 1);
    row[0] = {1.0};
    for (size_t j = 1; j <= m_u; ++j) {
      row[j].assign(i * j + 1, 0.0);
      for (size_t u = 0; u < prev[j].size(); ++u) row[j][u + j] += prev[j][u];
      for (size_t u = 0; u < row[j - 1].size(); ++u) row[j][u] += row[j - 1][u];
    }
    prev = std::move(row);
  }
  return prev[m_u];
}

std::vector<double> signed_rank_null_counts(int n) {
  auto n_u = static_cast<size_t>(std::max(n, 0));
  std::vector<double> counts(n_u * (n_u + 1) / 2 + 1, 0.0);
  counts[0] = 1.0;
  for (size_t r = 1; r <= n_u; ++r) {
    for (size_t v = counts.size() - 1; v >= r; --v) counts[v] += counts[v - r];
  }
  return counts;
}

ShiftEstimate mann_whitney(const std::vector<double>& base, const std::vector<double>& current, double confidence) {
  ShiftEstimate out;
  if (base.empty() || current.empty()) {
    out.reaches_confidence = false;
    return out;
  }
  std::vector<double> diffs;
  diffs.reserve(base.size() * current.size());
  double u = 0;
  for (double b : base) {
    for (double c : current) {
      diffs.push_back(c - b);
      u += c > b ? 1.0 : (c == b ? 0.5 : 0.0);
    }
  }
  std::sort(diffs.begin(), diffs.end());
  int n = static_cast<int>(base.size()), m = static_cast<int>(current.size());
  double nm = static_cast<double>(n) * m;
  out.exact = n <= kExactMannWhitney && m <= kExactMannWhitney;
  Null null = out.exact ? exact_null(mann_whitney_null_counts(n, m))
                        : normal_null(static_cast<long>(nm), nm / 2.0, nm * (n + m + 1) / 12.0);
  out.p_value = two_sided_p(null, u);
  out.estimate = median(diffs);
  interval(null, diffs, confidence, out);
  return out;
}

ShiftEstimate wilcoxon_signed_rank(const std::vector<double>& differences, double confidence) {
  ShiftEstimate out;
  if (differences.empty()) {
    out.reaches_confidence = false;
    return out;
  }
  // The test drops zero differences (they carry no sign); the interval uses every pair.
  std::vector<double> nonzero, magnitudes;
  for (double d : differences) {
    if (d != 0) {
      nonzero.push_back(d);
      magnitudes.push_back(std::fabs(d));
    }
  }
  auto null_for = [](size_t pairs) {
    auto n = static_cast<double>(pairs);
    return pairs <= static_cast<size_t>(kExactSignedRank)
               ? exact_null(signed_rank_null_counts(static_cast<int>(pairs)))
               : normal_null(static_cast<long>(n * (n + 1) / 2), n * (n + 1) / 4, n * (n + 1) * (2 * n + 1) / 24);
  };
  if (!nonzero.empty()) {
    auto r = ranks(magnitudes);
    double v = 0;
    for (size_t i = 0; i < nonzero.size(); ++i) v += nonzero[i] > 0 ? r[i] : 0.0;
    out.p_value = two_sided_p(null_for(nonzero.size()), v);
  }
  std::vector<double> walsh;
  for (size_t i = 0; i < differences.size(); ++i) {
    for (size_t j = i; j < differences.size(); ++j) walsh.push_back((differences[i] + differences[j]) / 2.0);
  }
  std::sort(walsh.begin(), walsh.end());
  out.exact = differences.size() <= static_cast<size_t>(kExactSignedRank);
  out.estimate = median(walsh);
  interval(null_for(differences.size()), walsh, confidence, out);
  return out;
}

// The smallest interval needs P(U = 0) = 1 / C(2M, M) below alpha/2.
int min_samples_mann_whitney(double confidence) {
  double half_alpha = (1.0 - confidence) / 2.0;
  for (int m = 1;; ++m) {
    double choose = 1;
    for (int i = 1; i <= m; ++i) choose = choose * (m + i) / i;
    if (1.0 / choose < half_alpha) return m;
  }
}

// P(V = 0) = 2^-n below alpha/2.
int min_pairs_signed_rank(double confidence) {
  double half_alpha = (1.0 - confidence) / 2.0;
  int n = 1;
  while (std::ldexp(1.0, -n) >= half_alpha) ++n;
  return n;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

}  // namespace netlab::gate
