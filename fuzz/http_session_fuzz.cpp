// Fuzz target: the HTTP session (core/proto/http.hpp) over a real document root.
//
// Input: a control byte (read_splitter.hpp), then the bytes a client sends. Bits of the control
// byte also pick the built-in page instead of the root (control % 4 == 3) and tiny head and body
// limits (control % 3 == 2). Checks:
//   - the replies do not depend on how the bytes were cut into reads, nor on how the replies were
//     drained between reads (one session gets everything at once, another the cut reads);
//   - every reply is a well-formed, complete HTTP/1.1 response to the load generator's parser
//     (skipped when a HEAD may have been asked: its replies announce a body they do not carry);
//   - every queued file range can be read in full; nothing is queued after a close;
//   - the Outbox's flow control: the session holds pipelined requests back only while the outbox
//     is full and never queues more than Outbox::kMaxFiles open files (fuzz/outbox_drain.hpp);
//   - a request head left unfinished gets a 408 and a close.
// The root holds files, a directory with and without index.html, symlinks leading inside and out
// of the root, and a FIFO.
#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "core/proto/http.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/outbox_drain.hpp"
#include "fuzz/read_splitter.hpp"
#include "fuzz/temp_dir.hpp"
#include "loadgen/clients/http_response_parser.hpp"

namespace {

using namespace netlab;
namespace fs = std::filesystem;

// Made once per process; read-only afterwards (GET and HEAD never write).
struct DocumentRoot {
  fuzz::TempDir dir;
  std::shared_ptr<const proto::FileRoot> root;

  DocumentRoot() {
    fs::path top = dir.path(), r = top / "root";
    fs::create_directories(r / "sub");
    fs::create_directories(r / "noindex");
    write(top / "secret.txt", "outside the root\n");
    write(r / "index.html", "<p>index</p>\n");
    write(r / "hello.txt", "hello world\n");
    write(r / "empty.json", "");
    write(r / "sub" / "index.html", "<p>sub</p>\n");
    write(r / "sub" / "a b.css", "p{}\n");
    fs::create_symlink(top / "secret.txt", r / "out-abs");
    fs::create_symlink("../secret.txt", r / "out-rel");
    fs::create_symlink("hello.txt", r / "in-link");
    ::mkfifo((r / "fifo").c_str(), 0600);
    root = std::make_shared<const proto::FileRoot>(r.string());
  }
  static void write(const fs::path& p, std::string_view text) { std::ofstream(p) << text; }
};

// The reply without its Date lines, which change every second.
std::string without_dates(std::string reply) {
  for (size_t at; (at = reply.find("\r\nDate: ")) != std::string::npos;) {
    size_t end = reply.find("\r\n", at + 2);
    FUZZ_CHECK(end != std::string::npos);
    reply.erase(at + 2, end - at);
  }
  return reply;
}

// Every byte of `sent` belongs to a complete response that our own client accepts.
void check_responses(std::string_view sent) {
  loadgen::HttpResponseParser parser;
  while (!sent.empty()) {
    size_t used = 0;
    auto r = parser.feed(sent.data(), sent.size(), used);
    FUZZ_CHECK(r == loadgen::HttpResponseParser::Result::kComplete);
    FUZZ_CHECK(used > 0 && used <= sent.size());
    FUZZ_CHECK(parser.status() >= 200 && parser.status() <= 599);
    sent.remove_prefix(used);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const DocumentRoot docs;
  fuzz::ReadSplitter split(data, size);
  auto root = split.control() % 4 == 3 ? nullptr : docs.root;
  proto::HttpLimits limits;
  if (split.control() % 3 == 2) {
    limits.max_head = 120;
    limits.max_body = 50;
  }

  proto::HttpSession whole(root, {}, limits);
  proto::Outbox whole_out;
  std::string whole_sent;
  fuzz::feed(whole, split.stream(), whole_out);
  fuzz::settle(whole, whole_out, whole_sent, [] { return UINT64_MAX; });
  fuzz::drain_outbox(whole_out, whole_sent);

  proto::HttpSession cut(root, {}, limits);
  proto::Outbox cut_out;
  std::string cut_sent;
  while (!split.done() && !cut_out.wants_close()) {
    fuzz::feed(cut, split.next(), cut_out);
    fuzz::drain_outbox(cut_out, cut_sent, split.drain_budget());
    fuzz::settle(cut, cut_out, cut_sent, [&] { return split.drain_budget(); });
  }
  fuzz::drain_outbox(cut_out, cut_sent);

  FUZZ_CHECK(whole_out.wants_close() == cut_out.wants_close());
  FUZZ_CHECK(whole.partial_request() == cut.partial_request());
  FUZZ_CHECK(without_dates(whole_sent) == without_dates(cut_sent));
  if (split.stream().find("HEAD") == std::string_view::npos) {
    check_responses(whole_sent);
  }

  if (cut_out.wants_close()) {
    // The model calls nothing more after a close; a session that is called anyway stays quiet.
    cut.on_bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n", cut_out);
    FUZZ_CHECK(cut_out.empty());
  } else if (cut.partial_request()) {
    cut.on_request_timeout(cut_out);
    FUZZ_CHECK(cut_out.wants_close());
    std::string timeout_reply;
    fuzz::drain_outbox(cut_out, timeout_reply);
    FUZZ_CHECK(timeout_reply.rfind("HTTP/1.1 408 ", 0) == 0);
    check_responses(timeout_reply);
  }
  return 0;
}
