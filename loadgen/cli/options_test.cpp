#include "loadgen/cli/options.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace netlab::loadgen {
namespace {

Options with_target(const std::string& target) {
  Options o;
  o.target_text = target;
  return o;
}

std::string error_of(Options o) {
  try {
    validate(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(OptionsTest, DefaultsAreAClosedLoopEchoRun) {
  Options o = with_target("127.0.0.1:9000");
  validate(o);
  EXPECT_EQ(o.mode, Mode::kClosed);
  EXPECT_EQ(o.proto, ClientProto::kEcho);
  EXPECT_EQ(o.target.to_string(), "127.0.0.1:9000");
  EXPECT_EQ(o.duration_ns, 10'000'000'000);
  EXPECT_EQ(o.timeout_ns, 5'000'000'000);
}

TEST(OptionsTest, UrlTargetImpliesHttpAndPath) {
  Options o = with_target("http://127.0.0.1:8080/static/a.html");
  validate(o);
  EXPECT_EQ(o.proto, ClientProto::kHttp);
  EXPECT_EQ(o.path, "/static/a.html");
  EXPECT_EQ(o.host_header, "127.0.0.1:8080");
  Options bare = with_target("http://localhost");
  validate(bare);
  EXPECT_EQ(bare.target.port(), 80);
  EXPECT_EQ(bare.path, "/");
}

TEST(OptionsTest, ModesFromRateAndNewConn) {
  Options open = with_target("127.0.0.1:1");
  open.rate = 500;
  open.duration_text = "500ms";
  validate(open);
  EXPECT_EQ(open.mode, Mode::kOpen);
  EXPECT_EQ(open.duration_ns, 500'000'000);
  Options connect = with_target("127.0.0.1:1");
  connect.new_conn = true;
  validate(connect);
  EXPECT_EQ(connect.mode, Mode::kConnect);
}

// One unit rule (core/util/duration.hpp): a bare number is seconds, as in wrk; --think and
// --coalesce, whose values are well under a second, need a unit.
TEST(OptionsTest, BareNumbersAreSecondsAndSubSecondFlagsNeedAUnit) {
  Options o = with_target("127.0.0.1:9000");
  o.duration_text = "3";
  o.timeout_text = "2";
  o.warmup_text = "1";
  validate(o);
  EXPECT_EQ(o.duration_ns, 3'000'000'000);
  EXPECT_EQ(o.timeout_ns, 2'000'000'000);
  EXPECT_EQ(o.warmup_ns, 1'000'000'000);
  Options think = with_target("127.0.0.1:9000");
  think.think_text = "50";
  EXPECT_EQ(error_of(think), "--think: bad duration '50': needs a unit: 50us, 50ms, 50s");
  Options coalesce = with_target("127.0.0.1:9000");
  coalesce.coalesce_text = "1";
  EXPECT_EQ(error_of(coalesce), "--coalesce: bad duration '1': needs a unit: 1us, 1ms, 1s");
}

TEST(OptionsTest, RejectsWhatCannotRunWithTheFlagNamed) {
  auto o = [] { return with_target("127.0.0.1:9000"); };
  EXPECT_EQ(error_of(with_target("")), "--target is required (HOST:PORT or http://host:port/path)");
  EXPECT_NE(error_of(with_target("nohost:notaport")).find("--target"), std::string::npos);
  Options x = o();
  x.proto_text = "gopher";
  EXPECT_EQ(error_of(x), "--proto: unknown protocol 'gopher' (known: echo, http, file, chat)");
  x = o();
  x.connections = 0;
  EXPECT_EQ(error_of(x), "--connections: must be at least 1");
  x = o();
  x.threads = 4;
  x.connections = 2;
  EXPECT_EQ(error_of(x), "--threads: more threads (4) than connections (2)");
  x = o();
  x.duration_text = "ten";
  EXPECT_NE(error_of(x).find("--duration"), std::string::npos);
  x = o();
  x.new_conn = true;
  x.rate = 10;
  x.ramp = 5;
  EXPECT_EQ(error_of(x), "--ramp: not with --new-conn --rate (the rate paces the connects)");
  x = o();
  x.new_conn = true;
  x.rate = 10;
  x.think_text = "1ms";
  EXPECT_EQ(error_of(x), "--think: only in closed loop (without --rate)");
  x = o();
  x.new_conn = true;
  x.rate = 10;
  validate(x);  // paced connect-per-request
  EXPECT_EQ(x.mode, Mode::kConnect);
  x = o();
  x.transport_text = "udp";
  x.proto_text = "http";
  EXPECT_EQ(error_of(x), "--transport udp: only --proto echo and chat run over UDP");
  x = o();
  x.transport_text = "udp";
  x.payload = 8;
  EXPECT_EQ(error_of(x), "--payload: must be from 16 to 65536 bytes");
  x = o();
  x.rate = 10;
  x.think_text = "1ms";
  EXPECT_EQ(error_of(x), "--think: only in closed loop (without --rate)");
  x = o();
  x.coalesce_text = "20ms";
  EXPECT_EQ(error_of(x), "--coalesce: at most 10ms (it delays answers by up to this much)");
  x = o();
  x.coalesce_text = "0";
  EXPECT_EQ(error_of(x), "");
  EXPECT_EQ(x.coalesce_ns, 0);
  x = o();
  x.label = "a,b";
  EXPECT_EQ(error_of(x), "--label: no commas, quotes or newlines");
  x = o();
  x.source_text = "127.0.0.1-127.0.0.4";
  EXPECT_EQ(error_of(x), "");
}

TEST(OptionsTest, FileAndChatWorkloads) {
  Options get = with_target("127.0.0.1:9000");
  get.proto_text = "file";
  EXPECT_NE(error_of(get).find("--file-name"), std::string::npos);
  get.file_name = "big.bin";
  get.connections = 4;
  validate(get);
  EXPECT_FALSE(get.file_put);
  EXPECT_EQ(get.threads, 4);  // one blocking thread per connection
  Options put = with_target("127.0.0.1:9000");
  put.proto_text = "file";
  put.file_op_text = "put";
  validate(put);
  EXPECT_TRUE(put.file_put);
  EXPECT_EQ(put.file_name, "lg");
  put = with_target("127.0.0.1:9000");
  put.proto_text = "file";
  put.file_op_text = "put";
  put.file_name = "../up";
  EXPECT_NE(error_of(put).find("--file-name"), std::string::npos);
  put.file_name = "x";
  put.rate = 5;
  EXPECT_EQ(error_of(put), "--proto file: runs closed loop (no --rate or --new-conn)");
  put.rate = 0;
  put.file_op_text = "delete";
  EXPECT_EQ(error_of(put), "--file-op: must be get or put");

  Options chat = with_target("127.0.0.1:9000");
  chat.proto_text = "chat";
  EXPECT_EQ(error_of(chat), "--proto chat: needs --rate (messages per second over all members)");
  chat.rate = 100;
  validate(chat);
  EXPECT_EQ(chat.transport, Transport::kUdp);
  EXPECT_EQ(chat.mode, Mode::kOpen);
  chat.connections = 1;
  EXPECT_EQ(error_of(chat), "--proto chat: needs at least 2 members (--connections)");
}

}  // namespace
}  // namespace netlab::loadgen
