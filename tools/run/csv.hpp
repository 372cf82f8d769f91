// The little CSV the runner needs: our files never quote (values hold no commas), so a row is a
// comma-split line. Values written by the runner go through csv_field, which replaces commas.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace netlab::run {

std::vector<std::string> split_csv_line(const std::string& line);
// The last row of `path` whose "label" column is `label`, as column -> value; empty if none.
std::map<std::string, std::string> read_last_row(const std::string& path, const std::string& label);
// Every row of `path` as column -> value.
std::vector<std::map<std::string, std::string>> read_rows(const std::string& path);
// A value made safe for an unquoted CSV field.
std::string csv_field(std::string value);

}  // namespace netlab::run
