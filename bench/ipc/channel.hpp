// Two-way IPC channels between a parent and a forked child, one class per mechanism the notes
// teach, behind one tiny interface so a single ping-pong benchmark measures them all.
//
// make_channel() creates both ends before fork(); the parent keeps `parent`, the child `child`, and
// each resets the other's. Messages have a fixed size, known to both sides (the benchmark's
// argument), so stream transports read exactly that many bytes and datagram transports carry one
// message per datagram. Set-up failures throw std::runtime_error with one clear line; send/recv
// failures throw too (a benchmark has nothing useful to do with a broken channel).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace netlab::bench {

enum class Transport {
  kPipe,          // two pipes, one per direction
  kUnixStream,    // socketpair(AF_UNIX, SOCK_STREAM)
  kUnixDatagram,  // socketpair(AF_UNIX, SOCK_DGRAM), send buffer raised to fit the message
  kMessageQueue,  // two POSIX message queues (mq_open), msgsize = the message size
  kShmSemaphore,  // shared mapping + a process-shared sem_t per direction (sleeps while waiting)
  kShmAtomic,     // shared mapping + an atomic sequence number per direction (spins while waiting)
  kTcp,           // TCP over 127.0.0.1, TCP_NODELAY
  kUdp,           // UDP over 127.0.0.1, one datagram per message
};

inline constexpr Transport kAllTransports[] = {
    Transport::kPipe,         Transport::kUnixStream, Transport::kUnixDatagram, Transport::kMessageQueue,
    Transport::kShmSemaphore, Transport::kShmAtomic,  Transport::kTcp,          Transport::kUdp};

const char* transport_name(Transport t);
// The largest message this transport carries in one piece here (UDP: 64 KiB minus headers;
// message queues: fs.mqueue.msgsize_max; the rest: 1 MiB, the largest size benchmarked).
std::size_t max_message(Transport t);

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  virtual void send(const char* data, std::size_t len) = 0;
  // Blocks until exactly `len` bytes (one message) arrived.
  virtual void recv(char* data, std::size_t len) = 0;
};

struct Channel {
  std::unique_ptr<Endpoint> parent;
  std::unique_ptr<Endpoint> child;
};

Channel make_channel(Transport t, std::size_t message_size);

}  // namespace netlab::bench
