// NetError: a set-up failure with one clear line ("cannot bind 0.0.0.0:9000: Address already in use").
// Only set-up code throws it; hot paths return results and count failures instead.
#pragma once

#include <stdexcept>
#include <string>

namespace netlab::core {

class NetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "what: strerror(err)" as a NetError.
[[noreturn]] void throw_errno(const std::string& what, int err);

// strerror(err) followed by the symbolic name, e.g. "Connection refused (ECONNREFUSED)".
std::string errno_text(int err);

}  // namespace netlab::core
