#include "servers/common/send_outbox.hpp"

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/net/stop.hpp"

namespace netlab::server {

SendResult send_outbox(int fd, proto::Outbox& out) {
  while (!out.empty()) {
    const auto& chunk = out.front();
    ssize_t n;
    if (chunk.is_file) {
      off_t offset = static_cast<off_t>(chunk.range.offset);
      size_t len = static_cast<size_t>(std::min<uint64_t>(chunk.range.length, 1 << 30));
      n = ::sendfile(fd, chunk.range.file->get(), &offset, len);
      if (n == 0) {
        errno = EIO;  // the file shrank under us: the promised length cannot be sent
        return SendResult::kError;
      }
    } else {
      auto bytes = out.front_bytes();
      n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    if (n < 0) {
      if (errno == EINTR && !core::stop_requested()) {
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return SendResult::kWouldBlock;
      }
      return SendResult::kError;
    }
    out.consume(static_cast<uint64_t>(n));
  }
  return SendResult::kDone;
}

ssize_t copy_front(const proto::Outbox& out, std::span<char> buf) {
  const auto& chunk = out.front();
  if (chunk.is_file) {
    size_t len = static_cast<size_t>(std::min<uint64_t>(chunk.range.length, buf.size()));
    return ::pread(chunk.range.file->get(), buf.data(), len, static_cast<off_t>(chunk.range.offset));
  }
  std::string_view bytes = out.front_bytes();
  size_t len = std::min(bytes.size(), buf.size());
  std::memcpy(buf.data(), bytes.data(), len);
  return static_cast<ssize_t>(len);
}

}  // namespace netlab::server
