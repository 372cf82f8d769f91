// The model binaries the integration tests run over. A new model joins the tests by being added
// here (and to servers/CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

namespace netlab::test {

inline const std::vector<std::string> kTcpModels = {
    "iterative_tcp", "fork_per_conn", "prefork", "thread_per_conn", "thread_pool",
    "epoll", "poll", "select", "reactors", "processes", "coroutines", "io_uring",
};

inline const std::vector<std::string> kUdpModels = {
    "iterative_udp", "epoll_udp",
};

inline std::vector<std::string> all_models() {
  auto all = kTcpModels;
  all.insert(all.end(), kUdpModels.begin(), kUdpModels.end());
  return all;
}

}  // namespace netlab::test
