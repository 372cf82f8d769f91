// Durations as people type them: "250us", "500ms", "10s", "2m", "1h"; a bare number uses
// `bare_unit` ("100" with microseconds means 100 µs).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace netlab::core {

// Throws std::invalid_argument with a message that names the bad text.
std::chrono::nanoseconds parse_duration(std::string_view text,
                                        std::chrono::nanoseconds bare_unit = std::chrono::seconds(1));
// Shortest exact form: "1.5s", "250us", "0s".
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace netlab::core
