#include "loadgen/options.hpp"

#include <stdexcept>

#include "core/util/duration.hpp"

namespace netlab::loadgen {
namespace {

int64_t duration_ns(const std::string& flag, const std::string& text) {
  try {
    return core::parse_duration(text).count();
  } catch (const std::exception& e) {
    throw std::invalid_argument(flag + ": " + e.what());
  }
}

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// "http://host:port/path" -> host:port and path; anything else is HOST:PORT.
void parse_target(Options& o) {
  std::string text = o.target_text;
  require(!text.empty(), "--target is required (HOST:PORT or http://host:port/path)");
  const std::string scheme = "http://";
  std::string url_path;
  if (text.rfind(scheme, 0) == 0) {
    text = text.substr(scheme.size());
    if (auto slash = text.find('/'); slash != std::string::npos) {
      url_path = text.substr(slash);
      text = text.substr(0, slash);
    }
    if (o.proto_text == "echo") o.proto_text = "http";  // a URL implies HTTP
    require(!text.empty(), "--target: no host in URL '" + o.target_text + "'");
    if (text.back() != ']' && text.find(':') == std::string::npos) text += ":80";
  }
  try {
    o.target = core::Address::parse(text);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("--target: ") + e.what());
  }
  require(o.target.port() != 0, "--target: port 0 cannot be a target");
  o.host_header = text;
  if (o.path.empty()) o.path = url_path.empty() ? "/" : url_path;
}

}  // namespace

void validate(Options& o) {
  parse_target(o);
  if (o.proto_text == "echo") {
    o.proto = ClientProto::kEcho;
  } else if (o.proto_text == "http") {
    o.proto = ClientProto::kHttp;
  } else {
    throw std::invalid_argument("--proto: unknown protocol '" + o.proto_text + "' (known: echo, http)");
  }
  if (o.transport_text == "tcp") {
    o.transport = Transport::kTcp;
  } else if (o.transport_text == "udp") {
    o.transport = Transport::kUdp;
  } else {
    throw std::invalid_argument("--transport: must be tcp or udp, not '" + o.transport_text + "'");
  }
  require(!(o.transport == Transport::kUdp && o.proto != ClientProto::kEcho),
          "--transport udp: only --proto echo runs over UDP");
  require(o.path.front() == '/', "--path: must start with '/'");
  require(o.path.find_first_of(" \r\n") == std::string::npos, "--path: no spaces or line breaks");
  require(o.connections >= 1, "--connections: must be at least 1");
  require(o.threads >= 1 && o.threads <= 256, "--threads: must be from 1 to 256");
  require(o.threads <= o.connections, "--threads: more threads (" + std::to_string(o.threads) +
                                          ") than connections (" + std::to_string(o.connections) + ")");
  require(o.pipeline >= 1 && o.pipeline <= 1024, "--pipeline: must be from 1 to 1024");
  require(!(o.transport == Transport::kUdp && o.pipeline > 32), "--pipeline: at most 32 over UDP");
  require(o.rate >= 0, "--rate: must be 0 (closed loop) or a positive rate");
  require(o.ramp >= 0, "--ramp: must be 0 (all at once) or a positive rate");
  require(o.max_error_rate >= 0 && o.max_error_rate <= 1, "--max-error-rate: must be from 0 to 1");
  if (o.proto == ClientProto::kEcho) {
    int min_payload = o.transport == Transport::kUdp ? 16 : 1;  // UDP: a 16-digit sequence number
    require(o.payload >= min_payload && o.payload <= 65536,
            "--payload: must be from " + std::to_string(min_payload) + " to 65536 bytes");
  }
  o.duration_ns = duration_ns("--duration", o.duration_text);
  o.warmup_ns = duration_ns("--warmup", o.warmup_text);
  o.timeout_ns = duration_ns("--timeout", o.timeout_text);
  o.think_ns = duration_ns("--think", o.think_text);
  require(o.duration_ns > 0, "--duration: must be more than 0");
  require(o.timeout_ns >= 1'000'000, "--timeout: must be at least 1ms");
  if (o.new_conn) {
    require(o.transport == Transport::kTcp, "--new-conn: only over TCP");
    require(o.rate == 0, "--new-conn: runs closed loop; --rate cannot be combined with it");
    require(o.pipeline == 1, "--new-conn: one request per connection, --pipeline must be 1");
    o.mode = Mode::kConnect;
  } else {
    o.mode = o.rate > 0 ? Mode::kOpen : Mode::kClosed;
  }
  require(!(o.mode == Mode::kOpen && o.think_ns > 0), "--think: only in closed loop (without --rate)");
  require(o.label.find_first_of(",\"\n") == std::string::npos, "--label: no commas, quotes or newlines");
  if (!o.source_text.empty()) {
    try {
      o.sources = core::parse_source_range(o.source_text);
    } catch (const std::exception& e) {
      throw std::invalid_argument(std::string("--source: ") + e.what());
    }
    for (const auto& s : o.sources) {
      require(s.family() == o.target.family(), "--source: address family differs from the target's");
    }
  }
}

std::string mode_name(Mode mode) {
  switch (mode) {
    case Mode::kClosed: return "closed";
    case Mode::kOpen: return "open";
    case Mode::kConnect: return "connect";
  }
  return "?";
}

std::string proto_name(ClientProto proto) { return proto == ClientProto::kEcho ? "echo" : "http"; }
std::string transport_name(Transport transport) { return transport == Transport::kTcp ? "tcp" : "udp"; }

}  // namespace netlab::loadgen
