// Every server binary explains itself, rejects bad flags clearly, and stops cleanly and quickly on
// SIGTERM and SIGINT, even with a client connected and idle.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/support/line_client.hpp"
#include "tests/support/models.hpp"
#include "tests/support/sanitizers.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {
namespace {

class ServerCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string binary() const { return "netlab-server-" + GetParam(); }
  bool is_tcp() const { return std::find(kTcpModels.begin(), kTcpModels.end(), GetParam()) != kTcpModels.end(); }
};

TEST_P(ServerCliTest, HelpExplainsTheBinary) {
  auto r = run_command({bin_path(binary()), "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("--listen"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("READY"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--cpu-work"), std::string::npos);
}

TEST_P(ServerCliTest, UnknownFlagFailsWithAMessage) {
  auto r = run_command({bin_path(binary()), "--no-such-flag"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("no-such-flag"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, BadAddressFailsWithAMessage) {
  auto r = run_command({bin_path(binary()), "--listen", "127.0.0.1:99999"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("0 to 65535"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, BadDurationFailsWithAMessage) {
  auto r = run_command({bin_path(binary()), "--cpu-work", "5parsecs"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("bad duration"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, PortInUseFailsWithAMessage) {
  ServerProcess first(binary(), {"--listen", "127.0.0.1:0"});
  auto r = run_command({bin_path(binary()), "--listen", first.address().to_string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("cannot bind"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Address already in use"), std::string::npos) << r.output;
}

TEST_P(ServerCliTest, SigtermStopsWithinASecondWithAClientConnected) {
  ServerProcess server(binary(), {"--listen", "127.0.0.1:0", "--workers", "2"});
  core::Fd idle;
  if (is_tcp()) {
    idle = connect_with_timeout(server.address());
    core::Fd second = connect_with_timeout(server.address());  // one served, one perhaps queued
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto exit = server.stop(SIGTERM, std::chrono::seconds(3));
  EXPECT_TRUE(exit.exited) << "signal " << exit.signal;
  EXPECT_EQ(exit.status, 0);
  EXPECT_LT(exit.took, kStopDeadline);
}

TEST_P(ServerCliTest, SigintStopsCleanly) {
  ServerProcess server(binary(), {"--listen", "127.0.0.1:0"});
  auto exit = server.stop(SIGINT, std::chrono::seconds(3));
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 0);
  EXPECT_LT(exit.took, kStopDeadline);
}

INSTANTIATE_TEST_SUITE_P(Models, ServerCliTest, ::testing::ValuesIn(all_models()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace netlab::test
