#include "core/proto/echo.hpp"

#include <algorithm>
#include <cstring>

namespace netlab::proto {

void EchoSession::on_bytes(std::string_view data, Outbox& out) {
  if (failed_) {
    return;
  }
  while (!data.empty()) {
    const char* nl = static_cast<const char*>(std::memchr(data.data(), '\n', data.size()));
    if (nl == nullptr) {
      if (partial_.size() + data.size() > max_line_) {
        out.write("ERR line too long (max " + std::to_string(max_line_) + " bytes)\n");
        out.close_after_send();
        partial_.clear();
        failed_ = true;
        return;
      }
      partial_.append(data);
      return;
    }
    size_t len = static_cast<size_t>(nl - data.data()) + 1;
    if (partial_.size() + len - 1 > max_line_) {
      out.write("ERR line too long (max " + std::to_string(max_line_) + " bytes)\n");
      out.close_after_send();
      partial_.clear();
      failed_ = true;
      return;
    }
    workload_.run();
    if (partial_.empty()) {
      out.write(data.substr(0, len));  // the common case: no copy into a line buffer
    } else {
      partial_.append(data.substr(0, len));
      out.write(partial_);
      partial_.clear();
    }
    data.remove_prefix(len);
  }
}

void EchoDatagramService::on_datagram(const core::Address& from, std::string_view data, DatagramOut& out) {
  workload_.run();
  out.send(from, data);
}

}  // namespace netlab::proto
