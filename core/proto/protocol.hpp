// Protocol: which protocol a server speaks, chosen with --proto, and the factories models use.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/proto/file_cache.hpp"
#include "core/proto/session.hpp"
#include "core/work/workload.hpp"

namespace netlab::proto {

enum class Protocol { kEcho, kHttp, kFile, kChat };

struct ProtocolConfig {
  Protocol protocol = Protocol::kEcho;
  core::Workload workload;
  size_t max_line = 0;  // 0: the protocol's default
  std::string root;     // document root (http) or file library (file)
  uint64_t max_upload = uint64_t{1} << 30;  // file: a PUT announcing more is refused (413) and closed
  std::string admin_notice;  // chat: the operator's notice every member gets on joining
  std::optional<FileCacheLimits> file_cache = FileCacheLimits{};  // http: nullopt opens every file per request
};

// Throws std::invalid_argument listing the known names.
Protocol parse_protocol(std::string_view name);
std::string_view protocol_name(Protocol protocol);
std::vector<std::string> protocol_names();
bool is_stream_protocol(Protocol protocol);
bool is_datagram_protocol(Protocol protocol);
// True when the protocol broadcasts operator notices (chat): models then feed the server's standard
// input to DatagramService::on_admin.
bool takes_admin_notices(Protocol protocol);

// What a server sends a connection it will not serve (connection cap, full queue), in the
// protocol's own terms, before closing it.
std::string busy_reply(Protocol protocol, std::string_view reason);

// A factory for per-connection sessions. Throws std::invalid_argument when the protocol has no
// stream form.
SessionFactory make_session_factory(const ProtocolConfig& config);
// One service for a datagram socket. Throws std::invalid_argument when there is no datagram form.
std::unique_ptr<DatagramService> make_datagram_service(const ProtocolConfig& config);

}  // namespace netlab::proto
