#include "core/proto/chat.hpp"

#include <algorithm>
#include <functional>
#include <vector>

namespace netlab::proto {
namespace {

// Printable on one line: control bytes become '?', so no member can forge a second line or
// move another member's cursor.
std::string clean(std::string_view text) {
  std::string s(text.substr(0, kMaxChatText));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return s;
}

}  // namespace

size_t ChatService::AddressHash::operator()(const core::Address& a) const {
  return std::hash<std::string_view>{}(
      std::string_view(reinterpret_cast<const char*>(a.sockaddr_ptr()), a.length()));
}

std::string_view chat_name_problem(std::string_view name) {
  if (name.empty() || name.size() > kMaxChatName) return "use 1 to 32 characters";
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.';
    if (!ok) return "use only letters, digits, '_', '-' and '.'";
  }
  return {};
}

void ChatService::on_datagram(const core::Address& from, std::string_view data, DatagramOut& out) {
  options_.workload.run();
  if (!data.empty() && data.back() == '\n') data.remove_suffix(1);
  if (!data.empty() && data.back() == '\r') data.remove_suffix(1);
  size_t sp = data.find(' ');
  std::string_view verb = data.substr(0, sp);
  std::string_view arg = sp == std::string_view::npos ? std::string_view() : data.substr(sp + 1);
  if (verb == "JOIN") {
    return join(from, arg, out);
  }
  auto it = members_.find(from);
  if (it == members_.end()) {
    // Strangers get one short answer only: a spoofed source cannot turn us into an amplifier.
    return out.send(from, verb == "LEAVE" ? "ERR not joined" : "ERR join first: JOIN <name>");
  }
  it->second.last_seen = now_();
  if (verb == "MSG") {
    if (arg.empty()) return out.send(from, "ERR empty message");
    if (arg.size() > kMaxChatText) {
      return out.send(from, "ERR message too long (max " + std::to_string(kMaxChatText) + " bytes)");
    }
    broadcast("MSG " + it->second.name + ": " + clean(arg), &from, out);
  } else if (verb == "LEAVE" && arg.empty()) {
    leave(from, "left", out);
  } else if (verb == "PING") {
    out.send(from, "PONG");
  } else if (verb == "WHO") {
    who(from, out);
  } else {
    out.send(from, "ERR unknown command (JOIN name, MSG text, LEAVE, PING, WHO)");
  }
}

void ChatService::join(const core::Address& from, std::string_view name, DatagramOut& out) {
  if (auto problem = chat_name_problem(name); !problem.empty()) {
    return out.send(from, "ERR bad name: " + std::string(problem));
  }
  if (auto it = members_.find(from); it != members_.end()) {
    if (it->second.name != name) {
      return out.send(from, "ERR already joined as " + it->second.name + " (LEAVE first)");
    }
    it->second.last_seen = now_();  // a repeated JOIN (its OK was lost) is answered again
  } else {
    if (by_name_.count(std::string(name)) != 0) {
      return out.send(from, "ERR name taken: " + std::string(name));
    }
    if (members_.size() >= options_.max_members) {
      return out.send(from, "ERR room full (" + std::to_string(options_.max_members) + " members)");
    }
    members_.emplace(from, Member{std::string(name), now_()});
    by_name_.emplace(name, from);
    broadcast("JOIN " + std::string(name) + " joined", &from, out);
  }
  out.send(from, "OK welcome " + std::string(name) + ", " + std::to_string(members_.size()) +
                     (members_.size() == 1 ? " member" : " members") + " online");
  if (!options_.join_notice.empty()) {
    out.send(from, "ADMIN [admin] " + clean(options_.join_notice));
  }
}

void ChatService::leave(const core::Address& from, std::string_view why, DatagramOut& out) {
  auto it = members_.find(from);
  std::string name = std::move(it->second.name);
  by_name_.erase(name);
  members_.erase(it);
  broadcast("LEAVE " + name + " " + std::string(why), nullptr, out);
}

void ChatService::who(const core::Address& from, DatagramOut& out) {
  std::vector<std::string_view> names;
  for (const auto& [addr, m] : members_) names.push_back(m.name);
  std::sort(names.begin(), names.end());
  std::string line = "OK " + std::to_string(names.size()) + " online:";
  size_t shown = 0;
  for (auto n : names) {
    if (line.size() + n.size() > 1200) break;  // one datagram that no path MTU will fragment much
    line += " ";
    line += n;
    ++shown;
  }
  if (shown < names.size()) line += " ... and " + std::to_string(names.size() - shown) + " more";
  out.send(from, line);
}

void ChatService::on_tick(DatagramOut& out) {
  const auto deadline = now_() - options_.timeout;
  std::vector<core::Address> silent;
  for (const auto& [addr, m] : members_) {
    if (m.last_seen < deadline) silent.push_back(addr);
  }
  for (const auto& addr : silent) {
    leave(addr, "left (timed out)", out);
  }
}

void ChatService::on_admin(std::string_view text, DatagramOut& out) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (!text.empty()) {
    broadcast("ADMIN [admin] " + clean(text), nullptr, out);
  }
}

void ChatService::broadcast(std::string_view line, const core::Address* except, DatagramOut& out) {
  for (const auto& [addr, m] : members_) {
    if (except == nullptr || !(addr == *except)) out.send(addr, line);
  }
}

}  // namespace netlab::proto
