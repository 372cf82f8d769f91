// netlab-gate's three text outputs of a GateResult: the aligned terminal table, the GitHub
// Markdown table for CI logs, and JSON holding everything; plus the one-line summary.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "tools/gate/judgement.hpp"

namespace netlab::gate {

// Regressions first, then what could not be judged, improvements, and the unchanged rest.
void print_table(const GateResult& result, std::ostream& out);
// A one-line verdict summary on top, then the table and any problems.
std::string markdown(const GateResult& result);
nlohmann::json to_json(const GateResult& result);
// "12 metrics over 4 cases: 1 regressed, 0 improved, 11 unchanged, 0 too noisy -> exit 1"
std::string summary_line(const GateResult& result);

// Writes `path` whole or not at all (temporary file, then rename); throws std::runtime_error.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace netlab::gate
