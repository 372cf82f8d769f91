// netlab-loadgen against the project's own servers on loopback (and nginx for HTTP): every mode
// and transport completes requests, verifies them, and writes what the runner reads.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "core/net/socket.hpp"
#include "core/process/child_process.hpp"
#include "tests/integration/loadgen_test_support.hpp"
#include "tests/support/http_client.hpp"

namespace netlab::test {
namespace {

std::vector<std::string> server_args() { return {"--listen", "127.0.0.1:0", "--workers", "16"}; }

TEST(LoadgenModesTest, ClosedLoopEchoWritesEveryReport) {
  ServerProcess server("netlab-server-thread_pool", server_args());
  TempPath csv(".csv"), series(".csv"), hgrm(".hgrm"), json(".json");
  auto run = run_loadgen({"--target", server.address().to_string(), "-c", "8", "-t", "2", "-d", "1s", "--warmup",
                          "200ms", "--label", "closed", "--timeseries", series.path(), "--hgrm", hgrm.path(),
                          "--json", json.path()},
                         csv.path());
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("QPS"), std::string::npos);
  auto row = read_summary(csv.path());
  EXPECT_EQ(row["label"], "closed");
  EXPECT_EQ(row["mode"], "closed");
  EXPECT_EQ(row["exit_reason"], "ok");
  EXPECT_EQ(num(row, "connections_established"), 8);
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_EQ(num(row, "errors_total"), 0);
  // Every answer was one 16-byte echo: bytes match answers exactly (in flight ones excepted).
  EXPECT_GE(num(row, "bytes_received"), 16 * num(row, "responses_ok"));
  EXPECT_LE(num(row, "latency_p50_us"), num(row, "latency_p99_us"));
  EXPECT_LE(num(row, "latency_min_us"), num(row, "latency_p50_us"));
  EXPECT_GT(num(row, "connect_p50_us"), 0);
  std::string series_text = read_text(series.path());
  EXPECT_EQ(series_text.rfind("label,second,requests,tps,errors,latency_p50_us,latency_p99_us,connections_active\n", 0), 0u);
  EXPECT_NE(series_text.find("\nclosed,1,"), std::string::npos) << series_text;
  std::string spectrum = read_text(hgrm.path());
  EXPECT_NE(spectrum.find("Value     Percentile TotalCount 1/(1-Percentile)"), std::string::npos);
  EXPECT_NE(spectrum.find("#[Mean    ="), std::string::npos);
  std::string doc = read_text(json.path());
  EXPECT_NE(doc.find("\"git_sha\""), std::string::npos);
  EXPECT_NE(doc.find("\"label\": \"closed\""), std::string::npos);
}

// --interval 100ms: ten time series rows a second, each its interval's rate, while the live line
// still prints once a second.
TEST(LoadgenModesTest, ShortIntervalsGiveFinerRowsAndTheLiveLineStaysOncePerSecond) {
  ServerProcess server("netlab-server-thread_pool", server_args());
  TempPath series(".csv");
  auto run = run_command({bin_path("netlab-loadgen"), "--target", server.address().to_string(), "-c", "4", "-d", "2s",
                          "--interval", "100ms", "--label", "fine", "--timeseries", series.path()},
                         {}, std::chrono::seconds(30));
  ASSERT_EQ(run.status, 0) << run.output;
  std::vector<std::string> seconds;
  std::istringstream rows(read_text(series.path()));
  std::string line;
  std::getline(rows, line);  // header
  while (std::getline(rows, line)) {
    seconds.push_back(line.substr(5, line.find(',', 5) - 5));  // after "fine,"
    double tps = std::stod(line.substr(line.find(',', line.find(',', 5) + 1) + 1));
    EXPECT_GT(tps, 0) << line;
  }
  ASSERT_EQ(seconds.size(), 20u) << read_text(series.path());
  EXPECT_EQ(seconds.front(), "0.1");
  EXPECT_EQ(seconds[9], "1");
  EXPECT_EQ(seconds.back(), "2");
  size_t live_lines = 0;
  for (size_t at = 0; (at = run.output.find("s] ", at)) != std::string::npos; ++at) ++live_lines;
  EXPECT_EQ(live_lines, 2u) << run.output;
  auto refused = run_command(
      {bin_path("netlab-loadgen"), "--target", server.address().to_string(), "--interval", "1ms"}, {},
      std::chrono::seconds(10));
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.output.find("--interval: must be from 10ms to 60s"), std::string::npos) << refused.output;
}

