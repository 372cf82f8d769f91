// POSIX message queues: kernel-kept queues of whole messages, named like files (/dev/mqueue).
// Each direction gets a queue holding one message of exactly the benchmark's size. Above
// fs.mqueue.msgsize_max (8 KiB by default) mq_open needs CAP_SYS_RESOURCE, and the queues count
// against RLIMIT_MSGQUEUE (800 KiB by default), which the maker raises when it may.
#include <fcntl.h>
#include <mqueue.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <string>

#include "bench/ipc/makers.hpp"
#include "core/net/error.hpp"

namespace netlab::bench {
namespace {

class QueueEndpoint : public Endpoint {
 public:
  QueueEndpoint(mqd_t out, mqd_t in) : out_(out), in_(in) {}
  ~QueueEndpoint() override {
    mq_close(out_);
    mq_close(in_);
  }
  QueueEndpoint(const QueueEndpoint&) = delete;
  QueueEndpoint& operator=(const QueueEndpoint&) = delete;

  void send(const char* data, std::size_t len) override {
    while (mq_send(out_, data, len, 0) != 0) {
      if (errno != EINTR) throw std::runtime_error("mq_send: " + core::errno_text(errno));
    }
  }
  void recv(char* data, std::size_t len) override {
    ssize_t n;
    while ((n = mq_receive(in_, data, len, nullptr)) < 0 && errno == EINTR) {
    }
    if (n != static_cast<ssize_t>(len)) throw std::runtime_error("mq_receive: " + core::errno_text(errno));
  }

 private:
  mqd_t out_;
  mqd_t in_;
};

// Opens a fresh queue and unlinks its name at once: the descriptors (inherited across fork) keep
// it alive and nothing is left in /dev/mqueue if the benchmark dies.
mqd_t open_queue(std::size_t message_size) {
  static std::atomic<int> counter{0};
  const std::string name = "/netlab-bench-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  mq_attr attr{};
  attr.mq_maxmsg = 1;
  attr.mq_msgsize = static_cast<long>(message_size);
  mqd_t q = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
  if (q == static_cast<mqd_t>(-1)) {
    throw std::runtime_error("mq_open msgsize " + std::to_string(message_size) + ": " + core::errno_text(errno));
  }
  mq_unlink(name.c_str());
  return q;
}

void allow_queue_bytes(std::size_t bytes) {
  rlimit limit{};
  if (getrlimit(RLIMIT_MSGQUEUE, &limit) != 0 || limit.rlim_cur >= bytes) return;
  limit.rlim_cur = bytes;
  if (limit.rlim_max < bytes) limit.rlim_max = bytes;  // only root may raise the hard limit
  setrlimit(RLIMIT_MSGQUEUE, &limit);                  // on failure mq_open reports the error
}

}  // namespace

Channel make_mq_channel(std::size_t message_size) {
  // Two queues of one message each, plus the kernel's per-queue bookkeeping.
  allow_queue_bytes(4 * message_size + (1 << 20));
  mqd_t down = open_queue(message_size);
  mqd_t up;
  try {
    up = open_queue(message_size);
  } catch (...) {
    mq_close(down);
    throw;
  }
  // Both processes hold both descriptors (fork duplicates them); each endpoint closes its own copy.
  mqd_t down2 = dup(down), up2 = dup(up);
  return {std::make_unique<QueueEndpoint>(down, up), std::make_unique<QueueEndpoint>(up2, down2)};
}

}  // namespace netlab::bench
