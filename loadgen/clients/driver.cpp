#include "loadgen/clients/driver.hpp"

#include <stdexcept>

#include "loadgen/clients/chat_driver.hpp"
#include "loadgen/clients/file_driver.hpp"
#include "loadgen/clients/worker.hpp"

namespace netlab::loadgen {

std::unique_ptr<Driver> make_driver(const Options& options, int index, int first, int count) {
  switch (options.proto) {
    case ClientProto::kFile: return std::make_unique<FileDriver>(options, index, first, count);
    case ClientProto::kChat: return std::make_unique<ChatDriver>(options, index, first, count);
    case ClientProto::kEcho:
    case ClientProto::kHttp: break;
  }
  return std::make_unique<Worker>(options, index, first, count);
}

int driver_count(const Options& options) {
  return options.proto == ClientProto::kFile ? options.connections : options.threads;
}

void BasicDriver::run() {
  try {
    setup();
  } catch (const std::exception& e) {
    fatal_ = e.what();
  }
  ready_.store(true, std::memory_order_release);
  go_.wait(false, std::memory_order_acquire);
  if (fatal_.empty()) body();
  finish();
  teardown();
  active_.store(0, std::memory_order_relaxed);
  finished_.store(true, std::memory_order_release);
}

void BasicDriver::start(const Timeline& timeline) {
  timeline_ = timeline;
  next_flush_ = timeline.measure_start_ns;
  go_.store(true, std::memory_order_release);
  go_.notify_one();
}

bool BasicDriver::tick_due(int64_t now, bool hold_last) {
  bool stop = stop_requested();
  if (now >= timeline_.measure_end_ns || stop) {
    over_ = true;
    if (hold_last && !stop) {
      held_ = true;
    } else {
      publish();
    }
    return true;
  }
  publish();
  ++flush_index_;
  next_flush_ = std::min(timeline_.measure_start_ns + flush_index_ * timeline_.interval_ns, timeline_.measure_end_ns);
  return false;
}

void BasicDriver::finish() {
  if (held_) {
    held_ = false;
    publish();
  }
}

void BasicDriver::count_error(ErrorKind kind, int err, const char* detail) {
  auto k = static_cast<size_t>(kind);
  ++metrics_.counters.errors[k];
  metrics_.counters.last_errno[k] = err;
  metrics_.counters.last_detail[k] = detail;
}

void BasicDriver::publish() { mailbox_.publish(metrics_, active_.load(std::memory_order_relaxed)); }

}  // namespace netlab::loadgen
