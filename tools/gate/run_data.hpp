// Reading what netlab-gate compares: a run folder written by netlab-run (summary.csv + run.json)
// or a baseline folder (summary.csv + baseline.json), and the per-case samples in it.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/gate/config.hpp"
#include "tools/gate/judgement.hpp"

namespace netlab::gate {

using Row = std::map<std::string, std::string>;  // column -> value, as core::read_csv_rows gives

struct RunData {
  RunMeta meta;
  std::vector<Row> rows;  // every row of summary.csv, in file order
  // True when rows carry build=old/new (one folder from `netlab-run --ab`).
  bool is_ab() const;
};

// Throws std::runtime_error when the folder has no readable summary.csv or bad metadata JSON.
RunData load_run(const std::string& dir);

// The rows of one build ("old" or "new"); "" gives every row.
std::vector<Row> rows_of_build(const RunData& run, const std::string& build);
// The rows that stand for "this run": its new build when it is an A/B run, else every row.
std::vector<Row> current_rows(const RunData& run);


// The metric's value in `row`; nullopt when its column is absent or empty (not measured).
// Throws std::runtime_error for a value that is not a finite number.
std::optional<double> metric_value(const Row& row, const MetricSpec& spec);

}  // namespace netlab::gate