// "--hgrm -" is standard output, as for --csv and --json: the spectrum follows the summary there,
// and no file named "-" appears in the working directory.
TEST(LoadgenModesTest, HgrmDashWritesTheSpectrumToStandardOutput) {
  ServerProcess server("netlab-server-thread_pool", server_args());
  char dir_name[] = "/tmp/netlab-loadgen-cwd-XXXXXX";
  std::string dir = mkdtemp(dir_name);
  // Only standard output is kept (stderr to /dev/null), in a fresh working directory.
  auto run = run_command({"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\" 2>/dev/null", "sh", dir,
                          bin_path("netlab-loadgen"), "--target", server.address().to_string(), "-c", "2", "-d",
                          "300ms", "--hgrm", "-"},
                         {}, std::chrono::seconds(30));
  struct stat st{};
  bool dash_file = ::stat((dir + "/-").c_str(), &st) == 0;
  run_command({"/bin/rm", "-rf", dir});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_FALSE(dash_file) << "a file named '-' was written";
  auto summary = run.output.find("QPS");
  auto spectrum = run.output.find("Value     Percentile TotalCount 1/(1-Percentile)");
  ASSERT_NE(summary, std::string::npos) << run.output;
  ASSERT_NE(spectrum, std::string::npos) << run.output;
  EXPECT_LT(summary, spectrum) << "the summary first, then the spectrum";
  EXPECT_NE(run.output.find("#[Mean    =", spectrum), std::string::npos) << run.output;
}

TEST(LoadgenModesTest, PipelinedEchoKeepsOrderAndCountsEveryAnswer) {
  ServerProcess server("netlab-server-thread_per_conn", server_args());
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "4", "--pipeline", "8",
                                         "--payload", "300", "-d", "500ms"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_EQ(num(row, "errors_total"), 0);
  EXPECT_LE(num(row, "responses_ok"), num(row, "requests_sent"));
  EXPECT_LE(num(row, "requests_sent") - num(row, "responses_ok"), 4 * 8);  // at most what was in flight
}

TEST(LoadgenModesTest, OpenLoopFollowsTheScheduleAndKeepsServiceTimeBeside) {
  ServerProcess server("netlab-server-thread_pool", server_args());
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "4", "--rate", "400", "-d",
                                         "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(row["mode"], "open");
  EXPECT_EQ(num(row, "rate_target"), 400);
  // The schedule sends 400 per second; a run can lose a few at its edges, never add any.
  EXPECT_LE(num(row, "requests_sent"), 402);
  EXPECT_GT(num(row, "requests_sent"), 0);
  EXPECT_EQ(num(row, "errors_total"), 0);
  // Latency counts from the intended send, service time from the actual one: never less.
  EXPECT_GE(num(row, "latency_p99_us"), num(row, "service_p99_us"));
  EXPECT_GT(num(row, "service_p50_us"), 0);
}

TEST(LoadgenModesTest, ConnectPerRequestOpensAConnectionPerTransaction) {
  ServerProcess server("netlab-server-thread_per_conn", server_args());
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "4", "--new-conn", "-d",
                                         "500ms"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(row["mode"], "connect");
  EXPECT_GT(num(row, "responses_ok"), 4);
  EXPECT_GE(num(row, "connections_established"), num(row, "responses_ok"));
  EXPECT_LE(num(row, "connections_peak_active"), 4);
  EXPECT_GT(num(row, "connect_p99_us"), 0);
  // A transaction includes its connect: latency from connect() is at least the service time.
  EXPECT_GE(num(row, "latency_p99_us"), num(row, "service_p50_us"));
}

TEST(LoadgenModesTest, ConnectPerRequestAtAFixedRateOpensOnSchedule) {
  ServerProcess server("netlab-server-thread_pool", server_args());
  // 400 transactions per second, each on its own connection, for one second.
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "20", "--new-conn", "--rate",
                                         "400", "-d", "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(row["mode"], "connect");
  EXPECT_EQ(num(row, "rate_target"), 400);
  // The schedule, not the server, sets the count (a few more under a slow sanitizer build would
  // mean sends beyond the schedule; fewer, slots that never came free).
  EXPECT_GE(num(row, "requests_sent"), 320) << run.output;
  EXPECT_LE(num(row, "requests_sent"), 401) << run.output;
  EXPECT_NEAR(num(row, "connections_established"), num(row, "requests_sent"), 20);
  EXPECT_GE(num(row, "responses_ok"), num(row, "requests_sent") - 20);  // answers in flight at the end
  EXPECT_EQ(num(row, "errors_total"), 0);
  EXPECT_LE(num(row, "connections_peak_active"), 20);
  EXPECT_NE(run.output.find("pacing       achieved"), std::string::npos) << run.output;
}

