#include "tools/run/suite_check.hpp"

#include <filesystem>
#include <map>
#include <set>

#include "core/proto/protocol.hpp"
#include "tools/run/case_runner.hpp"

namespace netlab::run {
namespace {

// "epoll, poll, select": the models whose binaries `bin_dir` holds.
std::string models_in(const std::string& bin_dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(bin_dir, ec)) {
    std::string file = entry.path().filename().string();
    if (file.starts_with("netlab-server-")) names.insert(file.substr(14));
  }
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text.empty() ? "none" : text;
}

// "echo, http": the protocols with a form for `transport`.
std::string protocols_over(const std::string& transport) {
  std::string text;
  for (const auto& name : proto::protocol_names()) {
    auto p = proto::parse_protocol(name);
    if (transport == "udp" ? proto::is_datagram_protocol(p) : proto::is_stream_protocol(p)) {
      text += (text.empty() ? "" : ", ") + name;
    }
  }
  return text;
}

}  // namespace

void check_suite_against(const Suite& suite, const std::string& bin_dir) {
  std::map<std::string, std::string> transport;  // by model: each binary is asked once
  for (const Case& c : suite.cases) {
    auto known = transport.find(c.model);
    if (known == transport.end()) {
      try {
        known = transport.emplace(c.model, model_transport(bin_dir, c.model)).first;
      } catch (const std::runtime_error&) {
        throw SuiteError(suite.source, c.model_at.line, c.model_at.column,
                         "unknown model '" + c.model + "': no netlab-server-" + c.model + " in " + bin_dir +
                             " (models there: " + models_in(bin_dir) + ")");
      }
    }
    auto p = proto::parse_protocol(c.protocol);  // parse_suite accepted it
    bool fits = known->second == "udp" ? proto::is_datagram_protocol(p) : proto::is_stream_protocol(p);
    if (!fits) {
      throw SuiteError(suite.source, c.protocol_at.line, c.protocol_at.column,
                       "model '" + c.model + "' serves " + known->second + " and protocol '" + c.protocol +
                           "' has no " + known->second + " form (" + known->second + " protocols: " +
                           protocols_over(known->second) + ")");
    }
  }
}

}  // namespace netlab::run
