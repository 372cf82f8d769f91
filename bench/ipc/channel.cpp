#include "bench/ipc/channel.hpp"

#include <fstream>

#include "bench/ipc/makers.hpp"

namespace netlab::bench {

const char* transport_name(Transport t) {
  switch (t) {
    case Transport::kPipe: return "pipe";
    case Transport::kUnixStream: return "unix_stream";
    case Transport::kUnixDatagram: return "unix_dgram";
    case Transport::kMessageQueue: return "mqueue";
    case Transport::kShmSemaphore: return "shm_sem";
    case Transport::kShmAtomic: return "shm_atomic";
    case Transport::kTcp: return "tcp";
    case Transport::kUdp: return "udp";
  }
  return "?";
}

std::size_t max_message(Transport t) {
  if (t == Transport::kUdp) return 65507;  // 64 KiB minus IP and UDP headers
  if (t == Transport::kMessageQueue) {
    // Without CAP_SYS_RESOURCE, mq_open refuses messages above this sysctl (8 KiB by default).
    std::ifstream file("/proc/sys/fs/mqueue/msgsize_max");
    std::size_t limit = 8192;
    file >> limit;
    return limit;
  }
  return std::size_t{1} << 20;
}

Channel make_channel(Transport t, std::size_t message_size) {
  switch (t) {
    case Transport::kMessageQueue: return make_mq_channel(message_size);
    case Transport::kShmSemaphore: return make_shm_channel(false, message_size);
    case Transport::kShmAtomic: return make_shm_channel(true, message_size);
    default: return make_fd_channel(t, message_size);
  }
}

}  // namespace netlab::bench
