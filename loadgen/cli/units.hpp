// Units for people: the human summary and the live line scale their figures as wrk does
// (9.83ms, 1.02s, 12.3k, 4.56 MB). One family throughout: SI bytes (MB = 10^6 bytes), as in
// MB/s. The CSV and JSON keep raw numbers in the units their column names say.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace netlab::loadgen {

// `v` with `digits` decimals; a NaN or infinity prints as 0.
inline std::string fixed(double v, int digits = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, std::isfinite(v) ? v : 0.0);
  return buf;
}

// Microseconds, scaled: 850us, 9.83ms, 1.02s.
inline std::string time_text(uint64_t us) {
  if (us < 1000) return std::to_string(us) + "us";
  if (us < 1'000'000) return fixed(static_cast<double>(us) / 1e3, 2) + "ms";
  return fixed(static_cast<double>(us) / 1e6, 2) + "s";
}
inline std::string time_text(double us) { return time_text(static_cast<uint64_t>(std::llround(std::max(0.0, us)))); }

// A point in time in seconds with no trailing zeros, to the millisecond: 3, 0.1, 2.25.
inline std::string seconds_text(double s) {
  std::string text = fixed(s, 3);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// A count or rate, scaled: 950, 12.3k, 4.56M.
inline std::string count_text(double v) {
  if (v < 100) return fixed(v, v == std::floor(v) ? 0 : 1);
  if (v < 10'000) return fixed(v, 0);
  if (v < 10'000'000) return fixed(v / 1e3, 1) + "k";
  return fixed(v / 1e6, 2) + "M";
}

// Bytes, scaled in SI units: 512 B, 1.5 kB, 23.4 MB, 1.20 GB.
inline std::string bytes_text(uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) v /= 1000, ++u;
  return fixed(v, u == 0 ? 0 : v < 10 ? 2 : 1) + " " + units[u];
}

}  // namespace netlab::loadgen
