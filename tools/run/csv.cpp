#include "tools/run/csv.hpp"

#include "core/util/csv.hpp"

namespace netlab::run {

std::map<std::string, std::string> read_last_row(const std::string& path, const std::string& label) {
  std::map<std::string, std::string> found;
  for (auto& row : core::read_csv_rows(path)) {
    if (row["label"] == label) found = std::move(row);
  }
  return found;
}

std::string csv_field(std::string value) {
  for (auto& ch : value) {
    if (ch == ',') ch = ';';
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return value;
}

}  // namespace netlab::run
