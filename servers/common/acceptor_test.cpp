#include "servers/common/acceptor.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/net/socket.hpp"

namespace netlab::server {
namespace {

const ModelInfo kTestModel{.name = "acceptor_test", .transport = Transport::kTcp, .summary = "test"};

// Fills this process's descriptor table up to a lowered soft limit, and gives it all back after.
class FullDescriptorTable {
 public:
  FullDescriptorTable() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    int highest = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ::close(highest);
    rlimit low = saved_;
    low.rlim_cur = static_cast<rlim_t>(highest) + 16;  // everything below is in use or ours
    ::setrlimit(RLIMIT_NOFILE, &low);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) fillers_.emplace_back(fd);
  }
  ~FullDescriptorTable() {
    fillers_.clear();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  void free_one() { fillers_.pop_back(); }

 private:
  rlimit saved_{};
  std::vector<core::Fd> fillers_;
};

// What the server sent, or "" when it sent nothing within a second (a served client gets no reply).
std::string read_reply(int fd) {
  timeval second{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second);
  char buf[256];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// The spare can be lost: another thread may take the slot between the refusal's close and the
// spare's reopening (glibc does, once, when a ninth thread needs a malloc arena). A slot freed
// later must go back to the spare before any connection takes it: a connection there would leave
// no descriptor to refuse with, and every client after it would hang in the backlog for as long as
// the process stays at its limit (the thread_per_conn flake in CI, 6 failures in 30 runs).
TEST(AcceptorTest, ALostSpareIsTakenBackBeforeAnyoneIsServed) {
  ServerOptions options;
  options.listen = core::Address::parse("127.0.0.1:0");
  ServerContext ctx(kTestModel, options);
  core::set_nonblocking(ctx.listener());
  // Both clients' sockets exist before the table fills: connecting takes no descriptor.
  core::Fd first(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  core::Fd second(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  FullDescriptorTable full;
  Acceptor acceptor(ctx, ctx.listener());  // made at the limit: no spare, as after a lost one
  full.free_one();
  ASSERT_EQ(::connect(first.get(), ctx.bound().sockaddr_ptr(), ctx.bound().length()), 0);
  ASSERT_EQ(::connect(second.get(), ctx.bound().sockaddr_ptr(), ctx.bound().length()), 0);

  core::Fd conn;
  EXPECT_EQ(acceptor.accept(conn), AcceptResult::kRefused) << "a connection took the spare's slot";
  EXPECT_EQ(acceptor.accept(conn), AcceptResult::kRefused) << "the second client was left waiting";
  EXPECT_EQ(acceptor.refused_out_of_fds(), 2u);
  EXPECT_EQ(read_reply(first.get()), "ERR server busy: out of file descriptors\n");
  EXPECT_EQ(read_reply(second.get()), "ERR server busy: out of file descriptors\n");
}

}  // namespace
}  // namespace netlab::server
