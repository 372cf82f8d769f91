// The chat protocol: the notes' UDP group chat room, one DatagramService per server socket.
//
// Every datagram is one line of text (a trailing "\n" or "\r\n" is ignored).
//   member -> server:  "JOIN <name>" | "MSG <text>" | "LEAVE" | "PING" | "WHO"
//   server -> member:  "<TAG> <text a person reads>", TAG one of
//     OK     answers JOIN, WHO        ("OK welcome alice, 3 members online")
//     ERR    a refusal with a reason  ("ERR name taken: alice")
//     JOIN   someone joined           ("JOIN bob joined")
//     MSG    someone spoke            ("MSG bob: hello")
//     LEAVE  someone left             ("LEAVE bob left", "LEAVE bob left (timed out)")
//     ADMIN  the operator's notice    ("ADMIN [admin] back in 5 minutes")
//     PONG   answers PING
// A member is its source address. Messages and notices go to every other member; joins and leaves
// to everyone else. Members silent for longer than the timeout are dropped ("left (timed out)");
// clients send PING now and then to stay. UDP may lose any datagram: nothing here retries.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <unordered_map>

#include "core/proto/session.hpp"
#include "core/work/workload.hpp"

namespace netlab::proto {

struct ChatOptions {
  std::chrono::seconds timeout{60};  // silence after which a member is dropped
  std::string join_notice;           // sent to each member as they join (ADMIN), when not empty
  size_t max_members = 10000;
  core::Workload workload;           // run once per datagram
};

constexpr size_t kMaxChatName = 32;
constexpr size_t kMaxChatText = 1024;

class ChatService final : public DatagramService {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ChatService(ChatOptions options = {}) : options_(std::move(options)) {}
  void on_datagram(const core::Address& from, std::string_view data, DatagramOut& out) override;
  void on_tick(DatagramOut& out) override;
  void on_admin(std::string_view text, DatagramOut& out) override;

  size_t members() const { return members_.size(); }
  // Tests replace the clock to exercise timeouts without waiting.
  void set_clock(std::function<Clock::time_point()> now) { now_ = std::move(now); }

 private:
  struct AddressHash {
    size_t operator()(const core::Address& a) const;
  };
  struct Member {
    std::string name;
    Clock::time_point last_seen;
  };

  void join(const core::Address& from, std::string_view name, DatagramOut& out);
  void leave(const core::Address& from, std::string_view why, DatagramOut& out);
  void who(const core::Address& from, DatagramOut& out);
  // Sends `line` to every member but `except` (nullptr: everyone).
  void broadcast(std::string_view line, const core::Address* except, DatagramOut& out);

  ChatOptions options_;
  std::function<Clock::time_point()> now_ = [] { return Clock::now(); };
  std::unordered_map<core::Address, Member, AddressHash> members_;
  std::unordered_map<std::string, core::Address> by_name_;
};

// Why `name` cannot be a chat name, or "" when it can: 1-32 letters, digits, '_', '-' or '.'.
std::string_view chat_name_problem(std::string_view name);

}  // namespace netlab::proto
