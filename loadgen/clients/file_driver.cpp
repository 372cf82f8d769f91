#include "loadgen/clients/file_driver.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "core/net/error.hpp"
#include "core/net/io.hpp"
#include "core/net/socket.hpp"
#include "loadgen/engine/clock.hpp"

namespace netlab::loadgen {
namespace {

constexpr size_t kBufferSize = 256 * 1024;
constexpr size_t kBlockSize = 64 * 1024;
constexpr size_t kStamp = 16;  // hex digits at the start of every PUT block: the upload's number
constexpr int64_t kRetryDelayNs = 10'000'000;
constexpr int64_t kMaxDrainNs = 1'000'000'000;
constexpr int kLateDeletes = 5;  // DELETEs after the first, 100 ms apart, when a PUT may land late


void put_stamp(char* out, uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = kStamp; i-- > 0; v >>= 4) out[i] = kHex[v & 15];
}

}  // namespace

FileDriver::FileDriver(const Options& options, int, int first, int)
    : BasicDriver(options), conn_(first), buf_(kBufferSize) {
  get_request_ = proto::file_frame("GET " + options.file_name);
  if (options.file_put) {
    put_name_ = options.file_name + "-" + std::to_string(first);
    get_request_ = proto::file_frame("GET " + put_name_);
    put_header_ = proto::file_frame("PUT " + put_name_ + " " + std::to_string(options.file_size));
    put_suffix_ = "(" + std::to_string(options.file_size) + " bytes)";
    block_.resize(kBlockSize);
    for (size_t i = 0; i < block_.size(); ++i) block_[i] = static_cast<char>('a' + (i * 7 + static_cast<size_t>(first)) % 26);
  }
}

void FileDriver::setup() {
  if (!connect_once()) throw std::runtime_error("cannot connect to " + options_.target.to_string());
}

bool FileDriver::connect_once() {
  int64_t start = now_ns();
  try {
    fd_ = core::connect_tcp(options_.target);
  } catch (const std::exception&) {
    if (!measuring_over()) count_error(ErrorKind::kConnect, errno, "connect");
    return false;
  }
  set_timeouts();
  have_ = used_ = 0;
  metrics_.connect.record(to_us(now_ns() - start));
  ++metrics_.counters.connections_established;
  add_established(1);
  set_active(1);
  return true;
}

