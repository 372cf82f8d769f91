#include "servers/event/stalled_clients.hpp"

namespace netlab::server {

void StalledClients::closed(uint64_t unsent) {
  ++count_;
  if (worth_logging(count_)) {
    log(ctx_, label_ + "closed a connection whose client stopped reading (" + std::to_string(unsent) +
                  " bytes unsent for over " + std::to_string(ctx_.options().send_timeout.count()) + " ms); " +
                  std::to_string(count_) + " so far");
  }
}

bool StalledClients::worth_logging(uint64_t count) {
  if (count <= 10) return true;
  while (count % 10 == 0) count /= 10;
  return count == 1;
}

}  // namespace netlab::server
