// Fuzz target: the echo protocol (core/proto/echo.hpp), TCP session and UDP service.
//
// Input: a control byte (read_splitter.hpp), then the bytes a client sends. The session gets them
// in the reads the control byte chooses, with the replies drained in odd pieces between reads, and
// what it sent must be exactly what the protocol says: every complete line back unchanged, until a
// line longer than max_line, which gets one ERR line and a close. The UDP service must return the
// whole stream as one datagram to its sender.
#include <cstdint>
#include <string>

#include "core/net/address.hpp"
#include "core/proto/echo.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/outbox_drain.hpp"
#include "fuzz/read_splitter.hpp"

namespace {

using namespace netlab;

constexpr size_t kMaxLine = 64;  // small, so inputs reach the too-long path easily

// What the session must send for `stream`, and whether it must have closed.
std::string expected_reply(std::string_view stream, bool& closes, bool& partial) {
  const std::string too_long = "ERR line too long (max " + std::to_string(kMaxLine) + " bytes)\n";
  std::string reply;
  closes = false;
  while (!stream.empty()) {
    size_t nl = stream.find('\n');
    size_t content = nl == std::string_view::npos ? stream.size() : nl;
    if (content > kMaxLine) {
      closes = true;
      partial = false;
      return reply + too_long;
    }
    if (nl == std::string_view::npos) {
      partial = true;
      return reply;
    }
    reply.append(stream.substr(0, nl + 1));
    stream.remove_prefix(nl + 1);
  }
  partial = false;
  return reply;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ReadSplitter split(data, size);
  proto::EchoSession session({}, kMaxLine);
  proto::Outbox out;
  std::string sent;
  while (!split.done() && !out.wants_close()) {
    fuzz::feed(session, split.next(), out);
    fuzz::drain_outbox(out, sent, split.drain_budget());
    fuzz::settle(session, out, sent, [&] { return split.drain_budget(); });
  }
  bool closes = false, partial = false;
  std::string expected = expected_reply(split.stream(), closes, partial);
  FUZZ_CHECK(out.wants_close() == closes);
  FUZZ_CHECK(session.partial_request() == partial);
  fuzz::drain_outbox(out, sent);
  FUZZ_CHECK(sent == expected);
  session.on_peer_closed(out);
  FUZZ_CHECK(out.wants_close() && out.empty());

  static const core::Address peer = core::Address::parse("127.0.0.1:40000");
  proto::EchoDatagramService service;
  proto::DatagramOut datagrams;
  service.on_datagram(peer, split.stream(), datagrams);
  FUZZ_CHECK(datagrams.items().size() == 1);
  FUZZ_CHECK(datagrams.items()[0].to == peer && datagrams.items()[0].bytes == split.stream());
  return 0;
}
