// The one command line every netlab-server-<model> binary shares. It parses options, opens the
// listener, prints the ready line ("READY 127.0.0.1:43817" on stdout) and hands over to the model's
// serve(). Exit status: 0 after a clean stop (SIGINT/SIGTERM) and for --help/--version, 1 on a
// set-up failure, 2 on a usage error (one line starting with the binary's name).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <thread>

#include "core/net/error.hpp"
#include "core/net/stop.hpp"
#include "core/util/command_line.hpp"
#include "core/util/duration.hpp"
#include "servers/common/server.hpp"
#include "servers/git_sha.hpp"

namespace {

using netlab::core::BareNumber;
using netlab::server::Transport;

// Durations follow the one rule of core/util/duration.hpp: a bare number is seconds (as nginx's
// timeouts), and the per-request costs, well under a second, need a unit.
std::chrono::microseconds parse_micros(const std::string& flag, const std::string& text, BareNumber bare) {
  try {
    return std::chrono::duration_cast<std::chrono::microseconds>(netlab::core::parse_duration(text, bare));
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError(flag, e.what());
  }
}

// A timeout of at least 1 ms: 0 would close every connection at once.
std::chrono::milliseconds parse_timeout(const std::string& flag, const std::string& text) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(parse_micros(flag, text, BareNumber::kSeconds));
  if (ms.count() < 1) {
    throw CLI::ValidationError(flag, "must be at least 1ms, got " + text);
  }
  return ms;
}

