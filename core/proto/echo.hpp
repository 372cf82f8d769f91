// The echo protocol.
//   TCP: every newline-terminated line comes back unchanged, newline included. Lines may arrive split
//        across reads or several in one read. A line longer than max_line without a newline gets
//        "ERR line too long (max N bytes)\n" and the connection closes: no unbounded buffering.
//   UDP: every datagram comes back unchanged to its sender.
// The workload runs once per line (TCP) or datagram (UDP).
#pragma once

#include <cstddef>
#include <string>

#include "core/proto/session.hpp"
#include "core/work/workload.hpp"

namespace netlab::proto {

constexpr size_t kDefaultMaxLine = 64 * 1024;

class EchoSession final : public Session {
 public:
  explicit EchoSession(core::Workload workload = {}, size_t max_line = kDefaultMaxLine)
      : workload_(workload), max_line_(max_line) {}
  void on_bytes(std::string_view data, Outbox& out) override;
  bool partial_request() const override { return !partial_.empty(); }

 private:
  core::Workload workload_;
  size_t max_line_;
  std::string partial_;  // the start of a line whose newline has not arrived yet
  bool failed_ = false;
};

class EchoDatagramService final : public DatagramService {
 public:
  explicit EchoDatagramService(core::Workload workload = {}) : workload_(workload) {}
  void on_datagram(const core::Address& from, std::string_view data, DatagramOut& out) override;

 private:
  core::Workload workload_;
};

}  // namespace netlab::proto
