// DatagramHousekeeping: what a datagram service hears besides datagrams, for every UDP model: the
// once-a-second tick (chat drops silent members; a timerfd) and the operator's notices typed on
// standard input (chat; AdminInput). A model watches timer_fd() and admin_fd() for readability
// beside its socket, in whatever way it waits (poll, a Poller), and hands every readable one to
// handle(); the model never needs to know which protocol it serves.
//
// Thread contract: owned and used by the one thread that runs the DatagramService.
#pragma once

#include "core/net/fd.hpp"
#include "core/proto/session.hpp"
#include "servers/common/admin_input.hpp"
#include "servers/common/server.hpp"

namespace netlab::server {

class DatagramHousekeeping {
 public:
  // Throws NetError when the timer cannot be created (a set-up failure).
  DatagramHousekeeping(const ServerContext& ctx, proto::DatagramService& service);

  // The descriptors to watch: the timer, and standard input while the protocol takes notices and
  // until it ends (-1 otherwise; poll(2) skips a negative fd).
  int timer_fd() const { return tick_.get(); }
  int admin_fd() const { return admin_.fd(); }
  // After a handle(): false once `fd` needs no more watching (standard input ended).
  bool watches(int fd) const { return fd == tick_.get() || (admin_.active() && fd == admin_.fd()); }
  // `fd` was readable: runs the tick or delivers the operator's lines, replies into `out`.
  // False when fd is not one of ours.
  bool handle(int fd, proto::DatagramOut& out);

 private:
  proto::DatagramService& service_;
  AdminInput admin_;
  core::Fd tick_;
};

}  // namespace netlab::server
