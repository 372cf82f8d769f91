#include "core/util/duration.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace netlab::core {

std::chrono::nanoseconds parse_duration(std::string_view text, BareNumber bare) {
  std::string s(text);
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(s, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("bad duration '" + s + "': expected a number with a unit, like 500ms or 10s");
  }
  if (!std::isfinite(value) || value < 0) {
    throw std::invalid_argument("bad duration '" + s + "': must be a non-negative number");
  }
  std::string unit = s.substr(used);
  double ns_per_unit;
  if (unit.empty()) {
    if (bare == BareNumber::kNeedsUnit && value != 0) {
      throw std::invalid_argument("bad duration '" + s + "': needs a unit: " + s + "us, " + s + "ms, " + s + "s");
    }
    ns_per_unit = 1e9;
  } else if (unit == "ns") {
    ns_per_unit = 1;
  } else if (unit == "us" || unit == "µs") {
    ns_per_unit = 1e3;
  } else if (unit == "ms") {
    ns_per_unit = 1e6;
  } else if (unit == "s") {
    ns_per_unit = 1e9;
  } else if (unit == "m" || unit == "min") {
    ns_per_unit = 60e9;
  } else if (unit == "h") {
    ns_per_unit = 3600e9;
  } else {
    throw std::invalid_argument("bad duration '" + s + "': unknown unit '" + unit +
                                "' (use ns, us, ms, s, m or h)");
  }
  double ns = value * ns_per_unit;
  if (ns > 9e18) {
    throw std::invalid_argument("bad duration '" + s + "': too long");
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(ns)));
}

std::string format_duration(std::chrono::nanoseconds d) {
  struct Unit {
    const char* name;
    int64_t ns;
  };
  static constexpr Unit kUnits[] = {{"h", 3600000000000}, {"m", 60000000000}, {"s", 1000000000},
                                    {"ms", 1000000},      {"us", 1000},        {"ns", 1}};
  int64_t ns = d.count();
  if (ns == 0) {
    return "0s";
  }
  for (const auto& unit : kUnits) {
    if (ns >= unit.ns || unit.ns == 1) {
      char buf[64];
      double v = static_cast<double>(ns) / static_cast<double>(unit.ns);
      std::snprintf(buf, sizeof buf, "%.6g%s", v, unit.name);
      return buf;
    }
  }
  return "0s";
}

}  // namespace netlab::core
