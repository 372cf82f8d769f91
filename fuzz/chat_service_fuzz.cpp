// Fuzz target: the UDP chat room (core/proto/chat.hpp), one service seeing eight peers.
//
// Input: records of [control][length][length bytes]. control % 8 picks the peer (four IPv4, four
// IPv6 addresses); control / 8 % 8 picks the event: 0-4 a datagram from that peer, 5 the clock
// moving on by <length> seconds then a tick, 6 an operator's notice, 7 a clock jump past the
// timeout then a tick. Checks, after every event:
//   - datagrams go only to the eight peers, each a single printable line (no control bytes: no
//     member can forge a line or a terminal escape for another) of bounded size;
//   - a stranger's datagram gets exactly one short answer (no amplification through spoofing);
//   - one datagram makes at most one answer plus one notice per member;
//   - the room never exceeds its size, and a clock jump past the timeout empties it.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/net/address.hpp"
#include "core/proto/chat.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using namespace netlab;
using Clock = proto::ChatService::Clock;

constexpr size_t kMaxMembers = 5;  // small, so "room full" is reached
constexpr auto kTimeout = std::chrono::seconds(30);

const std::vector<core::Address>& peers() {
  static const std::vector<core::Address> all = {
      core::Address::parse("127.0.0.1:5000"), core::Address::parse("127.0.0.1:5001"),
      core::Address::parse("127.0.0.2:5000"), core::Address::parse("10.1.2.3:65535"),
      core::Address::parse("[::1]:5000"),     core::Address::parse("[::1]:5001"),
      core::Address::parse("[fe80::1]:1"),    core::Address::parse("[2001:db8::7]:5000")};
  return all;
}

void check_sent(proto::DatagramOut& out) {
  for (const auto& d : out.items()) {
    bool known = false;
    for (const auto& p : peers()) known = known || d.to == p;
    FUZZ_CHECK(known);
    FUZZ_CHECK(!d.bytes.empty() && d.bytes.size() <= 1300);
    for (char c : d.bytes) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Clock::time_point now{std::chrono::hours(1000)};
  proto::ChatOptions options;
  options.timeout = kTimeout;
  options.max_members = kMaxMembers;
  options.join_notice = "be nice\x1b[2J";  // the control bytes must be cleaned on the way out
  proto::ChatService service(options);
  service.set_clock([&now] { return now; });

  size_t at = 0;
  while (at + 2 <= size) {
    uint8_t control = data[at];
    size_t len = data[at + 1];
    at += 2;
    len = len < size - at ? len : size - at;
    std::string_view bytes(reinterpret_cast<const char*>(data) + at, len);
    at += len;
    const core::Address& from = peers()[control % 8];
    proto::DatagramOut out;
    switch (control / 8 % 8) {
      case 5:
        now += std::chrono::seconds(len);
        service.on_tick(out);
        break;
      case 6:
        service.on_admin(bytes, out);
        FUZZ_CHECK(out.items().size() <= service.members());
        break;
      case 7:
        now += kTimeout + std::chrono::seconds(1);
        service.on_tick(out);
        FUZZ_CHECK(service.members() == 0);
        break;
      default: {
        const size_t before = service.members();
        service.on_datagram(from, bytes, out);
        if (before == 0 && service.members() == 0) {
          FUZZ_CHECK(out.items().size() == 1 && out.items()[0].to == from);
        }
        FUZZ_CHECK(out.items().size() <= before + 2);
        break;
      }
    }
    check_sent(out);
    FUZZ_CHECK(service.members() <= kMaxMembers);
  }
  return 0;
}
