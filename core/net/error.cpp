#include "core/net/error.hpp"

#include <cstring>

namespace netlab::core {

void throw_errno(const std::string& what, int err) { throw NetError(what + ": " + std::strerror(err)); }

std::string errno_text(int err) {
  std::string text = std::strerror(err);
  if (const char* name = strerrorname_np(err)) {
    text += " (";
    text += name;
    text += ")";
  }
  return text;
}

}  // namespace netlab::core