TEST(LoadgenModesTest, ConnectPerRequestAtAFixedRateShowsAStallFromTheSchedule) {
  // One connection at a time, 20 ms each: 50 transactions/s, asked for 200/s. Latency from each
  // transaction's scheduled time shows the queue; the slots run out, so sends are late.
  ServerProcess server("netlab-server-iterative_tcp", {"--listen", "127.0.0.1:0", "--io-delay", "20ms"});
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "4", "--new-conn", "--rate",
                                         "200", "-d", "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_GT(num(row, "late_sends"), 0) << run.output;
  EXPECT_GT(num(row, "latency_p50_us"), 3 * num(row, "service_p50_us")) << run.output;
  EXPECT_GE(num(row, "service_p50_us"), 20000);
}

TEST(LoadgenModesTest, UdpRequestResponseMatchesEveryDatagram) {
  ServerProcess server("netlab-server-iterative_udp", {"--listen", "127.0.0.1:0"});
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "--transport", "udp", "-c", "4",
                                         "--pipeline", "4", "--payload", "64", "-d", "500ms"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(row["transport"], "udp");
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_EQ(num(row, "udp_duplicate"), 0);
  EXPECT_EQ(num(row, "errors_bad_response"), 0);
  EXPECT_EQ(static_cast<long>(num(row, "bytes_received")) % 64, 0);
}

TEST(LoadgenModesTest, UdpLossIsCountedWhenNobodyAnswers) {
  // A bound UDP socket that never answers: every datagram is lost after --timeout.
  ServerProcess server("netlab-server-iterative_udp", {"--listen", "127.0.0.1:0", "--io-delay", "10s"});
  TempPath csv(".csv");
  auto run = run_loadgen({"--target", server.address().to_string(), "--transport", "udp", "-c", "2", "--timeout",
                          "100ms", "-d", "600ms", "--max-error-rate", "1"},
                         csv.path());
  EXPECT_EQ(run.status, 0) << run.output;
  auto row = read_summary(csv.path());
  EXPECT_GT(num(row, "udp_lost"), 0);
  EXPECT_EQ(num(row, "udp_lost"), num(row, "errors_timeout"));
  server.stop(9);
}

TEST(LoadgenModesTest, SourceRangeSpreadsConnectionsOverAddresses) {
  // An in-test listener that records where each connection came from, then echoes.
  core::Fd listener = core::listen_tcp(core::Address::parse("127.0.0.1:0"));
  std::string target = core::Address::local_of(listener.get()).to_string();
  std::set<std::string> sources;
  std::vector<std::thread> clients;
  std::thread acceptor([&] {
    for (int i = 0; i < 9; ++i) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      int fd = ::accept(listener.get(), reinterpret_cast<sockaddr*>(&peer), &len);
      if (fd < 0) return;
      sources.insert(core::Address::from_sockaddr(reinterpret_cast<sockaddr*>(&peer), len).host());
      clients.emplace_back([fd] {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0) {
          if (::send(fd, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
        }
        ::close(fd);
      });
    }
  });
  TempPath csv(".csv");
  // The reachability probe is one more connection (the first, from 127.0.0.1): 9 in all.
  auto run = run_loadgen({"--target", target, "-c", "8", "--source", "127.0.0.2-127.0.0.5", "-d", "300ms"}, csv.path());
  acceptor.join();
  for (auto& t : clients) t.join();
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(sources, (std::set<std::string>{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}))
      << "the probe comes from 127.0.0.1; the run's 8 connections must cover the range";
}

TEST(LoadgenModesTest, RampAndThinkTimeShapeTheLoad) {
  ServerProcess server("netlab-server-thread_pool", server_args());
  // Two connections each pausing 50 ms after every answer: at most 2 * (600 / 50) + 2 answers.
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "2", "--think", "50ms",
                                         "--ramp", "20", "-d", "600ms"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(num(row, "connections_established"), 2);
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_LE(num(row, "responses_ok"), 26);
}

