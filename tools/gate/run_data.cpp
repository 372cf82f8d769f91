#include "tools/gate/run_data.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/util/csv.hpp"

namespace netlab::gate {
namespace {

namespace fs = std::filesystem;

std::string text_at(const nlohmann::json& j, const nlohmann::json::json_pointer& where) {
  if (!j.contains(where)) return "";
  const auto& v = j.at(where);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// run.json (netlab-run) keeps host facts under "host"; baseline.json (ours) keeps them flat.
void read_meta(const fs::path& dir, RunMeta& meta) {
  using P = nlohmann::json::json_pointer;
  for (const char* name : {"run.json", "baseline.json"}) {
    std::ifstream in(dir / name);
    if (!in) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error((dir / name).string() + ": " + e.what());
    }
    bool run = std::string(name) == "run.json";
    meta.git_sha = text_at(j, P("/git_sha"));
    meta.suite = text_at(j, P("/suite"));
    meta.date = text_at(j, P(run ? "/started" : "/date"));
    meta.kernel = text_at(j, P(run ? "/host/kernel" : "/kernel"));
    meta.cpu_model = text_at(j, P(run ? "/host/cpu_model" : "/cpu_model"));
    return;
  }
}

}  // namespace

bool RunData::is_ab() const {
  for (const auto& r : rows) {
    auto it = r.find("build");
    if (it != r.end() && (it->second == "old" || it->second == "new")) return true;
  }
  return false;
}

RunData load_run(const std::string& dir) {
  fs::path summary = fs::path(dir) / "summary.csv";
  std::ifstream probe(summary);
  if (!probe) throw std::runtime_error("cannot read " + summary.string());
  RunData run;
  run.meta.path = dir;
  run.rows = core::read_csv_rows(summary.string());
  read_meta(dir, run.meta);
  return run;
}

std::vector<Row> rows_of_build(const RunData& run, const std::string& build) {
  if (build.empty()) return run.rows;
  std::vector<Row> out;
  for (const auto& r : run.rows) {
    auto it = r.find("build");
    if (it != r.end() && it->second == build) out.push_back(r);
  }
  return out;
}

std::vector<Row> current_rows(const RunData& run) { return rows_of_build(run, run.is_ab() ? "new" : ""); }

namespace {

std::optional<double> number(const Row& row, const std::string& column) {
  auto it = row.find(column);
  if (it == row.end() || it->second.empty()) return std::nullopt;
  const char* begin = it->second.c_str();
  char* end = nullptr;
  double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0' || !std::isfinite(v)) {
    throw std::runtime_error("column " + column + ": '" + it->second + "' is not a number");
  }
  return v;
}

}  // namespace

std::optional<double> metric_value(const Row& row, const MetricSpec& spec) {
  if (spec.derived == "error_rate") {
    auto errors = number(row, "errors_total");
    auto ok = number(row, "responses_ok");
    if (!errors || !ok || *errors + *ok <= 0) return std::nullopt;
    return *errors / (*errors + *ok);
  }
  return number(row, spec.column);
}

}  // namespace netlab::gate
