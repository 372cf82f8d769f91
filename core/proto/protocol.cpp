#include "core/proto/protocol.hpp"

#include <stdexcept>

#include "core/proto/chat.hpp"
#include "core/proto/echo.hpp"
#include "core/proto/file.hpp"
#include "core/proto/http.hpp"

namespace netlab::proto {
namespace {

struct Entry {
  Protocol protocol;
  std::string_view name;
  bool stream;
  bool datagram;
  bool admin_notices = false;
};

constexpr Entry kProtocols[] = {
    {Protocol::kEcho, "echo", true, true},
    {Protocol::kHttp, "http", true, false},
    {Protocol::kFile, "file", true, false},
    {Protocol::kChat, "chat", false, true, true},
};

const Entry& entry(Protocol protocol) {
  for (const auto& e : kProtocols) {
    if (e.protocol == protocol) {
      return e;
    }
  }
  throw std::logic_error("unregistered protocol");
}

}  // namespace

Protocol parse_protocol(std::string_view name) {
  for (const auto& e : kProtocols) {
    if (e.name == name) {
      return e.protocol;
    }
  }
  std::string known;
  for (const auto& e : kProtocols) {
    known += known.empty() ? "" : ", ";
    known += e.name;
  }
  throw std::invalid_argument("unknown protocol '" + std::string(name) + "' (known: " + known + ")");
}

std::string_view protocol_name(Protocol protocol) { return entry(protocol).name; }

std::vector<std::string> protocol_names() {
  std::vector<std::string> names;
  for (const auto& e : kProtocols) {
    names.emplace_back(e.name);
  }
  return names;
}

bool is_stream_protocol(Protocol protocol) { return entry(protocol).stream; }
bool is_datagram_protocol(Protocol protocol) { return entry(protocol).datagram; }
bool takes_admin_notices(Protocol protocol) { return entry(protocol).admin_notices; }

std::string busy_reply(Protocol protocol, std::string_view reason) {
  switch (protocol) {
    case Protocol::kEcho:
      return "ERR server busy: " + std::string(reason) + "\n";
    case Protocol::kChat:
      return "ERR server busy: " + std::string(reason);
    case Protocol::kFile:
      return file_frame(format_file_reply(421, 0, "server busy: " + std::string(reason)));
    case Protocol::kHttp: {
      std::string body = "503 server busy: " + std::string(reason) + "\n";
      return "HTTP/1.1 503 Service Unavailable\r\nServer: netlab\r\nContent-Type: text/plain; charset=utf-8\r\n"
             "Content-Length: " + std::to_string(body.size()) + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body;
    }
  }
  return {};
}

SessionFactory make_session_factory(const ProtocolConfig& config) {
  switch (config.protocol) {
    case Protocol::kEcho: {
      size_t max_line = config.max_line ? config.max_line : kDefaultMaxLine;
      core::Workload workload = config.workload;
      return [workload, max_line] { return std::make_unique<EchoSession>(workload, max_line); };
    }
    case Protocol::kHttp: {
      // Opened once: a missing root fails at start-up, and every session shares the directory fd.
      std::shared_ptr<const FileRoot> root;
      if (!config.root.empty()) root = std::make_shared<const FileRoot>(config.root);
      core::Workload workload = config.workload;
      auto cache = config.file_cache;
      return [root, workload, cache] { return std::make_unique<HttpSession>(root, workload, HttpLimits{}, cache); };
    }
    case Protocol::kFile: {
      if (config.root.empty()) {
        throw std::invalid_argument("the file protocol needs --root DIR: the folder it serves and stores files in");
      }
      auto library = std::make_shared<const FileRoot>(config.root);
      core::Workload workload = config.workload;
      uint64_t max_upload = config.max_upload;
      return [library, workload, max_upload] { return std::make_unique<FileSession>(library, workload, max_upload); };
    }
    case Protocol::kChat:
      break;
  }
  throw std::invalid_argument(std::string(protocol_name(config.protocol)) + " has no stream form");
}

std::unique_ptr<DatagramService> make_datagram_service(const ProtocolConfig& config) {
  switch (config.protocol) {
    case Protocol::kEcho:
      return std::make_unique<EchoDatagramService>(config.workload);
    case Protocol::kChat: {
      ChatOptions options;
      options.join_notice = config.admin_notice;
      options.workload = config.workload;
      return std::make_unique<ChatService>(std::move(options));
    }
    case Protocol::kHttp:
    case Protocol::kFile:
      break;
  }
  throw std::invalid_argument(std::string(protocol_name(config.protocol)) + " has no datagram form");
}

}  // namespace netlab::proto
