#include "tools/gate/judge.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "tools/gate/statistics.hpp"
#include "tools/run/suite.hpp"

namespace netlab::gate {
namespace {

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%%", fraction * 100.0);
  return buf;
}

// Spread of one side of a deterministic metric: max/min - 1 (0 when all equal, even at 0).
double spread(const std::vector<double>& v) {
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  if (*hi == *lo) return 0;
  return *lo <= 0 ? INFINITY : *hi / *lo - 1.0;
}

// The rule table, with w = the change oriented so that positive is worse.
void decide(MetricJudgement& j, bool higher_is_better) {
  double w = higher_is_better ? -j.change : j.change;
  double wl = higher_is_better ? -j.ci_high : j.ci_low;
  double wh = higher_is_better ? -j.ci_low : j.ci_high;
  double t = j.tolerance;
  if (wl > 0 && w > t) {
    j.verdict = Verdict::regressed;
  } else if (wh < 0 && w < -t) {
    j.verdict = Verdict::improved;
  } else if (wl >= -t && wh <= t) {
    j.verdict = Verdict::unchanged;
    if (wl > 0 || wh < 0) j.note = "a real change, within tolerance";
  } else if (wl > 0 || wh < 0) {
    // Real, but its size is not pinned down: calling it unchanged because the estimate is small
    // would be a guess about the part of the interval past the tolerance.
    j.verdict = Verdict::too_noisy;
    j.note = "a real change, but its interval reaches beyond the tolerance";
  } else {
    j.verdict = Verdict::too_noisy;
    j.note = "the interval straddles 0 and reaches beyond the tolerance";
  }
}

void judge_deterministic(MetricJudgement& j, const GateConfig& config, bool higher_is_better) {
  j.method = "deterministic";
  double sb = spread(j.base), sc = spread(j.current);
  if (sb > config.max_deterministic_spread || sc > config.max_deterministic_spread) {
    j.verdict = Verdict::too_noisy;
    j.note = "spread " + percent(std::max(sb, sc)) + " on the " + (sb >= sc ? "base" : "current") +
             " side exceeds max_deterministic_spread " + percent(config.max_deterministic_spread);
    return;
  }
  if (j.absolute) {
    j.change = j.current_median - j.base_median;
  } else if (j.base_median != 0) {
    j.change = j.current_median / j.base_median - 1.0;
  } else if (j.current_median == 0) {
    j.change = 0;
  } else {
    j.verdict = Verdict::too_noisy;
    j.note = "base is 0: a relative change is undefined";
    return;
  }
  j.ci_low = j.ci_high = j.change;
  double w = higher_is_better ? -j.change : j.change;
  j.verdict = w > j.tolerance ? Verdict::regressed : (w < -j.tolerance ? Verdict::improved : Verdict::unchanged);
}

void judge_noisy(MetricJudgement& j, bool paired, const GateConfig& config, bool higher_is_better) {
  j.method = paired ? "wilcoxon-paired" : "mann-whitney";
  // Relative metrics are compared as log ratios, so that a shift is a ratio. A value <= 0 has no
  // logarithm; rather than silently switching to an absolute comparison the tolerance was not
  // written for, the metric is reported as unusable.
  auto positive = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return x > 0; });
  };
  if (!j.absolute && (!positive(j.base) || !positive(j.current))) {
    j.verdict = Verdict::too_noisy;
    j.note = "values <= 0: a relative change is undefined";
    return;
  }
  auto t = [&](double x) { return j.absolute ? x : std::log(x); };
  ShiftEstimate s;
  if (paired) {
    std::vector<double> d;
    for (size_t i = 0; i < j.base.size(); ++i) d.push_back(t(j.current[i]) - t(j.base[i]));
    s = wilcoxon_signed_rank(d, config.confidence);
  } else {
    std::vector<double> b, c;
    for (double x : j.base) b.push_back(t(x));
    for (double x : j.current) c.push_back(t(x));
    s = mann_whitney(b, c, config.confidence);
  }
  auto back = [&](double x) { return j.absolute ? x : std::exp(x) - 1.0; };
  j.change = back(s.estimate);
  j.ci_low = back(s.ci_low);
  j.ci_high = back(s.ci_high);
  j.p_value = s.p_value;

  size_t fewest = std::min(j.base.size(), j.current.size());
  int need = paired ? min_pairs_signed_rank(config.confidence) : min_samples_mann_whitney(config.confidence);
  need = std::max(need, config.min_repetitions);
  if (!s.reaches_confidence || fewest < static_cast<size_t>(config.min_repetitions)) {
    j.verdict = Verdict::too_noisy;
    j.note = std::to_string(fewest) + " repetitions cannot reach " + percent(config.confidence) + " confidence; need " +
             std::to_string(need);
    if (s.reaches_confidence) j.note += " (min_repetitions)";
    return;
  }
  decide(j, higher_is_better);
}

}  // namespace

MetricJudgement judge_metric(const MetricSpec& spec, const std::vector<double>& base, const std::vector<double>& current,
                             bool paired, const GateConfig& config) {
  MetricJudgement j;
  j.metric = spec.name;
  j.direction = spec.higher_is_better ? "higher" : "lower";
  j.tolerance = spec.tolerance;
  j.absolute = spec.absolute;
  j.deterministic = spec.deterministic;
  j.base = base;
  j.current = current;
  j.base_median = median(base);
  j.current_median = median(current);
  if (base.empty() || current.empty()) {
    j.verdict = Verdict::too_noisy;
    j.note = std::string("no samples in ") + (base.empty() ? "base" : "current");
    return j;
  }
  if (spec.deterministic) {
    judge_deterministic(j, config, spec.higher_is_better);
  } else {
    judge_noisy(j, paired, config, spec.higher_is_better);
  }
  return j;
}

