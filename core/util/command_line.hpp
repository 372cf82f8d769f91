// How every netlab binary parses its command line, written once: --help and --version print and
// exit 0; bad usage prints "<binary>: <what went wrong>" and a pointer to --help on stderr and
// exits 2. CLI11's own exit codes (105 to 109) would read to a script as something else, and an
// error named after the binary tells a pipeline of several tools which one refused.
//
// Header-only: every binary links CLI11, the core library does not.
#pragma once

#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

namespace netlab::core {

// Parses, then runs `validate` (checks CLI11 cannot express; what it throws is bad usage too).
// Returns the status to exit with now, or nullopt to go on.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, const std::string& binary,
                                             const std::function<void()>& validate = {}) {
  try {
    app.parse(argc, argv);
    if (validate) validate();
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << binary << ": " << e.what() << "\nRun with --help for more information.\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << binary << ": " << e.what() << "\nRun with --help for more information.\n";
    return 2;
  }
  return std::nullopt;
}

}  // namespace netlab::core
