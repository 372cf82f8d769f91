// The --version line of netlab's tools: "netlab-run 0.1.0 (git 2a244ff0b779)", the project's
// version and the commit the binary was built from (cmake/GitSha.cmake, refreshed at every build).
#pragma once

#include <string>

namespace netlab::run {

std::string version_text(const std::string& tool);

}  // namespace netlab::run
