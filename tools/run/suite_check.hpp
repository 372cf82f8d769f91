// The checks of a suite that need a build: every model has a server binary in the bin folder, and
// every case's protocol has a form for that model's transport (http and file only over TCP, chat
// only over UDP). Run before anything runs, so a mistake is a suite error with its line and column
// (exit 2), not a failed case an hour into the run.
#pragma once

#include <string>

#include "tools/run/suite.hpp"

namespace netlab::run {

// Throws SuiteError at the model's or the protocol's entry in the suite file.
void check_suite_against(const Suite& suite, const std::string& bin_dir);

}  // namespace netlab::run
