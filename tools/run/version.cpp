#include "tools/run/version.hpp"

#include "tools/run/git_sha.hpp"  // generated: NETLAB_GIT_SHA

namespace netlab::run {

std::string version_text(const std::string& tool) {
  std::string sha = NETLAB_GIT_SHA;
  return tool + " " + NETLAB_VERSION + " (git " + (sha.empty() ? "unknown" : sha) + ")";
}

}  // namespace netlab::run