TEST(LoadgenModesTest, CoalescingNapsOnlyWhenAnswersTakeLongAndManyAreOutstanding) {
  // Every answer takes 2 ms: told to nap (loadgen/engine/coalescing.hpp), the closed loop does with 8
  // requests outstanding, never with 2 (below the rule's minimum), and never with --coalesce 0.
  ServerProcess server("netlab-server-thread_per_conn", {"--listen", "127.0.0.1:0", "--io-delay", "2ms"});
  auto naps = [&](std::vector<std::string> extra) {
    TempPath csv(".csv");
    std::vector<std::string> args = {"--target", server.address().to_string(), "-d", "500ms"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = run_loadgen(args, csv.path());
    EXPECT_EQ(run.status, 0) << run.output;
    auto row = read_summary(csv.path());
    EXPECT_EQ(num(row, "errors_total"), 0);
    EXPECT_GT(num(row, "loop_wakeups"), 0);
    EXPECT_GE(num(row, "latency_p50_us"), 2000);
    return num(row, "coalescing_naps");
  };
  EXPECT_GT(naps({"-c", "8", "--coalesce", "100us"}), 0);
  EXPECT_EQ(naps({"-c", "8", "--coalesce", "0"}), 0);
  EXPECT_EQ(naps({"-c", "2", "--coalesce", "100us"}), 0);
}

TEST(LoadgenModesTest, UdpLateAndDuplicateAnswersAreToldApart) {
  // A UDP echo that holds back the first datagram for 600 ms (it is declared lost at 200 ms, so its
  // answer is late) and answers every other one twice (duplicates).
  core::Fd sock = core::bind_udp(core::Address::parse("127.0.0.1:0"));
  timeval tv{0, 20000};
  setsockopt(sock.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string target = core::Address::local_of(sock.get()).to_string();
  std::atomic<bool> done{false};
  std::thread server([&] {
    std::string held;
    sockaddr_storage held_peer{};
    socklen_t held_len = 0;
    auto held_at = std::chrono::steady_clock::now();
    while (!done) {
      char buf[2048];
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      ssize_t n = ::recvfrom(sock.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &len);
      auto now = std::chrono::steady_clock::now();
      if (n > 0 && held_len == 0) {
        held.assign(buf, static_cast<size_t>(n));
        held_peer = peer;
        held_len = len;
        held_at = now;
        continue;
      }
      if (n > 0) {
        for (int copy = 0; copy < 2; ++copy) {
          ::sendto(sock.get(), buf, static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&peer), len);
        }
      }
      if (!held.empty() && now - held_at > std::chrono::milliseconds(600)) {
        ::sendto(sock.get(), held.data(), held.size(), 0, reinterpret_cast<sockaddr*>(&held_peer), held_len);
        held.clear();
      }
    }
  });
  TempPath csv(".csv");
  auto run = run_loadgen({"--target", target, "--transport", "udp", "-c", "1", "--timeout", "200ms", "-d", "1s",
                          "--max-error-rate", "1"},
                         csv.path());
  done = true;
  server.join();
  ASSERT_EQ(run.status, 0) << run.output;
  auto row = read_summary(csv.path());
  // At least the held one; a loaded machine may delay a few more past the timeout.
  EXPECT_GE(num(row, "udp_lost"), 1) << run.output;
  EXPECT_GE(num(row, "udp_late"), 1) << run.output;
  EXPECT_LE(num(row, "udp_late"), num(row, "udp_lost"));
  EXPECT_GT(num(row, "udp_duplicate"), 0);
  // Each answer comes twice; the second copy of one that came late (after its timeout) is a
  // duplicate too.
  EXPECT_LE(num(row, "udp_duplicate"), num(row, "responses_ok") + num(row, "udp_late"));
  EXPECT_EQ(num(row, "errors_bad_response"), 0);
}

// nginx, started here with a temporary configuration on a free port; skipped when absent.
class Nginx {
 public:
  Nginx() {
    for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
      struct stat st{};
      if (::stat(path, &st) == 0) binary_ = path;
    }
    if (binary_.empty()) return;
    dir_ = "/tmp/netlab-nginx-" + std::to_string(getpid());
    ::mkdir(dir_.c_str(), 0755);
    ::mkdir((dir_ + "/root").c_str(), 0755);
    ::mkdir((dir_ + "/root/chunked").c_str(), 0755);
    std::ofstream(dir_ + "/root/index.html") << std::string(600, 'x');
    std::ofstream(dir_ + "/root/chunked/index.html") << std::string(600, 'x');
    core::Fd probe = core::listen_tcp(core::Address::parse("127.0.0.1:0"));
    port_ = core::Address::local_of(probe.get()).port();
    probe.reset();
    std::ofstream(dir_ + "/nginx.conf")
        << "daemon off; master_process off; worker_processes 1; error_log " << dir_ << "/error.log; pid " << dir_
        << "/nginx.pid;\nevents { worker_connections 1024; }\nhttp { access_log off; client_body_temp_path " << dir_
        << "; proxy_temp_path " << dir_ << "; fastcgi_temp_path " << dir_ << "; uwsgi_temp_path " << dir_
        << "; scgi_temp_path " << dir_ << ";\n server { listen 127.0.0.1:" << port_ << "; root " << dir_
        << "/root;\n"
        // sub_filter rewrites the body on the fly, so nginx cannot know its length: chunked.
        << "  location /chunked/ { sub_filter 'x' 'y'; sub_filter_once off; sub_filter_types *; }\n }\n}\n";
    nginx_.emplace(std::vector<std::string>{binary_, "-c", dir_ + "/nginx.conf", "-p", dir_}, process::SpawnOptions{});
    for (int i = 0; i < 200; ++i) {  // wait until it accepts
      try {
        core::connect_tcp(core::Address::parse("127.0.0.1:" + std::to_string(port_)));
        return;
      } catch (const std::exception&) {
        usleep(10000);
      }
    }
  }
  ~Nginx() {
    nginx_.reset();  // SIGKILL and reap before its folder goes
    if (!dir_.empty()) run_command({"/bin/rm", "-rf", dir_});
  }
  bool present() const { return !binary_.empty(); }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  std::string binary_, dir_;
  uint16_t port_ = 0;
  std::optional<process::ChildProcess> nginx_;
};

