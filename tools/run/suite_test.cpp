#include "tools/run/suite.hpp"

#include <gtest/gtest.h>

namespace netlab::run {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::string& text) {
  try {
    parse_suite(text, "s.toml");
  } catch (const SuiteError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SuiteTest, ExpandsTheCrossProductOfEachTable) {
  auto s = parse_suite(R"(
name = "t"
duration = "2s"
warmup = "500ms"
repetitions = 2
[server]
workers = 3
[[cases]]
models = ["epoll", "thread_pool"]
connections = [1, 10, 100]
[[cases]]
name = "udp"
models = ["iterative_udp"]
connections = 5
payloads = [64]
)", "s.toml");
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.duration, 2s);
  EXPECT_EQ(s.warmup, 500ms);
  EXPECT_EQ(s.interval, 100ms);  // the default: ten timeseries rows a second
  ASSERT_EQ(s.cases.size(), 2u * 3u * 2u + 2u);
  // Repetitions outermost: every case once before any case twice.
  EXPECT_EQ(s.cases[0].id, "epoll-echo-c1-rep1");
  EXPECT_EQ(s.cases[1].id, "epoll-echo-c10-rep1");
  EXPECT_EQ(s.cases[7].id, "epoll-echo-c1-rep2");
  EXPECT_EQ(s.cases[7].repetition, 2);
  EXPECT_EQ(s.cases[0].server.workers, 3);
  EXPECT_EQ(s.cases.back().id, "iterative_udp-echo-c5-p64-rep2");
  EXPECT_EQ(s.cases.back().group, "udp");
}

TEST(SuiteTest, CaseTablesOverrideServerAndLoadSettings) {
  auto s = parse_suite(R"(
[load]
threads = 2
[[cases]]
models = ["prefork"]
connections = [1, 8]
cpu_work = ["1ms"]
io_delay = ["0us", "250us"]
rates = [1000]
[cases.server]
workers = "connections"
[cases.load]
pipeline = 4
)", "s.toml");
  ASSERT_EQ(s.cases.size(), 4u);
  EXPECT_EQ(s.cases[0].id, "prefork-echo-c1-r1000-cpu1ms");
  EXPECT_EQ(s.cases[1].id, "prefork-echo-c1-r1000-cpu1ms-io250us");
  EXPECT_EQ(s.cases[0].server.workers, 1);
  EXPECT_EQ(s.cases[2].server.workers, 8);
  EXPECT_EQ(s.cases[0].load.threads, 1);  // never more threads than connections
  EXPECT_EQ(s.cases[2].load.threads, 2);
  EXPECT_EQ(s.cases[2].load.pipeline, 4);
  EXPECT_EQ(s.cases[1].io_delay, 250us);
}

TEST(SuiteTest, SyntaxErrorsCarryLineAndColumn) {
  EXPECT_EQ(error_of("name = \"x\"\nduration = \n").rfind("s.toml:2:", 0), 0u) << error_of("name = \"x\"\nduration = \n");
}

