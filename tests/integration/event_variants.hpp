// The event-driven models, and their trigger modes, that the event tests run over.
#pragma once

#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ostream>
#include <string>
#include <vector>

namespace netlab::test {

struct EventVariant {
  std::string name;   // test name suffix
  std::string model;  // netlab-server-<model>
  std::vector<std::string> args;
  std::string env;  // NAME=value set while the server starts, or empty

  // False when the running kernel refuses what the model needs (io_uring disabled or too old).
  bool available() const {
    if (model != "io_uring") return true;
    io_uring_params params{};
    long fd = syscall(__NR_io_uring_setup, 4, &params);
    if (fd < 0) return false;
    close(static_cast<int>(fd));
    return true;
  }
};

// gtest prints the variant by name instead of dumping its bytes.
inline void PrintTo(const EventVariant& v, std::ostream* os) { *os << v.name; }

inline const std::vector<EventVariant> kEventVariants = {
    {"epoll_level", "epoll", {}, ""},
    {"epoll_edge", "epoll", {"--trigger", "edge"}, ""},
    {"poll", "poll", {}, ""},
    {"select", "select", {}, ""},
    {"reactors_level", "reactors", {"--workers", "2"}, ""},
    {"reactors_edge", "reactors", {"--workers", "2", "--trigger", "edge"}, ""},
    {"processes", "processes", {"--workers", "2"}, ""},
    {"coroutines", "coroutines", {}, ""},
    {"io_uring", "io_uring", {}, ""},
    {"io_uring_basic", "io_uring", {}, "NETLAB_IO_URING_BASIC=1"},
};

}  // namespace netlab::test
