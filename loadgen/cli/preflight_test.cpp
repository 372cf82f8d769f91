#include "loadgen/cli/preflight.hpp"

#include <gtest/gtest.h>

namespace netlab::loadgen {
namespace {

Options run_with(int connections, const std::string& source = "") {
  Options o;
  o.target_text = "127.0.0.1:9000";
  o.connections = connections;
  o.source_text = source;
  validate(o);
  return o;
}

SystemLimits limits() {
  SystemLimits l;
  l.fd_soft = 1024;
  l.fd_hard = 20000;
  l.port_low = 32768;
  l.port_high = 60999;
  l.somaxconn = 4096;
  return l;
}

TEST(PreflightTest, RaisesTheSoftFdLimitWhenTheHardOneAllows) {
  auto plan = plan_preflight(run_with(5000), limits());
  EXPECT_EQ(plan.refusal, "");
  EXPECT_EQ(plan.fd_limit_set, 5000u + 64u + 1u);
  EXPECT_EQ(plan.connect_cap, 2048);
  EXPECT_NE(plan.note.find("somaxconn"), std::string::npos);
  EXPECT_EQ(plan_preflight(run_with(100), limits()).fd_limit_set, 0u);
}

TEST(PreflightTest, RefusesPastTheHardFdLimit) {
  auto plan = plan_preflight(run_with(19990), limits());
  EXPECT_EQ(plan.refusal,
            "19990 connections need 20055 open files but the hard limit (RLIMIT_NOFILE) is 20000: run several "
            "load generator processes with fewer connections each");
}

TEST(PreflightTest, RefusesMoreConnectionsThanPortsUnlessSpreadOverSources) {
  SystemLimits l = limits();
  l.fd_hard = 100000;
  auto plan = plan_preflight(run_with(30000), l);
  EXPECT_EQ(plan.refusal,
            "30000 connections from 1 source address(es) need 30000 local ports each but the ephemeral range "
            "32768-60999 has 28232: use --source with at least 2 addresses (e.g. --source 127.0.0.1-127.0.0.2)");
  EXPECT_EQ(plan_preflight(run_with(30000, "127.0.0.1-127.0.0.2"), l).refusal, "");
}

}  // namespace
}  // namespace netlab::loadgen