TEST(SuiteTest, UnknownKeysAreErrorsWithTheirPosition) {
  auto e = error_of("[[cases]]\nmodels = [\"epoll\"]\nconnectoins = [1]\n");
  EXPECT_NE(e.find("s.toml:3:1"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'connectoins'"), std::string::npos) << e;
  e = error_of("[server]\nwokers = 2\n[[cases]]\nmodels = [\"epoll\"]\n");
  EXPECT_NE(e.find("s.toml:2:1"), std::string::npos) << e;
  EXPECT_NE(e.find("in [server]"), std::string::npos) << e;
  EXPECT_NE(error_of("colour = 1\n[[cases]]\nmodels=[\"a\"]\n").find("unknown key 'colour'"), std::string::npos);
}

TEST(SuiteTest, BadValuesAreErrorsWithTheirPosition) {
  auto e = error_of("duration = \"10 parsecs\"\n[[cases]]\nmodels = [\"epoll\"]\n");
  EXPECT_NE(e.find("s.toml:1:12"), std::string::npos) << e;
  EXPECT_NE(e.find("bad duration"), std::string::npos) << e;
  e = error_of("[[cases]]\nmodels = [\"epoll\"]\nconnections = [0]\n");
  EXPECT_NE(e.find("s.toml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("from 1 to"), std::string::npos) << e;
  EXPECT_NE(error_of("[[cases]]\nmodels = []\n").find("must not be empty"), std::string::npos);
  EXPECT_NE(error_of("placement = \"moon\"\n[[cases]]\nmodels=[\"a\"]\n").find("shared"), std::string::npos);
  EXPECT_NE(error_of("[[cases]]\nmodels = 3\n").find("must hold strings"), std::string::npos);
  e = error_of("interval = \"1ms\"\n[[cases]]\nmodels = [\"epoll\"]\n");
  EXPECT_NE(e.find("s.toml:1:12: 'interval' (a timeseries.csv row) must be from 10ms to 60s"), std::string::npos) << e;
  EXPECT_EQ(parse_suite("interval = \"1s\"\n[[cases]]\nmodels = [\"epoll\"]\n", "s.toml").interval, 1s);
}

// The servers' unit rule: durations take units, a bare one is seconds, and the per-request costs
// (cpu_work, io_delay) refuse a bare number as --cpu-work and --io-delay do.
TEST(SuiteTest, BareDurationsAreSecondsAndCostsNeedAUnit) {
  Suite s = parse_suite("duration = \"2\"\n[[cases]]\nmodels = [\"epoll\"]\ncpu_work = [\"0\"]\n", "s.toml");
  EXPECT_EQ(s.duration, 2s);
  auto e = error_of("[[cases]]\nmodels = [\"epoll\"]\ncpu_work = [\"50\"]\n");
  EXPECT_NE(e.find("s.toml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("needs a unit: 50us, 50ms, 50s"), std::string::npos) << e;
  EXPECT_NE(error_of("[[cases]]\nmodels = [\"epoll\"]\nio_delay = \"1\"\n").find("needs a unit"), std::string::npos);
}

TEST(SuiteTest, NeedsCasesAndModels) {
  EXPECT_NE(error_of("name = \"x\"\n").find("at least one [[cases]]"), std::string::npos);
  EXPECT_NE(error_of("[[cases]]\nconnections = [1]\n").find("needs 'models'"), std::string::npos);
}

TEST(SuiteTest, OverlappingTablesAreRefused) {
  auto e = error_of("[[cases]]\nmodels=[\"a\"]\n[[cases]]\nmodels=[\"a\"]\n");
  EXPECT_NE(e.find("appears twice"), std::string::npos) << e;
}

TEST(SuiteTest, VariantsNameTheirCasesApart) {
  auto s = parse_suite(R"(
[[cases]]
models = ["epoll"]
[[cases]]
models = ["epoll"]
variant = "edge"
[cases.server]
extra_args = ["--trigger", "edge"]
)", "s.toml");
  ASSERT_EQ(s.cases.size(), 2u);
  EXPECT_EQ(s.cases[0].id, "epoll-echo-c1");
  EXPECT_EQ(s.cases[1].id, "epoll+edge-echo-c1");
  EXPECT_EQ(s.cases[1].series(), "epoll+edge");
  EXPECT_EQ(s.cases[1].server.extra_args.size(), 2u);
  EXPECT_NE(error_of("[[cases]]\nmodels=[\"a\"]\nvariant=\"Edge Case\"\n").find("lower-case"), std::string::npos);
}

// The gate's suite: timed cases repeated for statistics, deterministic cost cases twice.
TEST(SuiteTest, CostCasesAndPerTableRepetitions) {
  auto s = parse_suite(R"(
repetitions = 3
cost_requests = 5000
[[cases]]
models = ["epoll"]
[[cases]]
models = ["epoll", "poll"]
measure = "cost"
repetitions = 2
)", "s.toml");
  EXPECT_EQ(s.cost_requests, 5000u);
  ASSERT_EQ(s.cases.size(), 3u + 2u * 2u);
  EXPECT_EQ(s.cases[0].id, "epoll-echo-c1-rep1");
  EXPECT_TRUE(s.cases[0].timed());
  EXPECT_FALSE(s.cases[0].cost());
  EXPECT_EQ(s.cases[1].id, "epoll-echo-c1-cost-rep1");
  EXPECT_FALSE(s.cases[1].timed());
  EXPECT_TRUE(s.cases[1].cost());
  EXPECT_EQ(s.cases.back().id, "epoll-echo-c1-rep3");  // the cost table stopped after two
  auto e = error_of("[[cases]]\nmodels=[\"a\"]\nmeasure=\"vibes\"\n");
  EXPECT_NE(e.find("s.toml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("'measure' must be"), std::string::npos) << e;
  EXPECT_NE(error_of("cost_requests = 5\n[[cases]]\nmodels=[\"a\"]\n").find("cost_requests"), std::string::npos);
}

TEST(SuiteTest, TheNameIsAPlainFileName) {
  // It names the folder under --results: "../../../x" would write outside it.
  auto e = error_of("description = \"d\"\nname = \"../../../x\"\n[[cases]]\nmodels=[\"a\"]\n");
  EXPECT_EQ(e.rfind("s.toml:2:8: 'name' names the results folder", 0), 0u) << e;
  EXPECT_NE(error_of("name = \"a/b\"\n[[cases]]\nmodels=[\"a\"]\n").find("s.toml:1:8:"), std::string::npos);
  EXPECT_NE(error_of("name = \".hidden\"\n[[cases]]\nmodels=[\"a\"]\n").find("s.toml:1:8:"), std::string::npos);
  EXPECT_EQ(parse_suite("name = \"c10k_v2.1-x\"\n[[cases]]\nmodels=[\"a\"]\n", "s.toml").name, "c10k_v2.1-x");
}

TEST(SuiteTest, AnUnknownProtocolHasItsPosition) {
  auto e = error_of("[[cases]]\nmodels=[\"a\"]\nprotocols = [\"echo\", \"gopher\"]\n");
  EXPECT_EQ(e.rfind("s.toml:3:22: unknown protocol 'gopher'", 0), 0u) << e;
  auto s = parse_suite("[[cases]]\nmodels = [\"a\", \"b\"]\nprotocols = [\"echo\", \"http\"]\n", "s.toml");
  ASSERT_EQ(s.cases.size(), 4u);
  EXPECT_EQ(s.cases[3].model_at.line, 2);  // b, http
  EXPECT_EQ(s.cases[3].model_at.column, 16);
  EXPECT_EQ(s.cases[3].protocol_at.line, 3);
  EXPECT_EQ(s.cases[3].protocol_at.column, 22);
}

TEST(SuiteTest, AModelIsAPlainNameWithItsPosition) {
  // Case ids start with the model and name result files: no '/', no "..".
  auto e = error_of("[[cases]]\nmodels = [\"epoll\", \"../x\"]\n");
  EXPECT_EQ(e.rfind("s.toml:2:20: a model is a server's name", 0), 0u) << e;
  EXPECT_NE(error_of("[[cases]]\nmodels = [\"iterat/ve_tcp\"]\n").find("s.toml:2:11:"), std::string::npos);
  EXPECT_NE(error_of("[[cases]]\nmodels = [\"\"]\n").find("a model is"), std::string::npos);
  EXPECT_EQ(parse_suite("[[cases]]\nmodels = [\"io_uring\", \"epoll_udp\"]\n", "s.toml").cases.size(), 2u);
}

TEST(SuiteTest, RatesAreFiniteAndInRange) {
  auto e = error_of("[[cases]]\nmodels = [\"epoll\"]\nrates = [100, 1e300]\n");
  EXPECT_EQ(e.rfind("s.toml:3:15: 'rates' must be from 0", 0), 0u) << e;
  EXPECT_NE(error_of("[[cases]]\nmodels = [\"epoll\"]\nrates = inf\n").find("'rates' must be"), std::string::npos);
  EXPECT_NE(error_of("[[cases]]\nmodels = [\"epoll\"]\nrates = nan\n").find("'rates' must be"), std::string::npos);
  EXPECT_NE(error_of("[[cases]]\nmodels = [\"epoll\"]\nrates = -5\n").find("'rates' must be"), std::string::npos);
  EXPECT_EQ(parse_suite("[[cases]]\nmodels = [\"epoll\"]\nrates = [0, 1e9]\n", "s.toml").cases[1].id, "epoll-echo-c1-r1000000000");
}

TEST(SuiteTest, FilterTakesWholeIdsOrGlobs) {
  const std::string text = "[[cases]]\nmodels=[\"epoll\",\"poll\"]\nconnections=[1,10,100]\n";
  auto ids = [&](const std::string& filter, const std::string& suite_text) {
    auto s = parse_suite(suite_text, "s.toml");
    filter_cases(s, filter);
    std::vector<std::string> out;
    for (const auto& c : s.cases) out.push_back(c.id);
    return out;
  };
  EXPECT_EQ(ids("epoll-echo-c1", text), std::vector<std::string>{"epoll-echo-c1"});  // not c10, c100
  EXPECT_EQ(ids("epoll-echo-c1,poll-echo-c10", text), (std::vector<std::string>{"epoll-echo-c1", "poll-echo-c10"}));
  EXPECT_EQ(ids("*-c10", text), (std::vector<std::string>{"epoll-echo-c10", "poll-echo-c10"}));
  EXPECT_EQ(ids("poll-*", text).size(), 3u);  // poll's only: epoll does not start with poll-
  // With repetitions, the id without -rep<n> picks every repetition.
  EXPECT_EQ(ids("epoll-echo-c1", "repetitions = 2\n" + text),
            (std::vector<std::string>{"epoll-echo-c1-rep1", "epoll-echo-c1-rep2"}));
  try {
    ids("epoll-echo-c1,epoll-echo-c2", text);
    ADD_FAILURE() << "a part that matches nothing was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--filter 'epoll-echo-c2' matches no case"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ids("epoll", text), std::runtime_error);  // no longer a substring
}

}  // namespace
}  // namespace netlab::run
