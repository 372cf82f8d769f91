#include "loadgen/cli/cli.hpp"

namespace netlab::loadgen {

void add_options(CLI::App& app, Options& o) {
  app.get_formatter()->column_width(36);
  app.footer(
      "Durations take units: 500us, 250ms, 10s, 2m. A bare number means seconds (-d 10, as in wrk), except for\n"
      "--think and --coalesce, which need a unit (a bare number other than 0 is refused).\n"
      "Exit status: 0 clean run, 1 runtime failure (target unreachable, every connection failed),\n"
      "2 bad usage, 3 preflight refused (fd limit, ephemeral ports), 4 error rate above --max-error-rate,\n"
      "130 interrupted (SIGINT/SIGTERM; what was measured is still printed and written).");
  // Required, but checked after parsing (options.cpp), so an unknown flag is named first.
  app.add_option("--target", o.target_text, "HOST:PORT, or http://host:port/path (implies --proto http); required");
  app.add_option("--proto", o.proto_text, "Protocol: echo (newline-framed), http (HTTP/1.1 GET), file (GET/PUT transfers), chat (UDP room)")->capture_default_str();
  app.add_option("--transport", o.transport_text, "tcp or udp (udp: echo; chat always runs over udp)")->capture_default_str();
  app.add_option("--path", o.path, "HTTP path to GET (default: from the URL, else /)");
  app.add_option("-c,--connections", o.connections, "Connections to open and hold (UDP: sockets)")->capture_default_str();
  app.add_option("-t,--threads", o.threads, "Event loop threads")->capture_default_str();
  app.add_option("-d,--duration", o.duration_text, "How long to measure")->capture_default_str();
  app.add_option("--warmup", o.warmup_text, "Load before measuring, excluded from the results")->capture_default_str();
  app.add_option("--rate", o.rate, "Open loop: requests per second over all connections (0 = closed loop; with --new-conn, new connections)")
      ->capture_default_str();
  app.add_option("--pipeline", o.pipeline, "Requests in flight per connection")->capture_default_str();
  app.add_flag("--new-conn", o.new_conn,
               "A fresh TCP connection per request (TPS as netperf TCP_CRR); with --rate, one opened at each scheduled time");
  app.add_option("--ramp", o.ramp, "Open at most this many new connections per second (0 = all at once)")
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_text, "Connect and answer timeout; UDP: a datagram is lost after it")
      ->capture_default_str();
  app.add_option("--source", o.source_text, "Source addresses to spread connections over: 127.0.0.1-127.0.0.16");
  app.add_option("--payload", o.payload, "Bytes per echo request, newline included")->capture_default_str();
  app.add_option("--think", o.think_text, "Closed loop: pause after each answer before the next request")
      ->capture_default_str();
  app.add_option("--coalesce", o.coalesce_text,
                 "Closed loop: nap after a batch of answers so one wake-up takes many: auto (probe "
                 "whether it raises answers/s, naps up to 1ms), 0 (never), or the longest nap (always)")
      ->capture_default_str();
  app.add_option("--requests", o.requests,
                 "Stop after this many requests in all, each answered (warm-up included; --duration stays a cap); "
                 "for per-request cost counts. 0 = run for --duration")
      ->capture_default_str();
  app.add_flag("--fail-on-3xx", o.fail_on_3xx,
               "HTTP: count 3xx answers as errors (by default 2xx and 3xx are answers; 4xx and 5xx are errors)");
  app.add_option("--csv", o.csv, "Append the summary row to this CSV (header first when new); - for stdout");
  app.add_option("--timeseries", o.timeseries, "Append one row per measured interval (--interval) to this CSV");
  app.add_option("--interval", o.interval_text,
                 "Length of a --timeseries row, 10ms to 60s (the live line still prints about once a second)")
      ->capture_default_str();
  app.add_option("--hgrm", o.hgrm, "Write the latency percentile spectrum (HdrHistogram text) here; - for stdout");
  app.add_option("--json", o.json, "Write the summary with run metadata as JSON here; - for stdout");
  app.add_option("--max-error-rate", o.max_error_rate, "Exit 4 when errors / (answers + errors) is above this (1 = never)")
      ->capture_default_str();
  app.add_option("--label", o.label, "Copied into the CSV and JSON to name this case");
  app.add_option("--file-op", o.file_op_text, "file: get (download --file-name) or put (upload generated data)")
      ->capture_default_str();
  app.add_option("--file-name", o.file_name, "file: the file to GET; for PUT the name prefix (uploads go to PREFIX-<conn>)");
  app.add_option("--file-size", o.file_size, "file: bytes per PUT upload")->capture_default_str();
  app.add_option("--file-verify-every", o.file_verify_every, "file: GET every n-th upload back and compare (0 = never)")
      ->capture_default_str();
  app.add_flag("--keep-uploads", o.keep_uploads,
               "file put: leave the uploads in the server's library (by default each connection DELETEs its own)");
  app.add_flag("-q,--quiet", o.quiet, "No live line on stderr");
}

}  // namespace netlab::loadgen
