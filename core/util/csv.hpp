// The CSV netlab writes and reads (summary.csv, timeseries.csv, the load generator's --csv): a
// header row, then rows of unquoted fields. Writers keep commas and newlines out of values, so a
// row is a comma-split line; this is the one splitter the runner, the gate and the tests share.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace netlab::core {

// "a,,b," -> {"a", "", "b", ""}; "" -> {}.
std::vector<std::string> split_csv_line(const std::string& line);
// Every row of the file at `path` as column -> value (missing trailing fields are absent). Blank
// lines and a trailing '\r' are ignored; a repeated header (files appended to) is skipped.
std::vector<std::map<std::string, std::string>> read_csv_rows(const std::string& path);

}  // namespace netlab::core
