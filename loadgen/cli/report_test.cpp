#include "loadgen/cli/report.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/util/csv.hpp"

namespace netlab::loadgen {
namespace {

const char* kContractHeader =
    "label,target,proto,transport,mode,threads,connections_requested,connections_established,"
    "connections_peak_active,duration_s,rate_target,requests_sent,responses_ok,qps,tps,bytes_sent,"
    "bytes_received,errors_total,errors_connect,errors_read,errors_write,errors_reset,errors_timeout,"
    "errors_bad_response,latency_min_us,latency_mean_us,latency_p50_us,latency_p90_us,latency_p99_us,"
    "latency_p999_us,latency_p9999_us,latency_max_us,service_p50_us,service_p99_us,connect_p50_us,"
    "connect_p99_us,late_sends,udp_lost,udp_duplicate,udp_late,loadgen_cpu_pct,loop_lag_max_us,"
    "generator_bottleneck,exit_reason,throughput_mbps,loop_wakeups,coalescing_naps,status_1xx,status_2xx,"
    "status_3xx,status_4xx,status_5xx,conn_answers_fewest,conn_answers_most,conns_unanswered\n";

std::pair<Options, RunResult> sample() {
  Options o;
  o.target_text = "127.0.0.1:9000";
  o.label = "case-1";
  o.rate = 1000;
  validate(o);
  RunResult r;
  r.duration_s = 2.0;
  r.connections_established = 10;
  r.connections_peak_active = 10;
  r.total.counters.requests_sent = 2000;
  r.total.counters.responses_ok = 1990;
  r.total.counters.errors[static_cast<size_t>(ErrorKind::kReset)] = 10;
  r.total.counters.last_errno[static_cast<size_t>(ErrorKind::kReset)] = 104;
  r.total.counters.last_detail[static_cast<size_t>(ErrorKind::kReset)] = "read";
  for (uint64_t v = 1; v <= 100; ++v) r.total.latency.record(v);
  r.total.service.record(7);
  return {o, r};
}

// The live line names what one answer is: a request, a file transfer or a chat delivery.
TEST(ReportTest, TheLiveLineCountsTransfersAndDeliveries) {
  SecondRow row;
  row.second = 3;
  row.answers = 1500;
  row.p50_us = 980;
  row.p99_us = 2500;
  row.connections_active = 4;
  auto line_for = [&](const std::string& proto, auto&& adjust) {
    Options o;
    o.target_text = "127.0.0.1:9000";
    o.proto_text = proto;
    o.connections = 4;
    adjust(o);
    validate(o);
    return live_line(o, row);
  };
  std::string echo = line_for("echo", [](Options&) {});
  std::string file = line_for("file", [](Options& o) { o.file_name = "big.bin"; });
  std::string chat = line_for("chat", [](Options& o) { o.rate = 100; });
  EXPECT_NE(echo.find(" req/s "), std::string::npos) << echo;
  EXPECT_NE(file.find(" transfers/s "), std::string::npos) << file;
  EXPECT_NE(chat.find(" deliveries/s "), std::string::npos) << chat;
  for (const auto& line : {file, chat}) EXPECT_EQ(line.find("req/s"), std::string::npos) << line;
  EXPECT_EQ(file.rfind("[   3s]", 0), 0u) << file;
  EXPECT_NE(file.find("conns 4/4"), std::string::npos) << file;
}

TEST(ReportTest, CsvHeaderIsTheContract) { EXPECT_EQ(csv_header(), kContractHeader); }

TEST(ReportTest, CsvRowHasOneValuePerColumn) {
  auto [o, r] = sample();
  std::string row = csv_row(o, r);
  ASSERT_EQ(row.back(), '\n');
  row.pop_back();
  auto values = core::split_csv_line(row);
  std::string header = csv_header();
  header.pop_back();
  auto names = core::split_csv_line(header);
  ASSERT_EQ(values.size(), names.size());
  auto value = [&](const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return values[i];
    }
    return std::string("?");
  };
  EXPECT_EQ(value("label"), "case-1");
  EXPECT_EQ(value("mode"), "open");
  EXPECT_EQ(value("qps"), "1000.0");
  EXPECT_EQ(value("tps"), "995.0");
  EXPECT_EQ(value("errors_total"), "10");
  EXPECT_EQ(value("errors_reset"), "10");
  EXPECT_EQ(value("latency_p50_us"), "50");
  EXPECT_EQ(value("latency_p99_us"), "99");
  EXPECT_EQ(value("latency_max_us"), "100");
  EXPECT_EQ(value("service_p50_us"), "7");
  EXPECT_EQ(value("rate_target"), "1000.0");
  EXPECT_EQ(value("exit_reason"), "ok");
}

TEST(ReportTest, AppendWritesTheHeaderOnlyOnce) {
  char path[] = "/tmp/netlab-report-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  append_with_header(path, "h\n", "1\n");
  append_with_header(path, "h\n", "2\n");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "h\n1\n2\n");
  std::remove(path);
  EXPECT_THROW(append_with_header("/nonexistent-dir/x.csv", "h\n", "1\n"), std::runtime_error);
}

TEST(ReportTest, JsonCarriesSummaryErrorsAndMetadata) {
  auto [o, r] = sample();
  auto doc = nlohmann::json::parse(json_document(o, r, {"netlab-loadgen", "--label", "case \"1\""}));
  EXPECT_EQ(doc["meta"]["arguments"], (std::vector<std::string>{"netlab-loadgen", "--label", "case \"1\""}));
  EXPECT_EQ(doc["meta"]["tool"], "netlab-loadgen");
  EXPECT_TRUE(doc["meta"]["git_sha"].is_string());
  EXPECT_EQ(doc["meta"]["kernel"].get<std::string>().rfind("Linux ", 0), 0u);
  EXPECT_DOUBLE_EQ(doc["summary"]["qps"].get<double>(), 1000.0);
  EXPECT_EQ(doc["summary"]["label"], "case-1");
  EXPECT_EQ(doc["errors"]["reset"]["count"], 10);
  EXPECT_EQ(doc["errors"]["reset"]["last_errno"], 104);
  EXPECT_EQ(doc["errors"]["reset"]["last"], "read: Connection reset by peer (ECONNRESET)");
  for (const auto& [name, value] : doc["summary"].items()) {
    EXPECT_FALSE(value.is_null()) << name << " did not parse as a number";
  }
}

TEST(ReportTest, TimeseriesRowsFollowTheirHeader) {
  SecondRow row{3, 1200, 1190.5, 2, 40, 90, 10};
  EXPECT_EQ(timeseries_header(), "label,second,requests,tps,errors,latency_p50_us,latency_p99_us,connections_active\n");
  EXPECT_EQ(timeseries_row("x", row), "x,3,1200,1190.5,2,40,90,10\n");
  row.second = 0.3;  // --interval 100ms: the third row ends 0.3 s into the measurement
  EXPECT_EQ(timeseries_row("x", row), "x,0.3,1200,1190.5,2,40,90,10\n");
}

}  // namespace
}  // namespace netlab::loadgen