TEST(LoadgenModesTest, HttpKeepAliveAndPipeliningAgainstNginx) {
  Nginx nginx;
  if (!nginx.present()) GTEST_SKIP() << "nginx is not installed";
  TempPath csv(".csv");
  auto run = run_loadgen({"--target", nginx.url("/index.html"), "-c", "4", "--pipeline", "4", "-d", "500ms"}, csv.path());
  ASSERT_EQ(run.status, 0) << run.output;
  auto row = read_summary(csv.path());
  EXPECT_EQ(row["proto"], "http");
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_EQ(num(row, "errors_total"), 0);
  // Keep-alive: nginx closes after keepalive_requests (1000) answers, then we reconnect.
  EXPECT_GE(num(row, "connections_established"), 4);
  EXPECT_LE(num(row, "connections_established"), 4 + num(row, "responses_ok") / 900);
  EXPECT_GT(num(row, "bytes_received"), 600 * num(row, "responses_ok"));
  // A missing file is a 404: every answer is a bad response, and the run says so in its exit.
  auto missing = run_loadgen({"--target", nginx.url("/missing"), "-c", "2", "-d", "1s"}, csv.path());
  EXPECT_EQ(missing.status, 4) << missing.output;
  auto bad = read_summary(csv.path());
  EXPECT_GT(num(bad, "errors_bad_response"), 0);
  EXPECT_EQ(num(bad, "responses_ok"), 0);
}

// A 3xx is an answer by default (as in wrk) and an error with --fail-on-3xx. nginx redirects a
// folder asked for without its trailing slash (301 to /chunked/); netlab's http session has no
// redirects, so nginx is the server here.
TEST(LoadgenModesTest, FailOn3xxCountsRedirectsAsErrors) {
  Nginx nginx;
  if (!nginx.present()) GTEST_SKIP() << "nginx is not installed";
  auto [plain, row] = run_loadgen_summary({"--target", nginx.url("/chunked"), "-c", "2", "-d", "500ms"});
  ASSERT_EQ(plain.status, 0) << plain.output;
  EXPECT_GT(num(row, "status_3xx"), 0) << plain.output;
  EXPECT_EQ(num(row, "status_3xx"), num(row, "responses_ok"));
  EXPECT_EQ(num(row, "errors_total"), 0);
  EXPECT_NE(plain.output.find("(301: "), std::string::npos) << plain.output;
  auto [strict, strict_row] =
      run_loadgen_summary({"--target", nginx.url("/chunked"), "-c", "2", "-d", "500ms", "--fail-on-3xx"});
  EXPECT_EQ(strict.status, 4) << strict.output;  // every answer an error: above --max-error-rate
  EXPECT_GT(num(strict_row, "status_3xx"), 0);
  EXPECT_EQ(num(strict_row, "errors_bad_response"), num(strict_row, "status_3xx"));
  EXPECT_EQ(num(strict_row, "responses_ok"), 0);
  EXPECT_NE(strict.output.find("http: 3xx status (--fail-on-3xx)"), std::string::npos) << strict.output;
}

