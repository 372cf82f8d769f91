// Every readiness backend behind Poller answers the same questions the same way: select, poll,
// and epoll level- and edge-triggered, on real descriptors (socketpairs). Where they differ by
// design (edge reports once per change; select cannot hold a descriptor >= FD_SETSIZE), the test
// says so.
#include "servers/event/poller.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/net/fd.hpp"
#include "tests/support/socket_pair.hpp"

namespace netlab::server {
namespace {

struct Variant {
  std::string name;
  Backend backend;
  bool edge;
};

void PrintTo(const Variant& v, std::ostream* os) { *os << v.name; }

using test::socket_pair;
using test::SocketPair;

class PollerTest : public ::testing::TestWithParam<Variant> {
 protected:
  std::unique_ptr<Poller> poller_ = make_poller(GetParam().backend, GetParam().edge);

  // What wait() reports for fd within timeout_ms: 0 when nothing.
  uint32_t events_for(int fd, int timeout_ms = 0) {
    ReadyEvent out[16];
    int n = poller_->wait(out, timeout_ms);
    uint32_t events = 0;
    for (int i = 0; i < n; ++i) {
      if (out[i].fd == fd) events |= out[i].events;
    }
    return events;
  }
};

TEST_P(PollerTest, SaysWhichBackendItIs) {
  EXPECT_EQ(poller_->edge_triggered(), GetParam().edge);
  EXPECT_FALSE(poller_->name().empty());
}

TEST_P(PollerTest, NothingReadyMeansTheTimeoutPasses) {
  SocketPair p = socket_pair();
  ASSERT_TRUE(poller_->add(p.a.get(), kReadable));
  ReadyEvent out[4];
  if (GetParam().edge) {
    EXPECT_EQ(poller_->wait(out, 1000), 1);  // edge watches writability too: the first edge, once
    EXPECT_EQ(out[0].events, kWritable);
  }
  EXPECT_EQ(poller_->wait(out, 20), 0);
}

TEST_P(PollerTest, ReportsReadableOnceDataArrives) {
  SocketPair p = socket_pair();
  ASSERT_TRUE(poller_->add(p.a.get(), kReadable));
  ASSERT_EQ(::write(p.b.get(), "x", 1), 1);
  EXPECT_TRUE(events_for(p.a.get(), 1000) & kReadable);
}

TEST_P(PollerTest, LevelReportsAgainWhileDataIsLeftEdgeOnlyOnChange) {
  SocketPair p = socket_pair();
  ASSERT_TRUE(poller_->add(p.a.get(), kReadable));
  ASSERT_EQ(::write(p.b.get(), "xy", 2), 2);
  ASSERT_TRUE(events_for(p.a.get(), 1000) & kReadable);
  // Nothing read: a level-triggered backend reports it again, an edge-triggered one waits for more.
  bool again = events_for(p.a.get(), 20) & kReadable;
  EXPECT_EQ(again, !GetParam().edge);
  ASSERT_EQ(::write(p.b.get(), "z", 1), 1);
  EXPECT_TRUE(events_for(p.a.get(), 1000) & kReadable);
}

TEST_P(PollerTest, WritableInterestIsWhatModifySays) {
  SocketPair p = socket_pair();
  ASSERT_TRUE(poller_->add(p.a.get(), kReadable | kWritable));
  EXPECT_TRUE(events_for(p.a.get(), 1000) & kWritable);  // an empty send buffer
  if (GetParam().edge) {
    return;  // edge-triggered watches both from the start and never needs modify
  }
  poller_->modify(p.a.get(), kReadable);
  EXPECT_FALSE(events_for(p.a.get(), 20) & kWritable);
  poller_->modify(p.a.get(), kReadable | kWritable);
  EXPECT_TRUE(events_for(p.a.get(), 1000) & kWritable);
}

TEST_P(PollerTest, ARemovedDescriptorIsNoLongerReported) {
  SocketPair p = socket_pair();
  SocketPair q = socket_pair();
  ASSERT_TRUE(poller_->add(p.a.get(), kReadable));
  ASSERT_TRUE(poller_->add(q.a.get(), kReadable));
  poller_->remove(p.a.get());
  ASSERT_EQ(::write(p.b.get(), "x", 1), 1);
  ASSERT_EQ(::write(q.b.get(), "x", 1), 1);
  ReadyEvent out[4];
  int n = poller_->wait(out, 1000);
  ASSERT_EQ(n, 1);
  EXPECT_EQ(out[0].fd, q.a.get());
}

TEST_P(PollerTest, APeerThatClosedIsReportedSoReadingSaysSo) {
  SocketPair p = socket_pair();
  ASSERT_TRUE(poller_->add(p.a.get(), kReadable));
  p.b.reset();
  EXPECT_TRUE(events_for(p.a.get(), 1000) & (kReadable | kHangup));
  char c;
  EXPECT_EQ(::read(p.a.get(), &c, 1), 0);
}

TEST_P(PollerTest, OnlySelectRefusesADescriptorPastFdSetsize) {
  rlimit lim{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
  if (lim.rlim_max <= FD_SETSIZE + 10) GTEST_SKIP() << "the descriptor limit is below FD_SETSIZE";
  if (lim.rlim_cur <= FD_SETSIZE + 10) {
    lim.rlim_cur = FD_SETSIZE + 11;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
  }
  SocketPair p = socket_pair();
  core::Fd high(::fcntl(p.a.get(), F_DUPFD_CLOEXEC, FD_SETSIZE + 5));
  ASSERT_GE(high.get(), FD_SETSIZE);
  bool added = poller_->add(high.get(), kReadable);
  if (GetParam().backend == Backend::kSelect) {
    EXPECT_FALSE(added);
    EXPECT_EQ(errno, ERANGE);
  } else {
    EXPECT_TRUE(added);
    ASSERT_EQ(::write(p.b.get(), "x", 1), 1);
    EXPECT_TRUE(events_for(high.get(), 1000) & kReadable);
    poller_->remove(high.get());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, PollerTest,
                         ::testing::Values(Variant{"select", Backend::kSelect, false},
                                           Variant{"poll", Backend::kPoll, false},
                                           Variant{"epoll_level", Backend::kEpoll, false},
                                           Variant{"epoll_edge", Backend::kEpoll, true}),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace netlab::server