// The protocols this model's transport carries ("echo, http, file" for TCP), for --help and the
// refusal of any other.
std::string served_protocols(bool tcp) {
  std::string names;
  for (const auto& name : netlab::proto::protocol_names()) {
    auto p = netlab::proto::parse_protocol(name);
    if (tcp ? netlab::proto::is_stream_protocol(p) : netlab::proto::is_datagram_protocol(p)) {
      names += (names.empty() ? "" : ", ") + name;
    }
  }
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  const auto& info = kModelInfo;
  const std::string binary = "netlab-server-" + std::string(info.name);
  const bool tcp = info.transport == Transport::kTcp;

  CLI::App app(std::string(info.summary) + "\n\nOn start it prints 'READY <bound address>' on stdout; SIGINT or SIGTERM stops it cleanly (exit 0).",
               binary);
  app.get_formatter()->column_width(34);
  app.footer(
      "Durations take units: 250us, 500ms, 10s, 2m. A bare number means seconds (as in nginx), except for\n"
      "--cpu-work and --io-delay, which need a unit (a bare number other than 0 is refused).");
  std::string listen = "127.0.0.1:9000";  // loopback: the file protocol's PUT is not for every network
  std::string proto = "echo";
  std::string cpu_work = "0";
  uint64_t cpu_spin = 0;
  std::string io_delay = "0";
  netlab::server::ServerOptions options;
  options.workers = info.default_workers > 0 ? info.default_workers : 1;
  options.max_conns = 10000;
  options.queue = 1024;
  size_t max_line = 0;

  app.add_option("-l,--listen", listen, "Address to listen on, HOST:PORT (port 0 picks a free one; 0.0.0.0:PORT for every interface)")
      ->capture_default_str();
  const std::string served = served_protocols(tcp);
  app.add_option("-p,--proto", proto, "Protocol to serve: " + served + " (over " + (tcp ? "TCP" : "UDP") + ")")
      ->capture_default_str();
  // Every model takes every flag, so a runner can sweep models with one set of options; a flag a
  // model has no use for says so in --help.
  const std::string unused = " (not used by this model)";
  app.add_option("-w,--workers", options.workers,
                 "Worker threads or processes" + (info.default_workers > 0 ? std::string() : unused))
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--max-conns", options.max_conns,
                 "Most connections served at once; more get a busy reply" + (tcp ? std::string() : unused))
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--queue", options.queue,
                 "Accepted connections waiting for a worker" +
                     (info.uses_queue ? std::string() : unused))
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--backlog", options.backlog, "listen() backlog, capped by net.core.somaxconn" + (tcp ? std::string() : unused))
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  app.add_option("--max-line", max_line, "Longest echo line in bytes before an error and close (default 65536)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
  app.add_option("--cpu-work", cpu_work, "CPU burned per request (thread CPU time): 50us, 1ms; a unit is required")
      ->capture_default_str();
  app.add_option("--cpu-spin", cpu_spin,
                 "Steps of a fixed integer loop per request: a set instruction count, unlike --cpu-work's "
                 "time (the gate's sensitivity checks use it to make a slower build)")
      ->capture_default_str();
  app.add_option("--io-delay", io_delay, "Blocking sleep per request (simulated IO): 50us, 1ms; a unit is required")
      ->capture_default_str();
  std::string trigger = "level";
  std::string send_timeout = "10s";
  app.add_option("--trigger", trigger,
                 "epoll notification: level or edge" + (info.epoll_trigger ? std::string() : unused))
      ->capture_default_str()
      ->check(CLI::IsMember({"level", "edge"}));
  app.add_option("--send-timeout", send_timeout,
                 "Close a connection whose queued output made no progress this long" + (tcp ? std::string() : unused))
      ->capture_default_str();
  std::string header_timeout = "10s";
  std::string idle_timeout = "60s";
  app.add_option("--header-timeout", header_timeout,
                 "Close a connection whose request (HTTP head, echo line, file command) is not complete this "
                 "long after its first byte; HTTP answers 408" + (tcp ? std::string() : unused))
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout,
                 "Close a keep-alive connection that starts no new request for this long" +
                     (tcp ? std::string() : unused))
      ->capture_default_str();
  app.add_option("--root", options.protocol.root,
                 "Document root (http) or file library (file)" + (tcp ? std::string() : unused));
  bool no_file_cache = false;
  std::string file_cache_valid = "1s";
  uint64_t body_cache_max = netlab::proto::FileCacheLimits{}.max_body;
  app.add_flag("--no-file-cache", no_file_cache,
               "http: open, stat and close the file on every request and send head and body apart, instead "
               "of keeping open files and small bodies per worker" + (tcp ? std::string() : unused));
  app.add_option("--file-cache-valid", file_cache_valid,
                 "http: how long a cached file is served before it is opened again, so a file changed on disk "
                 "is seen this soon" + (tcp ? std::string() : unused))
      ->capture_default_str();
  app.add_option("--body-cache-max", body_cache_max,
                 "http: largest body kept in memory and sent with its head in one write (suffixes K, M); "
                 "larger files keep an open descriptor and go out with sendfile; 0: none in memory" +
                     (tcp ? std::string() : unused))
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--max-upload", options.protocol.max_upload,
                 "file: largest PUT accepted, in bytes (suffixes K, M, G: powers of 1024); a larger one is "
                 "refused with 413 before a byte is written, and the connection closes" +
                     (tcp ? std::string() : unused))
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--admin-notice", options.protocol.admin_notice,
                 "chat: a notice every member gets on joining; lines typed on stdin go to all at once" +
                     (tcp ? unused : std::string()));

  app.set_version_flag("--version", binary + " " + NETLAB_VERSION + " (git " + NETLAB_SERVER_GIT_SHA + ")",
                       "Print the version and git commit, then exit");
  bool model_info = false;
  app.add_flag("--model-info", model_info,
               "Print one machine-readable line about this model (model=, transport=, workers=) and exit");

  auto usage = netlab::core::parse_command_line(app, argc, argv, binary, [&] {
    if (model_info) return;
    options.listen = netlab::core::Address::parse(listen);
    options.protocol.protocol = netlab::proto::parse_protocol(proto);
    options.protocol.workload.cpu = parse_micros("--cpu-work", cpu_work, BareNumber::kNeedsUnit);
    options.protocol.workload.io = parse_micros("--io-delay", io_delay, BareNumber::kNeedsUnit);
    options.protocol.workload.spin = cpu_spin;
    options.protocol.max_line = max_line;
    options.edge_triggered = trigger == "edge";
    options.send_timeout = parse_timeout("--send-timeout", send_timeout);
    options.header_timeout = parse_timeout("--header-timeout", header_timeout);
    options.idle_timeout = parse_timeout("--idle-timeout", idle_timeout);
    if (no_file_cache) {
      options.protocol.file_cache.reset();
    } else {
      options.protocol.file_cache->valid = parse_timeout("--file-cache-valid", file_cache_valid);
      options.protocol.file_cache->max_body = body_cache_max;
    }
    if (tcp ? !netlab::proto::is_stream_protocol(options.protocol.protocol)
            : !netlab::proto::is_datagram_protocol(options.protocol.protocol)) {
      throw CLI::ValidationError("--proto", proto + " cannot be served over " + (tcp ? "TCP" : "UDP") +
                                                "; this model serves " + served);
    }
  });
  if (usage) return *usage;
  if (model_info) {
    std::printf("model=%s transport=%s workers=%d\n", std::string(info.name).c_str(), tcp ? "tcp" : "udp",
                info.default_workers);
    return 0;
  }

  try {
    netlab::core::install_stop_signals();
    netlab::server::ServerContext ctx(info, std::move(options));
    std::string detail = "serving " + proto + " over " + (tcp ? "tcp" : "udp") + " on " + ctx.bound().to_string();
    if (info.default_workers > 0) detail += " with " + std::to_string(ctx.options().workers) + " workers";
    netlab::server::log(ctx, detail);
    std::printf("READY %s\n", ctx.bound().to_string().c_str());
    std::fflush(stdout);
    int status = serve(ctx);
    netlab::server::log(ctx, "stopped");
    return status;
  } catch (const std::exception& e) {
    std::cerr << binary << ": " << e.what() << "\n";
    return 1;
  }
}
