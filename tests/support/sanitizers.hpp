// Whether this test binary runs under a sanitizer. Behavioural deadlines the issues set (a server
// stops "within a second") hold for the real build; instrumented binaries on a loaded 2-core
// machine get a wider budget, so a sanitizer run reports memory and thread bugs, not slowness.
#pragma once

#include <chrono>

namespace netlab::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// The "within a second" deadline for a clean stop.
inline constexpr std::chrono::milliseconds kStopDeadline{kSanitized ? 3000 : 1000};

}  // namespace netlab::test
