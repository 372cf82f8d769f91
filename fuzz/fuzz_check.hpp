// FUZZ_CHECK: a property every input must keep. Unlike assert() it stays on in every build type
// (the fuzz and default presets define NDEBUG or optimise), and it aborts, which libFuzzer
// reports as a crash with the input saved and the replay main turns into a failed test.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                       \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);      \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)