void FileDriver::set_timeouts() {
  int one = 1;
  setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // Blocking I/O with a deadline: a stalled server shows as a timeout, not a hung thread.
  timeval tv{static_cast<time_t>(options_.timeout_ns / 1'000'000'000),
             static_cast<suseconds_t>(options_.timeout_ns % 1'000'000'000 / 1000)};
  setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void FileDriver::body() {
  for (;;) {
    int64_t now = now_ns();
    if (tick(now)) return;  // a transfer is never begun after the measurement
    if (fd_.get() < 0) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(kRetryDelayNs));
      connect_once();
      continue;
    }
    (options_.file_put ? put_once() : get_once());
  }
}

void FileDriver::teardown() {
  if (options_.file_put && !options_.keep_uploads && uploads_ > 0) remove_upload();
  if (fd_.get() < 0) return;
  std::string quit = proto::file_frame("QUIT");
  (void)::send(fd_.get(), quit.data(), quit.size(), MSG_NOSIGNAL);
  fd_ = core::Fd();
  set_active(0);
}

// The measurement is over and published: nothing here is counted. The connection is at a request
// boundary when still open (a cut transfer closes it), else a fresh one is made, uncounted too.
// A PUT the drain cut after its last byte was sent still lands when the server gets to it, maybe
// after the first DELETE: then the DELETE is repeated a few times over half a second. A server
// slower than that can still leave the upload behind.
void FileDriver::remove_upload() {
  auto warn = [this](const std::string& why) {
    std::string line = "netlab-loadgen: upload " + put_name_ + " left in the server's library: " + why + "\n";
    std::fputs(line.c_str(), stderr);  // one write: lines from several connections never interleave
  };
  if (fd_.get() < 0) {
    try {
      fd_ = core::connect_tcp(options_.target);
    } catch (const std::exception& e) {
      return warn(e.what());
    }
    set_timeouts();
    have_ = used_ = 0;
  }
  const int attempts = put_in_doubt_ ? 1 + kLateDeletes : 1;
  for (int i = 0; i < attempts; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    drain_until_ = now_ns() + std::min(options_.timeout_ns, kMaxDrainNs);  // abandon() gives up after it
    std::string request = proto::file_frame("DELETE " + put_name_);
    proto::FileReply reply;
    if (send_all(request.data(), request.size(), false) != Step::kOk || read_reply(reply) != Step::kOk ||
        (reply.size > 0 && read_data(reply.size, nullptr) != Step::kOk)) {
      return warn("no answer to DELETE");
    }
    // 404: the upload is not there (never landed, or already removed), so nothing is left.
    if (reply.code != 200 && reply.code != 404) {
      return warn("server says " + std::to_string(reply.code) + ": " + reply.message);
    }
  }
}

bool FileDriver::abandon() const {
  return measuring_over() && now_ns() > drain_until_;
}

FileDriver::Step FileDriver::get_once() {
  int64_t start = now_ns();
  ++metrics_.counters.requests_sent;
  Checksum sum;
  Step s = fetch(get_request_, sum, "file: GET refused");
  if (s != Step::kOk) return s;
  if (!have_reference_) {
    have_reference_ = true;
    reference_sum_ = sum.value();
    reference_size_ = sum.size();
  } else if (sum.value() != reference_sum_ || sum.size() != reference_size_) {
    return bad("file: GET content differs from the first GET's (size or checksum)");
  }
  if (measuring_over()) return Step::kOk;
  int64_t now = now_ns();
  metrics_.latency.record(to_us(now - start));
  metrics_.service.record(to_us(now - start));
  ++metrics_.counters.responses_ok;
  metrics_.counters.payload_bytes += sum.size();
  return Step::kOk;
}

FileDriver::Step FileDriver::put_once() {
  int64_t start = now_ns();
  ++metrics_.counters.requests_sent;
  uint64_t number = uploads_++;
  put_stamp(block_.data(), number);
  Checksum sent;
  if (Step s = send_all(put_header_.data(), put_header_.size(), options_.file_size > 0); s != Step::kOk) return s;
  auto left = static_cast<uint64_t>(options_.file_size);
  while (left > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, block_.size()));
    sent.update(block_.data(), n);
    if (Step s = send_all(block_.data(), n, n < left); s != Step::kOk) return s;
    left -= n;
  }
  put_in_doubt_ = true;
  proto::FileReply reply;
  if (Step s = read_reply(reply); s != Step::kOk) return s;
  put_in_doubt_ = false;
  if (reply.size > 0) {
    if (Step s = read_data(reply.size, nullptr); s != Step::kOk) return s;
  }
  if (reply.code != 201) return bad("file: PUT refused (status other than 201)");
  if (reply.message.size() < put_suffix_.size() ||
      reply.message.compare(reply.message.size() - put_suffix_.size(), put_suffix_.size(), put_suffix_) != 0) {
    return bad("file: PUT reply names another size than was sent");
  }
  int64_t done = now_ns();
  if (options_.file_verify_every > 0 && number % static_cast<uint64_t>(options_.file_verify_every) == 0) {
    Checksum back;
    if (Step s = fetch(get_request_, back, "file: GET of the uploaded file refused"); s != Step::kOk) return s;
    if (back.value() != sent.value() || back.size() != sent.size()) {
      return bad("file: uploaded file read back differs (size or checksum)");
    }
  }
  if (measuring_over()) return Step::kOk;
  metrics_.latency.record(to_us(done - start));
  metrics_.service.record(to_us(done - start));
  ++metrics_.counters.responses_ok;
  metrics_.counters.payload_bytes += static_cast<uint64_t>(options_.file_size);
  return Step::kOk;
}

FileDriver::Step FileDriver::fetch(const std::string& request, Checksum& sum, const char* what) {
  if (Step s = send_all(request.data(), request.size(), false); s != Step::kOk) return s;
  proto::FileReply reply;
  if (Step s = read_reply(reply); s != Step::kOk) return s;
  bool ok = reply.code == 200;
  if (Step s = read_data(reply.size, ok ? &sum : nullptr); s != Step::kOk) return s;
  if (!ok) return bad(what);
  if (sum.size() != reply.size) return bad("file: data size differs from the reply's");
  return Step::kOk;
}