namespace {

struct CaseRows {
  std::vector<Row> all;
  std::vector<Row> ok;
  std::vector<Row> failed;  // status "failed" (not "interrupted": a cut-short run says nothing of the code)
};

std::map<std::string, CaseRows> by_case(const std::vector<Row>& rows, std::vector<std::string>& order) {
  std::map<std::string, CaseRows> out;
  for (const auto& r : rows) {
    auto it = r.find("case");
    std::string key = run::case_key(it == r.end() ? "" : it->second);
    if (!out.count(key) && std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
    out[key].all.push_back(r);
    auto status = r.find("status");
    if (status != r.end() && status->second == "ok") out[key].ok.push_back(r);
    if (status != r.end() && status->second == "failed") out[key].failed.push_back(r);
  }
  return out;
}

std::string field(const Row& r, const std::string& column) {
  auto it = r.find(column);
  return it == r.end() ? "" : it->second;
}

MetricJudgement case_verdict(const std::string& key, const std::string& metric, Verdict v, std::string note) {
  MetricJudgement j;
  j.case_key = key;
  j.metric = metric;
  j.verdict = v;
  j.note = std::move(note);
  return j;
}

// The samples of one metric; paired, only repetitions present (with a value) on both sides.
void samples(const MetricSpec& spec, const CaseRows& base, const CaseRows& current, bool paired,
             std::vector<double>& b, std::vector<double>& c) {
  if (!paired) {
    for (const auto& r : base.ok) {
      if (auto v = metric_value(r, spec)) b.push_back(*v);
    }
    for (const auto& r : current.ok) {
      if (auto v = metric_value(r, spec)) c.push_back(*v);
    }
    return;
  }
  for (const auto& rb : base.ok) {
    for (const auto& rc : current.ok) {
      if (field(rb, "repetition") != field(rc, "repetition")) continue;
      auto vb = metric_value(rb, spec), vc = metric_value(rc, spec);
      if (vb && vc) {
        b.push_back(*vb);
        c.push_back(*vc);
      }
      break;
    }
  }
}

bool shares_repetition(const CaseRows& base, const CaseRows& current) {
  for (const auto& rb : base.ok) {
    for (const auto& rc : current.ok) {
      if (field(rb, "repetition") == field(rc, "repetition")) return true;
    }
  }
  return false;
}

}  // namespace

GateResult judge_rows(const std::vector<Row>& base, const std::vector<Row>& current, bool paired,
                      const GateConfig& config) {
  GateResult result;
  result.confidence = config.confidence;
  std::vector<std::string> order;
  auto base_cases = by_case(base, order);
  auto current_cases = by_case(current, order);
  const CaseRows none;
  for (const auto& key : order) {
    const CaseRows& b = base_cases.count(key) ? base_cases.at(key) : none;
    const CaseRows& c = current_cases.count(key) ? current_cases.at(key) : none;
    if (!b.ok.empty() && c.ok.empty() && !c.all.empty()) {
      // It ran and failed: that is a regression of the code, not an unusable comparison.
      const Row& failed = c.all.front();
      result.judgements.push_back(case_verdict(key, "status", Verdict::regressed,
                                               field(failed, "status") + ": " + field(failed, "reason")));
      continue;
    }
    if (b.ok.empty() || c.ok.empty()) {
      std::string why = b.ok.empty() && c.ok.empty() ? "no ok rows on either side"
                        : b.ok.empty()               ? (b.all.empty() ? "absent from base" : "no ok rows in base")
                                                     : "absent from current";
      result.judgements.push_back(case_verdict(key, "case", Verdict::missing, why));
      result.problems.push_back("case " + key + ": " + why);
      continue;
    }
    if (c.failed.size() > b.failed.size()) {
      // Some repetitions failed where the base failed fewer: the samples left would hide it.
      const Row& failed = c.failed.front();
      result.judgements.push_back(case_verdict(
          key, "status", Verdict::regressed,
          std::to_string(c.failed.size()) + " of " + std::to_string(c.all.size()) + " repetitions failed (base: " +
              std::to_string(b.failed.size()) + "), first: " + field(failed, "reason")));
    }
    if (paired && !shares_repetition(b, c)) {
      result.judgements.push_back(case_verdict(key, "case", Verdict::missing, "no repetition on both sides to pair"));
      result.problems.push_back("case " + key + ": no repetition appears in both builds");
      continue;
    }
    for (const auto& spec : config.metrics) {
      std::vector<double> bv, cv;
      try {
        samples(spec, b, c, paired, bv, cv);
      } catch (const std::exception& e) {
        result.problems.push_back("case " + key + ", metric " + spec.name + ": " + e.what());
        continue;
      }
      if (bv.empty() && cv.empty()) continue;  // not measured in either run: nothing to judge
      MetricJudgement j = judge_metric(spec, bv, cv, paired, config);
      j.case_key = key;
      result.judgements.push_back(std::move(j));
    }
  }
  return result;
}

}  // namespace netlab::gate
