// At --max-conns an event model closes the connection that has waited quietly the longest (no
// request begun, nothing to send: server::quiet_since) to admit a new one, as nginx reuses idle
// keep-alive connections; only when every connection is busy does the new one get the busy reply.
// Without this, connections that sit idle (10,000 that never send a byte) lock fresh clients out
// until their timeouts pass.
//
// Thread contract: one per event loop, used by its thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <iterator>
#include <utility>

#include "servers/common/request_timer.hpp"

namespace netlab::server {

class QuietestConnection {
 public:
  // When a connection became quiet (max(): busy), then its accept order: the clock is coarse
  // (RequestTimer), so many connections share a tick, and among them the oldest goes first.
  using Key = std::pair<RequestTimer::Clock::time_point, uint64_t>;

  // The connection of `conns` (owning pointers, some null) with the smallest key(conn), or null
  // when every one is busy. After a search that found none, returns null without searching for
  // 100 ms: a flood of connects at the limit must not cost a scan of every connection each.
  template <class Conns, class KeyOf>
  auto* find(const Conns& conns, KeyOf key) {
    const auto* slot = find_item(conns, [&](const auto& conn) { return conn ? key(*conn) : kBusy; });
    decltype(conns.front().get()) quietest = nullptr;
    if (slot != nullptr) quietest = slot->get();
    return quietest;
  }

  // The same search over plain items (an event loop's table of waiting coroutines): the item with
  // the smallest key(item), skipping busy ones (time max()), or null.
  template <class Items, class KeyOf>
  auto* find_item(Items& items, KeyOf key) {
    decltype(&*std::begin(items)) quietest = nullptr;
    auto now = RequestTimer::now();
    if (now < next_search_) return quietest;
    Key best = kBusy;
    for (auto& item : items) {
      Key k = key(item);
      if (k.first != kBusy.first && (quietest == nullptr || k < best)) {
        best = k;
        quietest = &item;
      }
    }
    if (quietest == nullptr) next_search_ = now + std::chrono::milliseconds(100);
    return quietest;
  }

  static constexpr Key kBusy{RequestTimer::Clock::time_point::max(), 0};

 private:
  RequestTimer::Clock::time_point next_search_{};
};

}  // namespace netlab::server
