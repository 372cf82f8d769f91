// The command line: every flag of netlab-loadgen, bound to Options (validated by validate()).
#pragma once

#include <CLI/CLI.hpp>

#include "loadgen/cli/options.hpp"

namespace netlab::loadgen {

void add_options(CLI::App& app, Options& o);

}  // namespace netlab::loadgen
