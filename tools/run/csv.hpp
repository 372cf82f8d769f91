// The runner's side of CSV (reading and splitting are core/util/csv.hpp): values it writes go
// through csv_field, which keeps them to one unquoted field.
#pragma once

#include <map>
#include <string>

namespace netlab::run {

// The last row of `path` whose "label" column is `label`, as column -> value; empty if none.
std::map<std::string, std::string> read_last_row(const std::string& path, const std::string& label);
// A value made safe for an unquoted CSV field, on one line: ',' becomes ';', '\n' and '\r' spaces.
std::string csv_field(std::string value);

}  // namespace netlab::run
