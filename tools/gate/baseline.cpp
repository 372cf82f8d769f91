#include "tools/gate/baseline.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/util/csv.hpp"
#include "tools/gate/output.hpp"
#include "tools/gate/run_data.hpp"

namespace netlab::gate {

int update_baseline(const std::string& run_dir, const std::string& baseline_dir) {
  namespace fs = std::filesystem;
  RunData run = load_run(run_dir);  // validates the folder and reads its metadata
  const bool ab = run.is_ab();

  // Copy the chosen lines verbatim (same columns, same text) rather than re-serialising rows.
  std::ifstream in(fs::path(run_dir) / "summary.csv");
  std::string line, header, text;
  std::vector<std::string> columns;
  int kept = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (header.empty()) {
      header = line;
      columns = core::split_csv_line(line);
      text = header + "\n";
      continue;
    }
    if (line == header) continue;
    auto fields = core::split_csv_line(line);
    Row row;
    for (size_t i = 0; i < columns.size() && i < fields.size(); ++i) row[columns[i]] = fields[i];
    if (row["status"] != "ok" || (ab && row["build"] != "new")) continue;
    text += line + "\n";
    ++kept;
  }
  if (kept == 0) throw std::runtime_error(run_dir + ": no ok rows" + (ab ? " of the new build" : "") + " to keep");

  nlohmann::json meta = {{"tool", "netlab-gate"},
                         {"git_sha", run.meta.git_sha},
                         {"kernel", run.meta.kernel},
                         {"cpu_model", run.meta.cpu_model},
                         {"date", run.meta.date},
                         {"suite", run.meta.suite},
                         {"source_run", fs::absolute(run_dir).lexically_normal().string()},
                         {"build", ab ? "new" : ""},
                         {"rows", kept}};
  std::error_code ec;
  fs::create_directories(baseline_dir, ec);
  if (ec) throw std::runtime_error("cannot create " + baseline_dir + ": " + ec.message());
  write_file_atomically((fs::path(baseline_dir) / "summary.csv").string(), text);
  write_file_atomically((fs::path(baseline_dir) / "baseline.json").string(), meta.dump(2) + "\n");
  return kept;
}

}  // namespace netlab::gate
