#include "tools/gate/judgement.hpp"

namespace netlab::gate {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::regressed: return "regressed";
    case Verdict::improved: return "improved";
    case Verdict::unchanged: return "unchanged";
    case Verdict::too_noisy: return "too noisy";
    case Verdict::missing: return "missing";
  }
  return "?";
}

// Problems outrank a regression: when the comparison itself is unusable, a regression found in
// what remains is not the whole story, so the caller must look (2) rather than fix code (1).
int GateResult::exit_code() const {
  if (!problems.empty()) return 2;
  bool unusable = false;
  for (const auto& j : judgements) {
    if (j.verdict == Verdict::regressed) return 1;
    bool excused = tolerate_noise && j.verdict == Verdict::too_noisy && !j.deterministic;
    if ((j.verdict == Verdict::too_noisy && !excused) || j.verdict == Verdict::missing) unusable = true;
  }
  return unusable ? 2 : 0;
}

}  // namespace netlab::gate