TEST(LoadgenModesTest, HttpChunkedAnswersFromNginxAreFramedAndCounted) {
  Nginx nginx;
  if (!nginx.present()) GTEST_SKIP() << "nginx is not installed";
  std::string curl = find_tool("curl");
  if (!curl.empty()) {  // the case under test really is chunked
    auto head = run_command({curl, "-s", "-D", "-", "-o", "/dev/null", nginx.url("/chunked/index.html")});
    ASSERT_NE(head.output.find("Transfer-Encoding: chunked"), std::string::npos) << head.output;
  }
  auto [run, row] = run_loadgen_summary({"--target", nginx.url("/chunked/index.html"), "-c", "4", "--pipeline", "4",
                                         "-d", "500ms"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_GT(num(row, "responses_ok"), 0);
  EXPECT_EQ(num(row, "errors_total"), 0) << run.output;
  EXPECT_GT(num(row, "bytes_received"), 600 * num(row, "responses_ok"));
}

}  // namespace
}  // namespace netlab::test

namespace netlab::test {
namespace {

// A missing path: every answer is a 404. It is counted by code and class, it is an error, and it
// is still an answer: its latency is measured and the summary says what the status codes were.
TEST(LoadgenHttpStatusTest, ErrorStatusesAreCountedByCodeAndStillMeasured) {
  ServerProcess server("netlab-server-epoll", {"--listen", "127.0.0.1:0", "--proto", "http"});
  TempPath csv(".csv"), json(".json");
  auto run = run_loadgen({"--target", "http://" + server.address().to_string() + "/missing", "-c", "4", "-d",
                          "500ms", "--json", json.path()},
                         csv.path());
  EXPECT_EQ(run.status, 4) << run.output;  // every answer an error: above --max-error-rate
  auto row = read_summary(csv.path());
  EXPECT_GT(num(row, "status_4xx"), 0);
  EXPECT_EQ(num(row, "status_2xx"), 0);
  EXPECT_EQ(num(row, "status_4xx"), num(row, "errors_bad_response"));
  EXPECT_EQ(num(row, "responses_ok"), 0);
  EXPECT_GT(num(row, "latency_p50_us"), 0) << "a 404's latency is measured";
  EXPECT_NE(run.output.find("status codes 0 2xx, 0 3xx, "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("(404: "), std::string::npos) << run.output;
  EXPECT_NE(read_text(json.path()).find("\"404\": "), std::string::npos);
}

// thread_pool serves one connection per worker for as long as it stays open: with 2 workers, 4 of
// 6 connections wait in the backlog for the whole run. The totals look clean; the spread does not.
TEST(LoadgenHttpStatusTest, ConnectionsThatNeverGotAnAnswerAreCountedAndWarnedAbout) {
  ServerProcess server("netlab-server-thread_pool", {"--listen", "127.0.0.1:0", "--workers", "2"});
  auto [run, row] = run_loadgen_summary({"--target", server.address().to_string(), "-c", "6", "-d", "500ms"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(num(row, "conns_unanswered"), 4) << run.output;
  EXPECT_EQ(num(row, "conn_answers_fewest"), 0);
  EXPECT_GT(num(row, "conn_answers_most"), 0);
  EXPECT_NE(run.output.find("WARNING: 4 of 6 connections got no answer"), std::string::npos) << run.output;
}

// An open loop at 4 requests/s over 20 connections asks only some of them anything: the others
// are not "connections that got no answer", and nothing warns about them.
TEST(LoadgenHttpStatusTest, ConnectionsNeverAskedAreNotCountedUnanswered) {
  ServerProcess server("netlab-server-epoll", {"--listen", "127.0.0.1:0"});
  auto [run, row] = run_loadgen_summary(
      {"--target", server.address().to_string(), "-c", "20", "--rate", "4", "-d", "1s"});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_GT(num(row, "responses_ok"), 0) << run.output;
  EXPECT_EQ(num(row, "conns_unanswered"), 0) << run.output;
  EXPECT_EQ(run.output.find("got no answer"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace netlab::test
