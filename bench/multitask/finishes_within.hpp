// For tests of calls that must return: runs `body` on its own thread and says whether it returned
// within `limit`. A body that hangs is left running, detached, with whatever it uses leaked, so the
// test fails with a message instead of hanging until ctest's timeout.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace netlab::bench {

template <class Body>
bool finishes_within(std::chrono::milliseconds limit, Body body) {
  auto done = std::make_shared<std::promise<void>>();
  auto returned = done->get_future();
  std::thread([done, body = std::move(body)]() mutable {
    body();
    done->set_value();
  }).detach();
  return returned.wait_for(limit) == std::future_status::ready;
}

}  // namespace netlab::bench
