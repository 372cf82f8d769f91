#include "loadgen/cli/options.hpp"

#include <stdexcept>

#include "core/util/duration.hpp"

namespace netlab::loadgen {
namespace {

constexpr int64_t kAutoCoalesceNs = 1'000'000;  // --coalesce auto: naps of at most 1 ms

// core/util/duration.hpp's rule: a bare number is seconds (-d 10, as in wrk), and the flags whose
// values are well under a second (--think, --coalesce) need a unit.
int64_t duration_ns(const std::string& flag, const std::string& text,
                    core::BareNumber bare = core::BareNumber::kSeconds) {
  try {
    return core::parse_duration(text, bare).count();
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

void validate_file(Options& o) {
  require(o.file_op_text == "get" || o.file_op_text == "put", "--file-op: must be get or put");
  o.file_put = o.file_op_text == "put";
  require(o.mode == Mode::kClosed, "--proto file: runs closed loop (no --rate or --new-conn)");
  require(o.pipeline == 1, "--proto file: one transfer at a time per connection (--pipeline 1)");
  require(o.connections <= 256, "--proto file: at most 256 connections (one blocking thread each)");
  o.threads = o.connections;  // one thread per connection: what the reports say
  if (o.file_put) {
    if (o.file_name.empty()) o.file_name = "lg";
    require(o.file_size >= 0, "--file-size: must be 0 or more bytes");
    require(o.file_verify_every >= 0, "--file-verify-every: must be 0 (never) or more");
  } else {
    require(!o.file_name.empty(), "--proto file --file-op get: needs --file-name NAME (a file in the server's library)");
  }
  require(o.file_name.size() <= 200 && o.file_name.find_first_of("/ \r\n") == std::string::npos &&
              o.file_name.front() != '.',
          "--file-name: a library name: no '/', spaces, line breaks or leading '.', at most 200 bytes");
}

}  // namespace

void validate(Options& o) {
  parse_target(o);
  if (o.proto_text == "echo") {
    o.proto = ClientProto::kEcho;
  } else if (o.proto_text == "http") {
    o.proto = ClientProto::kHttp;
  } else if (o.proto_text == "file") {
    o.proto = ClientProto::kFile;
  } else if (o.proto_text == "chat") {
    o.proto = ClientProto::kChat;
    o.transport_text = "udp";  // the chat room is a UDP protocol
  } else {
    throw std::invalid_argument("--proto: unknown protocol '" + o.proto_text + "' (known: echo, http, file, chat)");
  }
  if (o.transport_text == "tcp") {
    o.transport = Transport::kTcp;
  } else if (o.transport_text == "udp") {
    o.transport = Transport::kUdp;
  } else {
    throw std::invalid_argument("--transport: must be tcp or udp, not '" + o.transport_text + "'");
  }
  require(!(o.transport == Transport::kUdp && (o.proto == ClientProto::kHttp || o.proto == ClientProto::kFile)),
          "--transport udp: only --proto echo and chat run over UDP");
  require(o.path.front() == '/', "--path: must start with '/'");
  require(o.path.find_first_of(" \r\n") == std::string::npos, "--path: no spaces or line breaks");
  require(o.connections >= 1, "--connections: must be at least 1");
  require(o.threads >= 1 && o.threads <= 256, "--threads: must be from 1 to 256");
  require(o.threads <= o.connections, "--threads: more threads (" + std::to_string(o.threads) +
                                          ") than connections (" + std::to_string(o.connections) + ")");
  require(!o.fail_on_3xx || o.proto == ClientProto::kHttp, "--fail-on-3xx: only with --proto http");
  require(o.requests == 0 || o.proto == ClientProto::kEcho || o.proto == ClientProto::kHttp,
          "--requests: counts echo and HTTP requests only");
  require(o.requests == 0 || o.requests >= static_cast<uint64_t>(o.connections),
          "--requests: at least one request per connection");
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
  o.think_ns = duration_ns("--think", o.think_text, core::BareNumber::kNeedsUnit);
  o.interval_ns = duration_ns("--interval", o.interval_text);
  o.coalesce_auto = o.coalesce_text == "auto";
  o.coalesce_ns = o.coalesce_auto ? kAutoCoalesceNs
                                  : duration_ns("--coalesce", o.coalesce_text, core::BareNumber::kNeedsUnit);
  require(o.coalesce_ns <= 10'000'000, "--coalesce: at most 10ms (it delays answers by up to this much)");
  require(o.duration_ns > 0, "--duration: must be more than 0");
  require(o.timeout_ns >= 1'000'000, "--timeout: must be at least 1ms");
  // Each interval's end merges every thread's histograms under a lock: 10 ms keeps that rare.
  require(o.interval_ns >= 10'000'000 && o.interval_ns <= 60'000'000'000, "--interval: must be from 10ms to 60s");
  if (o.new_conn) {
    require(o.transport == Transport::kTcp, "--new-conn: only over TCP");
    require(!(o.rate > 0 && o.ramp > 0), "--ramp: not with --new-conn --rate (the rate paces the connects)");
    require(o.pipeline == 1, "--new-conn: one request per connection, --pipeline must be 1");
    o.mode = Mode::kConnect;
  } else {
    o.mode = o.rate > 0 ? Mode::kOpen : Mode::kClosed;
  }
  require(!(o.rate > 0 && o.think_ns > 0), "--think: only in closed loop (without --rate)");
  require(o.label.find_first_of(",\"\n") == std::string::npos, "--label: no commas, quotes or newlines");
  if (o.proto == ClientProto::kFile) validate_file(o);
  require(!o.keep_uploads || o.file_put, "--keep-uploads: only with --proto file --file-op put");
  if (o.proto == ClientProto::kChat) {
    require(o.rate > 0, "--proto chat: needs --rate (messages per second over all members)");
    require(!o.new_conn, "--new-conn: not with --proto chat (members keep their sockets)");
    require(o.connections >= 2, "--proto chat: needs at least 2 members (--connections)");
    require(o.connections <= 1024, "--proto chat: at most 1024 members");
  }
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

std::string proto_name(ClientProto proto) {
  switch (proto) {
    case ClientProto::kEcho: return "echo";
    case ClientProto::kHttp: return "http";
    case ClientProto::kFile: return "file";
    case ClientProto::kChat: return "chat";
  }
  return "?";
}
std::string transport_name(Transport transport) { return transport == Transport::kTcp ? "tcp" : "udp"; }

}  // namespace netlab::loadgen
