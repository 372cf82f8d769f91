// StalledClients: the count of connections an event model closed because their client stopped
// reading (queued output made no progress for --send-timeout), and the one rule for logging them:
// the first ten, then the 100th, 1000th, ..., so the log stays readable when thousands of clients
// misbehave. Every event model (EventLoop, coroutines, io_uring) counts through it.
//
// Thread contract: one per loop thread.
#pragma once

#include <cstdint>
#include <string>

#include "servers/common/server.hpp"

namespace netlab::server {

class StalledClients {
 public:
  // `label` prefixes the log lines ("" or "reactor 2: ").
  explicit StalledClients(const ServerContext& ctx, std::string label = {}) : ctx_(ctx), label_(std::move(label)) {}

  // One more connection closed with `unsent` bytes still queued.
  void closed(uint64_t unsent);
  uint64_t count() const { return count_; }

  // 1, 2, ... 10, then 100, 1000, ...
  static bool worth_logging(uint64_t count);

 private:
  const ServerContext& ctx_;
  std::string label_;
  uint64_t count_ = 0;
};

}  // namespace netlab::server
