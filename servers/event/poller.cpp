#include "servers/event/poller.hpp"

namespace netlab::server {

std::unique_ptr<Poller> make_select_poller();
std::unique_ptr<Poller> make_poll_poller();
std::unique_ptr<Poller> make_epoll_poller(bool edge);

std::unique_ptr<Poller> make_poller(Backend backend, bool edge_triggered) {
  switch (backend) {
    case Backend::kSelect: return make_select_poller();
    case Backend::kPoll: return make_poll_poller();
    case Backend::kEpoll: return make_epoll_poller(edge_triggered);
  }
  return nullptr;
}

}  // namespace netlab::server
