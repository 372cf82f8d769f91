// Fuzz target: the load generator's HTTP response parser (loadgen/clients/http_response_parser.hpp).
//
// Input: a control byte (read_splitter.hpp), then the bytes a server sends on one connection.
// One parser gets them all in one buffer, another in the cut reads; both must report the same
// events (complete responses with their status and Connection: close, or one bad response) at the
// same stream offsets. Checks the feed() contract on every call: it consumes no more than it was
// given, all of it when it needs more, and at least one byte when it completes (or a caller
// looping on it would spin); statuses are three digits.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/read_splitter.hpp"
#include "loadgen/clients/http_response_parser.hpp"

namespace {

using netlab::loadgen::HttpResponseParser;

struct Event {
  HttpResponseParser::Result result;
  int status;
  bool close;
  size_t offset;  // stream bytes consumed when it happened
  bool operator==(const Event&) const = default;
};

// Feeds one read; appends what happened. Returns false once the stream turned bad.
bool feed(HttpResponseParser& parser, std::string_view read, size_t& offset, std::vector<Event>& events) {
  while (!read.empty()) {
    size_t used = 0;
    auto r = parser.feed(read.data(), read.size(), used);
    FUZZ_CHECK(used <= read.size());
    offset += used;
    read.remove_prefix(used);
    if (r == HttpResponseParser::Result::kNeedMore) {
      FUZZ_CHECK(read.empty());
      return true;
    }
    if (r == HttpResponseParser::Result::kBad) {
      FUZZ_CHECK(parser.error() != nullptr && parser.error()[0] != '\0');
      events.push_back({r, 0, false, offset});
      return false;
    }
    FUZZ_CHECK(used > 0);
    FUZZ_CHECK(parser.status() >= 0 && parser.status() <= 999);
    events.push_back({r, parser.status(), parser.close_after(), offset});
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  netlab::fuzz::ReadSplitter split(data, size);

  HttpResponseParser whole;
  std::vector<Event> whole_events;
  size_t whole_offset = 0;
  feed(whole, split.stream(), whole_offset, whole_events);

  HttpResponseParser cut;
  std::vector<Event> cut_events;
  size_t cut_offset = 0;
  while (!split.done() && feed(cut, split.next(), cut_offset, cut_events)) {
  }
  FUZZ_CHECK(whole_events == cut_events);
  FUZZ_CHECK(whole_offset == cut_offset);
  return 0;
}
