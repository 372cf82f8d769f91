// The model binaries the integration tests run over, read from the build: bin/models.txt holds
// servers/CMakeLists.txt's NETLAB_MODELS (the one list of models, in its order), and
// bin/model-info/<model> the binary's own --model-info line, written when it links, which says
// its transport. A new model joins the tests by joining that list.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/server_process.hpp"

namespace netlab::test {

// The models whose --model-info says transport=<transport> ("tcp" or "udp"), or every model
// when empty. Exits with one line when the build has not written the list (no binaries yet).
inline std::vector<std::string> built_models(const std::string& transport = {}) {
  auto fail = [](const std::string& path) {
    std::fprintf(stderr, "cannot read %s: build the netlab-server-* binaries first\n", path.c_str());
    std::exit(1);
  };
  std::ifstream list(bin_path("models.txt"));
  if (!list) fail(bin_path("models.txt"));
  std::vector<std::string> models;
  for (std::string name; std::getline(list, name);) {
    if (name.empty()) continue;
    std::ifstream info_file(bin_path("model-info/" + name));
    std::string info;
    if (!std::getline(info_file, info)) fail(bin_path("model-info/" + name));
    if (transport.empty() || (" " + info + " ").find(" transport=" + transport + " ") != std::string::npos) {
      models.push_back(name);
    }
  }
  return models;
}

inline const std::vector<std::string> kTcpModels = built_models("tcp");
inline const std::vector<std::string> kUdpModels = built_models("udp");

inline std::vector<std::string> all_models() { return built_models(); }

}  // namespace netlab::test
