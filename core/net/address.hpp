// Address: an IPv4 or IPv6 socket address, parsed from text a person types.
//
// Accepted forms: "127.0.0.1:80", "[::1]:80", "localhost:80", ":80" and "*:80" (every IPv4
// interface), and with `default_port` given, a bare host ("10.0.0.1", "::1", "localhost").
// Host names other than "localhost" go through getaddrinfo, numeric forms never touch the resolver.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netlab::core {

class Address {
 public:
  Address() = default;
  // Throws NetError with a message naming the bad part.
  static Address parse(std::string_view text, std::optional<uint16_t> default_port = std::nullopt);
  // Builds from what accept()/recvfrom() filled in.
  static Address from_sockaddr(const sockaddr* sa, socklen_t len);
  // The address a socket is bound to (getsockname).
  static Address local_of(int fd);

  int family() const { return storage_.ss_family; }
  uint16_t port() const;
  void set_port(uint16_t port);
  // "127.0.0.1:80" or "[::1]:80".
  std::string to_string() const;
  // Host part only: "127.0.0.1" or "::1".
  std::string host() const;

  const sockaddr* sockaddr_ptr() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  sockaddr* sockaddr_ptr() { return reinterpret_cast<sockaddr*>(&storage_); }
  socklen_t length() const { return length_; }

  friend bool operator==(const Address& a, const Address& b);

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

// A list of source addresses from "127.0.0.1", "127.0.0.1-127.0.0.16" or "a,b,c" (IPv4 ranges
// only): lets a client spread connections over many source IPs to pass the ephemeral port range.
std::vector<Address> parse_source_range(std::string_view text);

}  // namespace netlab::core
