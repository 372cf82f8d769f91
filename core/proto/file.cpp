#include "core/proto/file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <vector>

#include "core/net/error.hpp"

namespace netlab::proto {
namespace {

std::atomic<unsigned> g_upload_counter{0};

bool parse_size(std::string_view text, uint64_t& size) {
  if (text.empty() || text.size() > 18) return false;
  size = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    size = size * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

FileSession::~FileSession() { abandon_upload(); }

void FileSession::reply(Outbox& out, int code, std::string_view message, uint64_t size) {
  out.write(file_frame(format_file_reply(code, size, message)));
}

void FileSession::on_bytes(std::string_view data, Outbox& out) {
  out.set_input_held(false);
  if (held_.empty()) {
    take_input(data, out);
    return;
  }
  // Commands kept back while the outbox was full come first, then what just arrived.
  std::string input = std::move(held_);
  held_.clear();
  input.append(data);
  take_input(input, out);
}

void FileSession::take_input(std::string_view data, Outbox& out) {
  while (!data.empty() && state_ != State::kClosed) {
    if (state_ == State::kUpload || state_ == State::kDiscard) {
      data.remove_prefix(upload(data, out));
      continue;
    }
    if (out.full()) {
      held_.assign(data);  // bounded: the model stops reading while the outbox is full
      out.set_input_held(true);
      return;
    }
    std::string_view text;
    size_t frame_len = 0;
    FrameParse parsed;
    if (in_.empty()) {
      // The common case: a whole frame in this read, parsed in place.
      parsed = parse_file_frame(data, text, frame_len);
      if (parsed == FrameParse::kOk) {
        data.remove_prefix(frame_len);
        command(text, out);
        continue;
      }
      if (parsed == FrameParse::kIncomplete) {
        in_.assign(data);  // under 4 + kMaxFileHeader bytes, or it would not be incomplete
        return;
      }
    } else {
      // Complete a frame begun earlier, taking no byte past it: a PUT body may follow.
      size_t want = 4;
      if (in_.size() >= 4) {
        want = 4 + (static_cast<size_t>(static_cast<unsigned char>(in_[0])) << 24 |
                    static_cast<size_t>(static_cast<unsigned char>(in_[1])) << 16 |
                    static_cast<size_t>(static_cast<unsigned char>(in_[2])) << 8 |
                    static_cast<size_t>(static_cast<unsigned char>(in_[3])));
      }
      size_t take = std::min(data.size(), want - std::min(want, in_.size()));
      in_.append(data.substr(0, take));
      data.remove_prefix(take);
      parsed = parse_file_frame(in_, text, frame_len);
      if (parsed == FrameParse::kOk) {
        std::string frame_text(text);
        in_.clear();
        command(frame_text, out);
        continue;
      }
      if (parsed == FrameParse::kIncomplete) {
        continue;  // the loop ends when `data` is used up
      }
    }
    reply(out, 400, "bad frame: the length prefix must be 1 to 4096");
    out.close_after_send();
    state_ = State::kClosed;
  }
}

void FileSession::command(std::string_view text, Outbox& out) {
  workload_.run();
  size_t sp = text.find(' ');
  std::string_view verb = text.substr(0, sp);
  std::string_view args = sp == std::string_view::npos ? std::string_view() : text.substr(sp + 1);
  if (verb == "LIST" && args.empty()) {
    list(out);
  } else if (verb == "GET") {
    get(args, out);
  } else if (verb == "PUT") {
    put(args, out);
  } else if (verb == "DELETE") {
    remove(args, out);
  } else if (verb == "QUIT" && args.empty()) {
    reply(out, 221, "bye");
    out.close_after_send();
    state_ = State::kClosed;
  } else {
    reply(out, 400, "unknown command (try LIST, GET name, PUT name size, DELETE name, QUIT)");
  }
}

void FileSession::list(Outbox& out) {
  int dir_fd = ::openat(library_->fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* dir = dir_fd < 0 ? nullptr : ::fdopendir(dir_fd);
  if (dir == nullptr) {
    if (dir_fd >= 0) ::close(dir_fd);
    reply(out, 500, "cannot read the library: " + core::errno_text(errno));
    return;
  }
  std::vector<std::pair<std::string, uint64_t>> files;
  while (dirent* e = ::readdir(dir)) {
    struct stat st{};
    if (!file_name_problem(e->d_name).empty() ||
        ::fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
      continue;  // only regular, non-hidden files with names a client could ask for
    }
    files.emplace_back(e->d_name, static_cast<uint64_t>(st.st_size));
  }
  ::closedir(dir);
  std::sort(files.begin(), files.end());
  std::string listing;
  for (const auto& [name, size] : files) {
    listing += std::to_string(size) + " " + name + "\n";
  }
  reply(out, 200, std::to_string(files.size()) + (files.size() == 1 ? " file" : " files"), listing.size());
  out.write(listing);
}

void FileSession::get(std::string_view name, Outbox& out) {
  if (auto problem = file_name_problem(name); !problem.empty()) {
    return reply(out, 403, "refused: " + std::string(problem));
  }
  core::Fd fd;
  uint64_t size = 0;
  switch (library_->open_file(name, fd, size)) {
    case OpenResult::kOk: break;
    case OpenResult::kNotFound: return reply(out, 404, "no such file: " + std::string(name));
    case OpenResult::kIsDirectory:
    case OpenResult::kNotRegular: return reply(out, 404, "not a regular file: " + std::string(name));
    case OpenResult::kForbidden: return reply(out, 403, "refused: " + std::string(name) + " leads outside the library");
    case OpenResult::kError: return reply(out, 500, "cannot open " + std::string(name) + ": " + core::errno_text(errno));
  }
  reply(out, 200, "sending " + std::string(name), size);
  out.send_file({std::make_shared<const core::Fd>(std::move(fd)), 0, size});
}

// Only what LIST shows can go: a regular, non-hidden file directly in the library (the name
// checks are PUT's, so no path and no server temporary file). A symlink is refused, not followed.
void FileSession::remove(std::string_view name, Outbox& out) {
  if (auto problem = file_name_problem(name); !problem.empty()) {
    return reply(out, 403, "refused: " + std::string(problem));
  }
  const std::string file(name);
  struct stat st{};
  if (::fstatat(library_->fd(), file.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return reply(out, 404, "no such file: " + file);
    return reply(out, 500, "cannot delete " + file + ": " + core::errno_text(errno));
  }
  if (!S_ISREG(st.st_mode)) return reply(out, 404, "not a regular file: " + file);
  if (::unlinkat(library_->fd(), file.c_str(), 0) != 0) {
    if (errno == ENOENT) return reply(out, 404, "no such file: " + file);  // gone since the check
    return reply(out, 500, "cannot delete " + file + ": " + core::errno_text(errno));
  }
  reply(out, 200, "deleted " + file);
}

void FileSession::put(std::string_view args, Outbox& out) {
  size_t sp = args.rfind(' ');
  uint64_t size = 0;
  if (sp == std::string_view::npos || !parse_size(args.substr(sp + 1), size)) {
    // Without a size the body cannot be skipped: the stream is lost, close it.
    reply(out, 400, "PUT needs a name and a size: PUT name size");
    out.close_after_send();
    state_ = State::kClosed;
    return;
  }
  std::string_view name = args.substr(0, sp);
  if (size > max_upload_) {
    reply(out, 413, "too large: " + std::to_string(size) + " bytes announced, the limit is " +
                        std::to_string(max_upload_) + " (--max-upload)");
    out.close_after_send();
    state_ = State::kClosed;
    return;
  }
  body_left_ = size;
  body_size_ = size;
  write_errno_ = 0;
  state_ = State::kDiscard;
  if (auto problem = file_name_problem(name); !problem.empty()) {
    discard_reply_ = "refused: " + std::string(problem);
  } else {
    temp_name_ = ".netlab-put-" + std::to_string(::getpid()) + "-" + std::to_string(g_upload_counter++);
    temp_.reset(::openat(library_->fd(), temp_name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!temp_) {
      discard_reply_ = "cannot store " + std::string(name) + ": " + core::errno_text(errno);
      temp_name_.clear();
    } else {
      put_name_ = name;
      state_ = State::kUpload;
    }
  }
  if (body_left_ == 0) {
    upload({}, out);
  }
}

size_t FileSession::upload(std::string_view data, Outbox& out) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(body_left_, data.size()));
  if (state_ == State::kUpload) {
    for (size_t done = 0; done < n;) {
      ssize_t w = ::write(temp_.get(), data.data() + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        write_errno_ = w < 0 ? errno : ENOSPC;
        discard_reply_ = "cannot store " + put_name_ + ": " + core::errno_text(write_errno_);
        abandon_upload();
        state_ = State::kDiscard;
        break;
      }
      done += static_cast<size_t>(w);
    }
  }
  body_left_ -= n;
  if (body_left_ == 0) {
    if (state_ == State::kUpload) {
      finish_upload(out);
    } else {
      reply(out, discard_reply_.rfind("refused", 0) == 0 ? 403 : 507, discard_reply_);
    }
    state_ = State::kCommand;
  }
  return n;
}

void FileSession::finish_upload(Outbox& out) {
  temp_.reset();
  if (::renameat(library_->fd(), temp_name_.c_str(), library_->fd(), put_name_.c_str()) != 0) {
    int err = errno;
    abandon_upload();
    return reply(out, 500, "cannot store " + put_name_ + ": " + core::errno_text(err));
  }
  temp_name_.clear();
  reply(out, 201, "stored " + put_name_ + " (" + std::to_string(body_size_) + " bytes)");
}

void FileSession::abandon_upload() {
  temp_.reset();
  if (!temp_name_.empty()) {
    ::unlinkat(library_->fd(), temp_name_.c_str(), 0);
    temp_name_.clear();
  }
}

}  // namespace netlab::proto
