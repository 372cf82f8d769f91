// Durations as people type them: "250us", "500ms", "10s", "2m", "1h".
//
// The one rule for a bare number (no unit), in every netlab binary and suite: it means seconds, as
// wrk's -d/--timeout and nginx's timeouts do ("10" is 10 s). Flags whose useful values are well
// under a second (--cpu-work, --io-delay, --think, --coalesce, netlab-chat --wait) take
// BareNumber::kNeedsUnit instead: a bare number other than 0 is refused with the units to choose
// from, so "--cpu-work 50" is never silently 50 seconds of work per request.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace netlab::core {

enum class BareNumber {
  kSeconds,    // "10" is 10 s
  kNeedsUnit,  // "10" is refused ("needs a unit: 10us, 10ms, 10s"); "0" is still 0
};

// Throws std::invalid_argument with a message that names the bad text.
std::chrono::nanoseconds parse_duration(std::string_view text, BareNumber bare = BareNumber::kSeconds);
// Shortest exact form: "1.5s", "250us", "0s".
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace netlab::core
