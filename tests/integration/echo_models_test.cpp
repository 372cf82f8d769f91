// Every model serves echo correctly under concurrency: real binaries on loopback, port 0, 100
// concurrent clients each exchanging 100 lines of varied sizes (some pipelined), every byte checked.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/net/io.hpp"
#include "core/net/socket.hpp"
#include "tests/support/line_client.hpp"
#include "tests/support/models.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

constexpr int kClients = 100;
constexpr int kLines = 100;

// Sizes from empty to 20 KB, most small: exercises split reads and multi-read lines.
size_t line_size(int client, int line) {
  unsigned x = static_cast<unsigned>(client * 7919 + line * 104729);
  switch (x % 10) {
    case 0: return 0;
    case 1: return 20000 - x % 1000;
    case 2: case 3: return 1000 + x % 4000;
    default: return x % 200;
  }
}

// Runs one client's conversation; returns an empty string or what went wrong.
std::string run_client(const core::Address& addr, int client) {
  core::Fd fd = connect_with_timeout(addr);
  int line = 0;
  while (line < kLines) {
    // Batches of 1-4 lines in one write: the server must split merged lines.
    int batch = std::min(kLines - line, 1 + (client + line) % 4);
    std::string request;
    for (int i = 0; i < batch; ++i) {
      request += make_line(line_size(client, line + i), static_cast<unsigned>(client * 1000 + line + i));
      request += '\n';
    }
    if (!core::write_all(fd.get(), request)) {
      return "client " + std::to_string(client) + ": write failed at line " + std::to_string(line);
    }
    std::string reply = read_exactly(fd.get(), request.size());
    if (reply != request) {
      return "client " + std::to_string(client) + ": reply differs at line " + std::to_string(line) +
             " (got " + std::to_string(reply.size()) + " of " + std::to_string(request.size()) + " bytes)";
    }
    line += batch;
  }
  return {};
}

class TcpEchoModelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TcpEchoModelTest, HundredConcurrentClientsGetEveryByteBack) {
  ServerProcess server("netlab-server-" + GetParam(), {"--listen", "127.0.0.1:0", "--workers", "4"});
  std::vector<std::string> failures(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      try {
        failures[c] = run_client(server.address(), c);
      } catch (const std::exception& e) {
        failures[c] = e.what();
      }
    });
  }
  for (auto& t : clients) t.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  auto exit = server.stop();
  EXPECT_TRUE(exit.exited) << server.stderr_text();
  EXPECT_EQ(exit.status, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, TcpEchoModelTest, ::testing::ValuesIn(kTcpModels),
                         [](const auto& p) { return p.param; });

class UdpEchoModelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(UdpEchoModelTest, HundredConcurrentClientsGetEveryDatagramBack) {
  ServerProcess server("netlab-server-" + GetParam(), {"--listen", "127.0.0.1:0"});
  std::atomic<int> lost{0};
  std::vector<std::string> failures(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      core::Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
      timeval tv{0, 300000};
      setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::connect(fd.get(), server.address().sockaddr_ptr(), server.address().length());
      for (int i = 0; i < kLines && failures[c].empty(); ++i) {
        std::string datagram = make_line(line_size(c, i) % 1400, static_cast<unsigned>(c * 1000 + i));
        std::string reply(2000, '\0');
        ssize_t n = -1;
        // UDP may lose a datagram: resend up to three times before calling it a failure.
        for (int attempt = 0; attempt < 4 && n < 0; ++attempt) {
          if (attempt > 0) ++lost;
          ::send(fd.get(), datagram.data(), datagram.size(), 0);
          n = ::recv(fd.get(), reply.data(), reply.size(), 0);
        }
        if (n < 0) {
          failures[c] = "client " + std::to_string(c) + ": no reply to datagram " + std::to_string(i);
        } else if (reply.substr(0, static_cast<size_t>(n)) != datagram) {
          failures[c] = "client " + std::to_string(c) + ": wrong reply to datagram " + std::to_string(i);
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  EXPECT_LT(lost.load(), kClients * kLines / 100) << "more than 1% of datagrams needed a resend";
  auto exit = server.stop();
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, UdpEchoModelTest, ::testing::ValuesIn(kUdpModels),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace netlab::test
