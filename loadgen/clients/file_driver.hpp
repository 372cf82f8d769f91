// FileDriver: one connection of a --proto file run: GET or PUT transfers back to back (closed
// loop) over one blocking TCP connection on its own thread, so a transfer of any size streams
// through a fixed buffer. The framing is the server's own (core/proto/file_frame.hpp).
//
// Every transfer is checked: GET compares the size the reply announced with the bytes received and
// their checksum with the first GET's (the file must not change under the run); PUT checks the
// 201 reply and, every --file-verify-every uploads, GETs the file back and compares size and
// checksum with what was sent. A mismatch or a refusal (404, 403, 5xx) is a bad response.
//
// After a PUT run each connection DELETEs its upload (unless --keep-uploads): by the protocol's own
// request, so it works against a server on another host. A file it could not remove is named on
// stderr; the run's results are not affected.
#pragma once

#include <string>
#include <vector>

#include "core/net/fd.hpp"
#include "core/proto/file_frame.hpp"
#include "loadgen/clients/checksum.hpp"
#include "loadgen/clients/driver.hpp"

namespace netlab::loadgen {

class FileDriver final : public BasicDriver {
 public:
  FileDriver(const Options& options, int index, int first, int count);

 private:
  enum class Step { kOk, kBad, kFailed };  // kBad: counted, connection kept; kFailed: closed

  void setup() override;
  void body() override;
  void teardown() override;

  bool connect_once();
  void set_timeouts();
  void remove_upload();  // after the run: DELETE this connection's upload
  Step get_once();
  Step put_once();
  // GET `request` (a framed GET): its data's checksum into `sum`; code 200 required.
  Step fetch(const std::string& request, Checksum& sum, const char* what);
  Step read_reply(proto::FileReply& reply);
  Step read_data(uint64_t n, Checksum* sum);
  Step send_all(const char* data, size_t len, bool more);
  Step fail(ErrorKind kind, int err, const char* detail);
  Step bad(const char* detail);
  Step io_error(int err, bool reading);
  bool abandon() const;  // the drain after the measurement is over: give up this transfer

  const int conn_;
  core::Fd fd_;
  std::vector<char> buf_;
  size_t have_ = 0, used_ = 0;  // bytes in buf_, and how many of them are consumed
  std::string put_name_;        // PREFIX-<connection>: the upload's name in the library
  std::string get_request_;     // framed "GET <name>"
  std::string put_header_;      // framed "PUT <name> <size>"
  std::string put_suffix_;      // "(<size> bytes)": how the 201 reply ends
  std::vector<char> block_;     // PUT body pattern, repeated; starts with the upload's stamp
  bool have_reference_ = false;
  uint64_t reference_sum_ = 0, reference_size_ = 0;
  uint64_t uploads_ = 0;
  bool put_in_doubt_ = false;  // a PUT sent whole whose reply never came: it may land late
  int64_t drain_until_ = INT64_MAX;
};

}  // namespace netlab::loadgen
