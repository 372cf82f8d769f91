// The file protocol: the notes' FTP-like file server session (LIST, GET, PUT, DELETE, QUIT), framed as
// described in file_frame.hpp.
//
// GET bodies go out as Outbox file ranges (sendfile in the models), so memory stays flat for any
// file size. A PUT body is written as it arrives to a hidden temporary file in the library and
// renamed over the name only once every byte is in: a client that vanishes mid-upload leaves
// nothing visible, and the destructor removes the temporary file. Replies come in request order,
// one per request; a PUT's reply follows its body.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/proto/file_frame.hpp"
#include "core/proto/file_root.hpp"
#include "core/proto/session.hpp"
#include "core/work/workload.hpp"

namespace netlab::proto {

class FileSession final : public Session {
 public:
  // A PUT announcing more than `max_upload` bytes is refused with 413 before anything is written,
  // and the connection closes (its body is not worth reading to skip).
  explicit FileSession(std::shared_ptr<const FileRoot> library, core::Workload workload = {},
                       uint64_t max_upload = uint64_t{1} << 30)
      : library_(std::move(library)), workload_(workload), max_upload_(max_upload) {}
  ~FileSession() override;
  FileSession(const FileSession&) = delete;
  FileSession& operator=(const FileSession&) = delete;

  void on_bytes(std::string_view data, Outbox& out) override;
  // A command frame begun and not finished (an upload body in flight is not a partial request:
  // it is paced by the idle timeout between reads).
  bool partial_request() const override { return state_ == State::kCommand && !in_.empty(); }

 private:
  enum class State { kCommand, kUpload, kDiscard, kClosed };

  // on_bytes without the held input: parses frames and upload bytes from `data`.
  void take_input(std::string_view data, Outbox& out);
  void command(std::string_view text, Outbox& out);
  void list(Outbox& out);
  void get(std::string_view name, Outbox& out);
  void put(std::string_view args, Outbox& out);
  void remove(std::string_view name, Outbox& out);  // DELETE
  // Takes upload bytes; returns how many it consumed.
  size_t upload(std::string_view data, Outbox& out);
  void finish_upload(Outbox& out);
  void abandon_upload();
  void reply(Outbox& out, int code, std::string_view message, uint64_t size = 0);

  std::shared_ptr<const FileRoot> library_;
  core::Workload workload_;
  uint64_t max_upload_;
  State state_ = State::kCommand;
  std::string in_;            // a partial command frame
  std::string held_;          // input not yet parsed because the outbox was full (Outbox flow control)
  uint64_t body_left_ = 0;    // PUT bytes still to come (kUpload, kDiscard)
  uint64_t body_size_ = 0;
  std::string put_name_;      // the name the upload lands under
  std::string temp_name_;     // its temporary file while it arrives
  core::Fd temp_;
  int write_errno_ = 0;       // a failed write: the rest is discarded, then reported
  std::string discard_reply_;  // what to say once a refused PUT's body has been skipped
};

}  // namespace netlab::proto
