#include "core/util/csv.hpp"

#include <fstream>

namespace netlab::core {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  if (line.empty()) return out;
  size_t from = 0;
  for (;;) {
    size_t comma = line.find(',', from);
    out.push_back(line.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
    if (comma == std::string::npos) return out;
    from = comma + 1;
  }
}

std::vector<std::map<std::string, std::string>> read_csv_rows(const std::string& path) {
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

}  // namespace netlab::core
