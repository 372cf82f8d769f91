#include "servers/common/admin_input.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace netlab::server {

namespace {
constexpr size_t kMaxLine = 4096;  // a longer line is delivered in pieces
}

AdminInput::AdminInput(const ServerContext& ctx) {
  if (proto::takes_admin_notices(ctx.options().protocol.protocol)) {
    ::signal(SIGTTIN, SIG_IGN);
    fd_ = STDIN_FILENO;
  }
}

void AdminInput::deliver(proto::DatagramService& service, proto::DatagramOut& out) {
  if (fd_ < 0) {
    return;
  }
  char buf[4096];
  ssize_t n = ::read(fd_, buf, sizeof buf);
  if (n < 0 && errno == EINTR) {
    return;
  }
  if (n <= 0) {
    if (!partial_.empty()) service.on_admin(partial_, out);
    partial_.clear();
    fd_ = -1;  // end of input (or EIO in the background): the server carries on without it
    return;
  }
  partial_.append(buf, static_cast<size_t>(n));
  size_t start = 0, nl;
  while ((nl = partial_.find('\n', start)) != std::string::npos) {
    service.on_admin(std::string_view(partial_).substr(start, nl - start), out);
    start = nl + 1;
  }
  partial_.erase(0, start);
  if (partial_.size() > kMaxLine) {
    service.on_admin(partial_, out);
    partial_.clear();
  }
}

}  // namespace netlab::server