FileDriver::Step FileDriver::read_reply(proto::FileReply& reply) {
  for (;;) {
    std::string_view text;
    size_t frame_len = 0;
    auto r = proto::parse_file_frame(std::string_view(buf_.data() + used_, have_ - used_), text, frame_len);
    if (r == proto::FrameParse::kBad) {
      bad("file: malformed reply frame");
      return fail(ErrorKind::kBadResponse, 0, "file: malformed reply frame");
    }
    if (r == proto::FrameParse::kOk) {
      used_ += frame_len;
      if (!proto::parse_file_reply(text, reply)) {
        bad("file: malformed reply");
        return fail(ErrorKind::kBadResponse, 0, "file: malformed reply");
      }
      return Step::kOk;
    }
    if (used_ > 0) {  // keep the partial frame at the front
      std::memmove(buf_.data(), buf_.data() + used_, have_ - used_);
      have_ -= used_;
      used_ = 0;
    }
    if (abandon()) return fail(ErrorKind::kTimeout, 0, "drain over");
    // read_some retries EINTR: not only signals cause it (docs/models.md, the io_uring section).
    ssize_t n = core::read_some(fd_.get(), buf_.data() + have_, buf_.size() - have_);
    if (n <= 0) return io_error(n == 0 ? 0 : errno, true);
    metrics_.counters.bytes_received += static_cast<uint64_t>(n);
    have_ += static_cast<size_t>(n);
  }
}

FileDriver::Step FileDriver::read_data(uint64_t n, Checksum* sum) {
  while (n > 0) {
    if (used_ == have_) {
      tick(now_ns());  // a long transfer still publishes every second
      if (measuring_over() && drain_until_ == INT64_MAX) drain_until_ = now_ns() + std::min(options_.timeout_ns, kMaxDrainNs);
      if (abandon()) return fail(ErrorKind::kTimeout, 0, "drain over");
      used_ = have_ = 0;
      ssize_t got = core::read_some(fd_.get(), buf_.data(), buf_.size());
      if (got <= 0) return io_error(got == 0 ? 0 : errno, true);
      metrics_.counters.bytes_received += static_cast<uint64_t>(got);
      have_ = static_cast<size_t>(got);
    }
    size_t take = static_cast<size_t>(std::min<uint64_t>(n, have_ - used_));
    if (sum) sum->update(buf_.data() + used_, take);
    used_ += take;
    n -= take;
  }
  return Step::kOk;
}

FileDriver::Step FileDriver::send_all(const char* data, size_t len, bool more) {
  while (len > 0) {
    if (abandon()) return fail(ErrorKind::kTimeout, 0, "drain over");
    ssize_t n = ::send(fd_.get(), data, len, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(errno, false);
    }
    metrics_.counters.bytes_sent += static_cast<uint64_t>(n);
    data += n;
    len -= static_cast<size_t>(n);
  }
  tick(now_ns());
  if (measuring_over() && drain_until_ == INT64_MAX) drain_until_ = now_ns() + std::min(options_.timeout_ns, kMaxDrainNs);
  return Step::kOk;
}

FileDriver::Step FileDriver::io_error(int err, bool reading) {
  if (err == 0) return fail(ErrorKind::kRead, 0, "file: server closed the connection mid-transfer");
  if (err == EAGAIN || err == EWOULDBLOCK) return fail(ErrorKind::kTimeout, 0, "no answer within --timeout");
  if (err == ECONNRESET || err == EPIPE) return fail(ErrorKind::kReset, err, reading ? "read" : "write");
  return fail(reading ? ErrorKind::kRead : ErrorKind::kWrite, err, reading ? "read" : "write");
}

FileDriver::Step FileDriver::fail(ErrorKind kind, int err, const char* detail) {
  if (!measuring_over() && kind != ErrorKind::kBadResponse) count_error(kind, err, detail);
  fd_ = core::Fd();
  set_active(0);
  return Step::kFailed;
}

FileDriver::Step FileDriver::bad(const char* detail) {
  if (!measuring_over()) count_error(ErrorKind::kBadResponse, 0, detail);
  return Step::kBad;
}

}  // namespace netlab::loadgen
