#include "tools/ftp/file_client.hpp"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include "core/net/error.hpp"
#include "core/net/io.hpp"
#include "core/net/socket.hpp"

namespace netlab::ftp {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

// core::write_all is for sockets (send); this is for the local file.
bool write_file(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

FileClient::FileClient(const core::Address& server) : fd_(core::connect_tcp(server)) {}

void FileClient::send_frame(std::string_view text) {
  if (!core::write_all(fd_.get(), proto::file_frame(text))) {
    fail("cannot send to the server: " + core::errno_text(errno));
  }
}

proto::FileReply FileClient::read_reply() {
  char chunk[65536];
  for (;;) {
    std::string_view text;
    size_t len = 0;
    auto parsed = proto::parse_file_frame(buf_, text, len);
    if (parsed == proto::FrameParse::kBad) fail("the server sent a malformed reply frame");
    if (parsed == proto::FrameParse::kOk) {
      proto::FileReply reply;
      if (!proto::parse_file_reply(text, reply)) fail("the server sent a malformed reply: " + std::string(text));
      buf_.erase(0, len);
      return reply;
    }
    ssize_t n = core::read_some(fd_.get(), chunk, sizeof chunk);
    if (n == 0) fail("the server closed the connection");
    if (n < 0) fail("cannot read from the server: " + core::errno_text(errno));
    buf_.append(chunk, static_cast<size_t>(n));
  }
}

void FileClient::read_data(uint64_t n, const std::function<void(std::string_view)>& sink) {
  size_t first = static_cast<size_t>(std::min<uint64_t>(n, buf_.size()));
  if (first > 0) sink(std::string_view(buf_).substr(0, first));
  buf_.erase(0, first);
  n -= first;
  if (n > 0 && chunk_.empty()) chunk_.resize(1 << 20);
  while (n > 0) {
    char* chunk = chunk_.data();
    ssize_t got = core::read_some(fd_.get(), chunk, static_cast<size_t>(std::min<uint64_t>(n, chunk_.size())));
    if (got == 0) fail("the server closed the connection mid-transfer");
    if (got < 0) fail("cannot read from the server: " + core::errno_text(errno));
    sink({chunk, static_cast<size_t>(got)});
    n -= static_cast<uint64_t>(got);
  }
}

proto::FileReply FileClient::list(std::string& listing) {
  send_frame("LIST");
  proto::FileReply reply = read_reply();
  listing.clear();
  read_data(reply.size, [&](std::string_view piece) { listing.append(piece); });
  return reply;
}

proto::FileReply FileClient::get(const std::string& name, const std::string& path, const ProgressFn& progress) {
  send_frame("GET " + name);
  proto::FileReply reply = read_reply();
  if (reply.code != 200) {
    read_data(reply.size, [](std::string_view) {});
    return reply;
  }
  const std::string part = path + ".part";
  core::Fd out(::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  const bool created = static_cast<bool>(out);
  // A local failure still reads the rest of the data, so the next command finds the stream in step.
  std::string local_error = created ? "" : "cannot create " + part + ": " + core::errno_text(errno);
  uint64_t done = 0;
  try {
    read_data(reply.size, [&](std::string_view piece) {
      if (local_error.empty() && !write_file(out.get(), piece)) {
        local_error = "cannot write " + part + ": " + core::errno_text(errno);
      }
      done += piece.size();
      if (progress) progress(done, reply.size);
    });
  } catch (...) {
    if (created) ::unlink(part.c_str());
    throw;
  }
  out.reset();
  if (!local_error.empty()) {
    if (created) ::unlink(part.c_str());
    throw LocalFileError(local_error);
  }
  if (::rename(part.c_str(), path.c_str()) != 0) {
    std::string why = "cannot rename " + part + " to " + path + ": " + core::errno_text(errno);
    ::unlink(part.c_str());
    throw LocalFileError(why);
  }
  return reply;
}

proto::FileReply FileClient::put(const std::string& path, const std::string& name, const ProgressFn& progress) {
  core::Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st{};
  // Checked before anything is sent: the connection is untouched.
  if (!in || ::fstat(in.get(), &st) != 0) throw LocalFileError("cannot open " + path + ": " + core::errno_text(errno));
  if (!S_ISREG(st.st_mode)) throw LocalFileError(path + " is not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  send_frame("PUT " + name + " " + std::to_string(size));
  off_t offset = 0;
  while (static_cast<uint64_t>(offset) < size) {
    size_t len = static_cast<size_t>(std::min<uint64_t>(size - static_cast<uint64_t>(offset), 1 << 20));
    ssize_t n = ::sendfile(fd_.get(), in.get(), &offset, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot send " + path + ": " + core::errno_text(errno));
    if (n == 0) fail(path + " shrank while it was being sent");
    if (progress) progress(static_cast<uint64_t>(offset), size);
  }
  proto::FileReply reply = read_reply();
  read_data(reply.size, [](std::string_view) {});
  return reply;
}

proto::FileReply FileClient::quit() {
  send_frame("QUIT");
  return read_reply();
}

}  // namespace netlab::ftp
