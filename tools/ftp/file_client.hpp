// FileClient: the client side of the file protocol over one blocking TCP connection, as used by
// netlab-ftp. Failures of the connection throw std::runtime_error with one clear line; a local
// file that cannot be read or written throws LocalFileError once the connection is back in step
// (so an interactive session carries on); replies the server refuses with (4xx, 5xx) are returned,
// not thrown.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/address.hpp"
#include "core/net/fd.hpp"
#include "core/proto/file_frame.hpp"

namespace netlab::ftp {

// A local file failed (cannot open, create, write or rename it); the connection is still usable.
class LocalFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Called as bytes move: (done, total).
using ProgressFn = std::function<void(uint64_t, uint64_t)>;

class FileClient {
 public:
  explicit FileClient(const core::Address& server);

  // LIST: the listing text ("<size> <name>\n" lines) in `listing` when the reply is 200.
  proto::FileReply list(std::string& listing);
  // GET name into local file `path` (written as path + ".part", renamed when complete).
  proto::FileReply get(const std::string& name, const std::string& path, const ProgressFn& progress = {});
  // PUT local file `path` under `name`; the body goes out with sendfile.
  proto::FileReply put(const std::string& path, const std::string& name, const ProgressFn& progress = {});
  proto::FileReply quit();

 private:
  void send_frame(std::string_view text);
  proto::FileReply read_reply();
  // Reads exactly n data bytes, passing them on in pieces.
  void read_data(uint64_t n, const std::function<void(std::string_view)>& sink);

  core::Fd fd_;
  std::string buf_;          // bytes read but not yet used
  std::vector<char> chunk_;  // the receive buffer for data (1 MiB once a transfer needs it)
};

}  // namespace netlab::ftp
