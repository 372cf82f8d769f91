#include "bench/ipc/channel.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace netlab::bench {
namespace {

class ChannelTest : public testing::TestWithParam<Transport> {};

// Kills and reaps the echo child if the test ends early (a failed ASSERT), so no child is left
// blocked on a channel nobody will write to.
struct ChildGuard {
  pid_t pid;
  bool reaped = false;
  ~ChildGuard() {
    if (!reaped) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

// A child echoes `rounds` messages of each size back; the parent checks every byte, so a channel
// that drops, truncates, merges or reorders data fails here before it can produce a benchmark figure.
TEST_P(ChannelTest, ForkedChildEchoesEveryByteOfEverySize) {
  const Transport t = GetParam();
  std::vector<std::size_t> sizes;
  for (std::size_t s : {std::size_t{1}, std::size_t{8}, std::size_t{4096}, std::size_t{65507}, std::size_t{1} << 20}) {
    if (s <= max_message(t)) sizes.push_back(s);
  }
  for (std::size_t size : sizes) {
    SCOPED_TRACE(std::string(transport_name(t)) + " size " + std::to_string(size));
    Channel channel = make_channel(t, size);
    constexpr int kRounds = 3;
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      channel.parent.reset();
      std::vector<char> buf(size);
      try {
        for (int i = 0; i < kRounds; ++i) {
          channel.child->recv(buf.data(), size);
          channel.child->send(buf.data(), size);
        }
      } catch (...) {
        _exit(1);
      }
      _exit(0);
    }
    ChildGuard guard{child};
    channel.child.reset();
    for (int i = 0; i < kRounds; ++i) {
      std::vector<char> out(size), in(size, 0);
      for (std::size_t j = 0; j < size; ++j) out[j] = static_cast<char>((j * 31 + static_cast<std::size_t>(i)) & 0xff);
      channel.parent->send(out.data(), size);
      channel.parent->recv(in.data(), size);
      ASSERT_EQ(in, out) << "round " << i;
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    guard.reaped = true;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
}

INSTANTIATE_TEST_SUITE_P(AllTransports, ChannelTest, testing::ValuesIn(kAllTransports),
                         [](const testing::TestParamInfo<Transport>& p) {
                           return std::string(transport_name(p.param));
                         });

TEST(ChannelLimitsTest, MaxMessageReflectsEachTransportsLimit) {
  EXPECT_EQ(max_message(Transport::kUdp), 65507u);
  EXPECT_GE(max_message(Transport::kMessageQueue), 4096u);  // fs.mqueue.msgsize_max: 8 KiB by default
  EXPECT_EQ(max_message(Transport::kPipe), std::size_t{1} << 20);
}

}  // namespace
}  // namespace netlab::bench
