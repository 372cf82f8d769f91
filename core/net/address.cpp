#include "core/net/address.hpp"

#include <arpa/inet.h>
#include <netdb.h>

#include <charconv>
#include <cstring>

#include "core/net/error.hpp"

namespace netlab::core {
namespace {

uint16_t parse_port(std::string_view text, std::string_view whole) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    throw NetError("bad address '" + std::string(whole) + "': port '" + std::string(text) +
                   "' is not a number from 0 to 65535");
  }
  return static_cast<uint16_t>(value);
}

bool try_numeric(const std::string& host, uint16_t port, Address& out) {
  sockaddr_in v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    out = Address::from_sockaddr(reinterpret_cast<sockaddr*>(&v4), sizeof v4);
    return true;
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    out = Address::from_sockaddr(reinterpret_cast<sockaddr*>(&v6), sizeof v6);
    return true;
  }
  return false;
}

Address resolve(const std::string& host, uint16_t port, std::string_view whole) {
  Address out;
  if (host.empty() || host == "*") {
    try_numeric("0.0.0.0", port, out);
    return out;
  }
  // "localhost" is pinned to IPv4 loopback: what a person means, and it never needs a resolver.
  if (host == "localhost") {
    try_numeric("127.0.0.1", port, out);
    return out;
  }
  if (try_numeric(host, port, out)) {
    return out;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0 || !found) {
    throw NetError("bad address '" + std::string(whole) + "': cannot resolve host '" + host +
                   "': " + gai_strerror(rc));
  }
  out = Address::from_sockaddr(found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  out.set_port(port);
  return out;
}

}  // namespace

Address Address::parse(std::string_view text, std::optional<uint16_t> default_port) {
  std::string host;
  std::string_view port_text;
  bool has_port = false;
  if (text.empty()) {
    throw NetError("bad address '': expected host:port");
  }
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) {
      throw NetError("bad address '" + std::string(text) + "': missing ']' after IPv6 literal");
    }
    host = std::string(text.substr(1, close - 1));
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        throw NetError("bad address '" + std::string(text) + "': expected ':port' after ']'");
      }
      port_text = rest.substr(1);
      has_port = true;
    }
    Address probe;
    if (!try_numeric(host, 0, probe) || probe.family() != AF_INET6) {
      throw NetError("bad address '" + std::string(text) + "': '" + host + "' is not an IPv6 literal");
    }
  } else {
    auto colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') != colon) {
      // Several colons and no brackets: a bare IPv6 literal, which cannot carry a port.
      host = std::string(text);
    } else if (colon != std::string_view::npos) {
      host = std::string(text.substr(0, colon));
      port_text = text.substr(colon + 1);
      has_port = true;
    } else {
      host = std::string(text);
    }
  }
  uint16_t port = 0;
  if (has_port) {
    port = parse_port(port_text, text);
  } else if (default_port) {
    port = *default_port;
  } else {
    throw NetError("bad address '" + std::string(text) + "': missing port (expected host:port)");
  }
  return resolve(host, port, text);
}

Address Address::from_sockaddr(const sockaddr* sa, socklen_t len) {
  Address out;
  len = std::min<socklen_t>(len, sizeof out.storage_);
  std::memcpy(&out.storage_, sa, len);
  out.length_ = len;
  return out;
}

Address Address::local_of(int fd) {
  Address out;
  out.length_ = sizeof out.storage_;
  if (getsockname(fd, out.sockaddr_ptr(), &out.length_) != 0) {
    throw_errno("getsockname", errno);
  }
  return out;
}

uint16_t Address::port() const {
  if (family() == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  }
  if (family() == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  }
  return 0;
}

void Address::set_port(uint16_t port) {
  if (family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
  } else if (family() == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
  }
}

std::string Address::host() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, buf, sizeof buf);
  } else if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, buf, sizeof buf);
  } else {
    return "?";
  }
  return buf;
}

std::string Address::to_string() const {
  if (family() == AF_INET6) {
    return "[" + host() + "]:" + std::to_string(port());
  }
  return host() + ":" + std::to_string(port());
}

bool operator==(const Address& a, const Address& b) {
  return a.length_ == b.length_ && std::memcmp(&a.storage_, &b.storage_, a.length_) == 0;
}

std::vector<Address> parse_source_range(std::string_view text) {
  std::vector<Address> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    auto dash = item.find('-');
    if (dash == std::string_view::npos) {
      out.push_back(Address::parse(item, 0));
      continue;
    }
    Address first = Address::parse(item.substr(0, dash), 0);
    Address last = Address::parse(item.substr(dash + 1), 0);
    if (first.family() != AF_INET || last.family() != AF_INET) {
      throw NetError("bad source range '" + std::string(item) + "': ranges must be IPv4");
    }
    uint32_t lo = ntohl(reinterpret_cast<const sockaddr_in*>(first.sockaddr_ptr())->sin_addr.s_addr);
    uint32_t hi = ntohl(reinterpret_cast<const sockaddr_in*>(last.sockaddr_ptr())->sin_addr.s_addr);
    if (hi < lo || hi - lo >= 65536) {
      throw NetError("bad source range '" + std::string(item) + "': end before start or over 65536 addresses");
    }
    for (uint64_t ip = lo; ip <= hi; ++ip) {
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_addr.s_addr = htonl(static_cast<uint32_t>(ip));
      out.push_back(Address::from_sockaddr(reinterpret_cast<sockaddr*>(&sa), sizeof sa));
    }
  }
  if (out.empty()) {
    throw NetError("bad source range: empty");
  }
  return out;
}

}  // namespace netlab::core
