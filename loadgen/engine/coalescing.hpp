// Coalescing: whether, and how long, a closed-loop worker naps after a batch of answers before it
// looks for the next ones.
//
// Why: a fast client that goes back to epoll_wait after every answer is woken by the server once
// per answer, and on a VM each cross-CPU wake-up costs the *server* an interrupt: against one
// nginx worker at -t 2 -c 50 that held requests/s below wrk's (docs/loadgen.md). A short nap in
// clock_nanosleep instead (no socket wait queue for the server to wake; the timer fires on the
// client's own CPU) lets answers pile up, and one wake-up then takes many of them.
//
// The nap is bounded so it cannot distort much: at most 1/kShare of the running mean service
// time (an answer's timestamp is late by at most ~6% of a typical latency), at most `cap_ns`,
// none below kMinNapNs (a timer that short costs more than it saves), and none with fewer than
// kMinInFlight requests outstanding (one answer to wait for: nothing to gather).
//
// Napping pays when the server is saturated and pays for our wake-ups (nginx: +20-40% req/s); it
// costs when the server is cheap and waits on us (netlab's epoll echo server: -20%). Which one a
// run is cannot be seen from one side of the wire, so Policy::kAuto measures it, as Linux's
// dynamic interrupt moderation does for NICs: it runs in one mode, now and then probes the other
// for one epoch between two epochs of the current one, and switches when the probe's answers/s
// beat the mean of those two neighbours by kWinMargin (a trend in between cancels out). A losing
// probe doubles the wait to the next one (up to kMaxProbeWait epochs), so a settled run spends
// little time in the worse mode.
#pragma once

#include <algorithm>
#include <cstdint>

namespace netlab::loadgen {

class Coalescing {
 public:
  enum class Policy { kOff, kOn, kAuto };

  static constexpr int64_t kMinNapNs = 20'000;
  static constexpr int64_t kMinInFlight = 4;
  static constexpr int kShare = 16;                    // nap = mean service time / kShare
  static constexpr int64_t kEpochNs = 100'000'000;     // auto: one measurement of answers/s
  static constexpr double kWinMargin = 1.03;           // auto: a probe must beat this by 3%
  static constexpr int kMaxProbeWait = 32;             // auto: epochs between probes, at most

  Coalescing(Policy policy, int64_t cap_ns)
      : policy_(cap_ns > 0 ? policy : Policy::kOff), cap_ns_(cap_ns), napping_(policy_ == Policy::kOn) {}

  // One answer and its service time (send to answer). The mean is exponential over about the
  // last 16 answers: cheap per answer, and quick to follow a server that slows down.
  void record_answer(int64_t service_ns) {
    mean_ns_ += (service_ns - mean_ns_) / 16;
    ++answers_;
  }

  // Auto: called every loop iteration; ends an epoch when its time is up.
  void tick(int64_t now) {
    if (policy_ != Policy::kAuto) return;
    if (epoch_end_ == 0) {
      begin_epoch(now);
      return;
    }
    if (now < epoch_end_) return;
    // A rate, not a count: an epoch ends at the first tick past its end, so lengths differ a little.
    end_epoch(static_cast<double>(answers_ - epoch_answers_) * 1e9 / static_cast<double>(now - epoch_start_));
    begin_epoch(now);
  }

  // How long to nap now, with `in_flight` requests outstanding on this worker; 0 = do not.
  int64_t nap_ns(int64_t in_flight) const {
    if (!napping_ || in_flight < kMinInFlight) return 0;
    int64_t nap = std::min(cap_ns_, mean_ns_ / kShare);
    return nap >= kMinNapNs ? nap : 0;
  }

  bool enabled() const { return policy_ != Policy::kOff; }
  bool napping() const { return napping_; }
  int64_t mean_service_ns() const { return mean_ns_; }
  uint64_t switches() const { return switches_; }

 private:
  // Auto's cycle: kSettled for `wait_` epochs, then kBefore (the current mode, measured),
  // kProbe (the other mode), kAfter (the current mode again), then the verdict.
  enum class Phase { kSettled, kBefore, kProbe, kAfter };

  void begin_epoch(int64_t now) {
    epoch_start_ = now;
    epoch_end_ = now + kEpochNs;
    epoch_answers_ = answers_;
  }

  void end_epoch(double answered) {
    switch (phase_) {
      case Phase::kSettled:
        if (++settled_ >= wait_) phase_ = Phase::kBefore;
        return;
      case Phase::kBefore:
        before_ = answered;
        napping_ = !napping_;
        phase_ = Phase::kProbe;
        return;
      case Phase::kProbe:
        probe_ = answered;
        napping_ = !napping_;
        phase_ = Phase::kAfter;
        return;
      case Phase::kAfter: {
        if (probe_ > 0 && probe_ > kWinMargin * (before_ + answered) / 2) {
          napping_ = !napping_;
          ++switches_;
          wait_ = 1;  // check the new mode soon: one good epoch can be luck
        } else {
          wait_ = std::min(wait_ * 2, kMaxProbeWait);
        }
        settled_ = 0;
        phase_ = Phase::kSettled;
        return;
      }
    }
  }

  Policy policy_;
  int64_t cap_ns_;
  bool napping_;
  int64_t mean_ns_ = 0;
  uint64_t answers_ = 0;
  // Auto only.
  Phase phase_ = Phase::kSettled;
  int64_t epoch_start_ = 0, epoch_end_ = 0;
  uint64_t epoch_answers_ = 0;
  int settled_ = 0;
  int wait_ = 1;
  double before_ = 0, probe_ = 0;  // answers per second
  uint64_t switches_ = 0;
};

}  // namespace netlab::loadgen
