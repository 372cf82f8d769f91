// EventConnection without a network or a loop: a socketpair, scripted sessions, and the calls a
// loop would make. Covers the two paths the integration tests cannot reach with echo alone: file
// ranges sent with sendfile under backpressure, and the output cap pausing reads.
#include "servers/event/event_connection.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "core/net/socket.hpp"
#include "servers/event/poller.hpp"

namespace netlab::server {
namespace {

// Answers any bytes with the whole of one file, as a file protocol's GET would.
class FileSession final : public proto::Session {
 public:
  explicit FileSession(std::shared_ptr<const core::Fd> file, uint64_t size) : file_(std::move(file)), size_(size) {}
  void on_bytes(std::string_view, proto::Outbox& out) override {
    out.write("HEADER\n");
    out.send_file({file_, 0, size_});
  }

 private:
  std::shared_ptr<const core::Fd> file_;
  uint64_t size_;
};

class EchoAll final : public proto::Session {
 public:
  void on_bytes(std::string_view data, proto::Outbox& out) override { out.write(data); }
};

struct Pair {
  core::Fd server, client;
  Pair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    server.reset(fds[0]);
    client.reset(fds[1]);
    core::set_nonblocking(server.get());
  }
};

std::string drain(int fd) {
  std::string got;
  char buf[65536];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0;) got.append(buf, static_cast<size_t>(n));
  return got;
}

TEST(EventConnectionTest, SendsAFileRangeThroughBackpressure) {
  std::string content;
  for (int i = 0; content.size() < (3u << 20); ++i) content += "line " + std::to_string(i) + "\n";
  FILE* tmp = std::tmpfile();
  ASSERT_NE(tmp, nullptr);
  ASSERT_EQ(std::fwrite(content.data(), 1, content.size(), tmp), content.size());
  std::fflush(tmp);
  auto file = std::make_shared<const core::Fd>(::dup(fileno(tmp)));
  std::fclose(tmp);

  Pair p;
  EventConnection conn(std::move(p.server), std::make_unique<FileSession>(file, content.size()), ServerOptions{});
  std::vector<char> buf(16384);
  ASSERT_EQ(::send(p.client.get(), "GET\n", 4, 0), 4);
  ASSERT_EQ(conn.on_readable(buf, false), EventConnection::Step::kKeep);
  // 3 MiB cannot fit in the socket buffers: the rest waits in the Outbox, with write interest.
  EXPECT_TRUE(conn.wanted() & kWritable);
  std::string got = drain(p.client.get());
  for (int rounds = 0; rounds < 10000 && (conn.wanted() & kWritable); ++rounds) {
    ASSERT_EQ(conn.on_writable(buf, false), EventConnection::Step::kKeep);
    got += drain(p.client.get());
  }
  got += drain(p.client.get());
  EXPECT_FALSE(conn.wanted() & kWritable);
  EXPECT_EQ(got.size(), content.size() + 7);
  EXPECT_TRUE(got == "HEADER\n" + content);
}

TEST(EventConnectionTest, StopsReadingAboveTheOutputCapAndResumesBelowIt) {
  Pair p;
  int client = p.client.get();
  EventConnection conn(std::move(p.server), std::make_unique<EchoAll>(), ServerOptions{});
  std::vector<char> buf(65536);
  // The client writes without reading until its writes would block.
  core::set_nonblocking(client);
  std::string chunk(65536, 'x');
  size_t written = 0;
  for (int i = 0; i < 200; ++i) {
    ssize_t n = ::send(client, chunk.data(), chunk.size(), 0);
    if (n <= 0) {
      // The server side drains what it can, like an edge-triggered loop would.
      ASSERT_EQ(conn.on_readable(buf, true), EventConnection::Step::kKeep);
      if (!(conn.wanted() & kReadable)) break;  // paused: the cap held
      continue;
    }
    written += static_cast<size_t>(n);
  }
  EXPECT_FALSE(conn.wanted() & kReadable) << "never paused after " << written << " bytes";
  EXPECT_LE(conn.pending_bytes(), proto::Outbox::kMaxBytes + buf.size());
  // The client reads: the output drains below the cap and reading resumes.
  for (int i = 0; i < 1000 && !(conn.wanted() & kReadable); ++i) {
    drain(client);
    ASSERT_EQ(conn.on_writable(buf, false), EventConnection::Step::kKeep);
  }
  EXPECT_TRUE(conn.wanted() & kReadable);
}

}  // namespace
}  // namespace netlab::server
