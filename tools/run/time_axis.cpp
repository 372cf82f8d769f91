#include "tools/run/time_axis.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

namespace netlab::run {
namespace {

// 1, 2, 5 µs, 10, 20, 50 µs ... up to 500 s: every tic an axis may carry.
std::vector<double> candidates(bool decades_only) {
  std::vector<double> out;
  for (double decade = 1; decade < 1e9; decade *= 10) {
    out.push_back(decade);
    if (!decades_only) out.push_back(2 * decade), out.push_back(5 * decade);
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

void TimeRange::add(double us) {
  if (!(us > 0) || !std::isfinite(us)) return;
  lo_ = std::min(lo_, us);
  hi_ = std::max(hi_, us);
}

std::string time_label(double us) {
  if (us < 1e3) return number(us) + " µs";
  if (us < 1e6) return number(us / 1e3) + " ms";
  return number(us / 1e6) + " s";
}

std::string time_axis(const TimeRange& range) {
  if (range.empty()) return "";
  const auto tics = candidates(range.hi() / range.lo() > 1000);
  // The last tic at or below the smallest value and the first at or above the largest; a single
  // value on a tic still gets an axis one step long.
  size_t first = 0, last = tics.size() - 1;
  for (size_t i = 0; i < tics.size(); ++i) {
    if (tics[i] <= range.lo() * (1 + 1e-9)) first = i;
  }
  for (size_t i = tics.size(); i-- > 0;) {
    if (tics[i] >= range.hi() * (1 - 1e-9)) last = i;
  }
  if (last <= first) last = std::min(first + 1, tics.size() - 1);
  std::string list;
  for (size_t i = first; i <= last; ++i) {
    list += (list.empty() ? "(" : ", ") + std::string("'") + time_label(tics[i]) + "' " + number(tics[i]);
  }
  return "tlo=" + number(tics[first]) + "; thi=" + number(tics[last]) + "; ttics=\"" + list + ")\"";
}

}  // namespace netlab::run
