// ChatDriver: this thread's members of a --proto chat run. Each member is a connected UDP socket
// that JOINs the room under a unique name before the clock starts; the members send MSG at --rate
// in aggregate (open loop, round robin), each message carrying the sender's number, a sequence
// number and its intended and actual send times. Every member receives every other member's
// messages, so one message sent during the measurement is expected connections - 1 times.
//
// Per receipt: latency from the intended send (fan-out delivery latency, coordinated omission
// corrected), service time from the actual send; duplicates are found with a 64-message window per
// (receiver, sender) pair. After the measurement no message is sent and receipts are still counted
// for a grace period of min(--timeout, 1 s); what has not arrived by then is lost (the main thread
// computes expected - delivered). Members LEAVE at the end.
#pragma once

#include <string>
#include <vector>

#include "loadgen/clients/driver.hpp"
#include "loadgen/engine/epoll_waiter.hpp"
#include "loadgen/engine/pacing.hpp"

namespace netlab::loadgen {

class ChatDriver final : public BasicDriver {
 public:
  ChatDriver(const Options& options, int index, int first, int count);
  ~ChatDriver() override;
  ChatDriver(const ChatDriver&) = delete;
  ChatDriver& operator=(const ChatDriver&) = delete;

 private:
  struct Seen {  // a sliding window over one sender's sequence numbers, as in IPsec anti-replay
    uint64_t top = 0;   // highest sequence number seen + 1 (0: none yet)
    uint64_t mask = 0;  // bit k: top - 1 - k was seen
  };
  enum class Receipt { kNew, kDuplicate, kTooOld };

  void setup() override;
  void body() override;
  void teardown() override;

  void send_message(uint32_t member, int64_t intended, int64_t now);
  void send_line(uint32_t member, const std::string& line);
  void receive(uint32_t member);  // drains its socket
  void on_line(uint32_t member, const char* data, size_t len, int64_t now);
  Receipt mark(uint32_t member, uint64_t sender, uint64_t seq);
  std::string name_of(uint64_t global) const;
  bool in_window(int64_t t) const { return t >= timeline_.measure_start_ns && t < timeline_.measure_end_ns; }

  const int first_;
  const uint64_t members_total_;
  std::string prefix_;  // names are prefix_ + global member number
  std::vector<int> fds_;
  std::vector<uint64_t> next_seq_;
  std::vector<Seen> seen_;  // [receiver * members_total_ + sender]
  std::vector<char> buffer_;
  std::vector<char> line_;  // the outgoing MSG, written in place
  RateSchedule rate_;
  uint32_t next_sender_ = 0;
  int epoll_fd_ = -1;
  EpollWaiter waiter_;
};

}  // namespace netlab::loadgen
