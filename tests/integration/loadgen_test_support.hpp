// Helpers for the netlab-loadgen integration tests: run it, read back its CSV summary row.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/util/csv.hpp"
#include "tests/support/server_process.hpp"

namespace netlab::test {

// A temporary file path, removed when the object goes.
class TempPath {
 public:
  explicit TempPath(const std::string& suffix) {
    char name[] = "/tmp/netlab-loadgen-test-XXXXXX";
    int fd = mkstemp(name);
    ::close(fd);
    std::remove(name);
    path_ = std::string(name) + suffix;
  }
  ~TempPath() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last row of a --csv file as column name -> value.
inline std::map<std::string, std::string> read_summary(const std::string& path) {
  auto rows = core::read_csv_rows(path);
  return rows.empty() ? std::map<std::string, std::string>{} : rows.back();
}

inline double num(const std::map<std::string, std::string>& row, const std::string& name) {
  auto it = row.find(name);
  if (it == row.end() || it->second.empty()) {
    ADD_FAILURE() << "no column " << name;
    return -1;
  }
  return std::stod(it->second);
}

// Runs netlab-loadgen with `args`, appending --csv to `csv`.
inline CommandResult run_loadgen(std::vector<std::string> args, const std::string& csv = {},
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  args.insert(args.begin(), bin_path("netlab-loadgen"));
  if (!csv.empty()) {
    args.push_back("--csv");
    args.push_back(csv);
  }
  args.push_back("--quiet");
  return run_command(args, {}, timeout);
}

// A run and the summary row of its --csv (written to a temporary file, gone after).
struct LoadgenSummary {
  CommandResult run;
  std::map<std::string, std::string> row;
};
inline LoadgenSummary run_loadgen_summary(std::vector<std::string> args,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  TempPath csv(".csv");
  LoadgenSummary out;
  out.run = run_loadgen(std::move(args), csv.path(), timeout);
  out.row = read_summary(csv.path());
  return out;
}

}  // namespace netlab::test
