#include "tools/run/csv.hpp"

#include <fstream>
#include <sstream>

namespace netlab::run {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::vector<std::map<std::string, std::string>> read_rows(const std::string& path) {
  std::vector<std::map<std::string, std::string>> rows;
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto fields = split_csv_line(line);
    if (header.empty() || fields == header) {
      header = fields;  // a repeated header (appended files) starts over harmlessly
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::map<std::string, std::string> read_last_row(const std::string& path, const std::string& label) {
  std::map<std::string, std::string> found;
  for (auto& row : read_rows(path)) {
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
