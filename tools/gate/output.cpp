#include "tools/gate/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace netlab::gate {
namespace {

int rank(Verdict v) {
  switch (v) {
    case Verdict::regressed: return 0;
    case Verdict::missing: return 1;
    case Verdict::too_noisy: return 2;
    case Verdict::improved: return 3;
    case Verdict::unchanged: return 4;
  }
  return 5;
}

std::string format(const char* spec, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

bool has_samples(const MetricJudgement& j) { return !j.base.empty() && !j.current.empty(); }

std::string change_text(const MetricJudgement& j, double v) {
  return j.absolute ? format("%+.4g", v) : format("%+.2f%%", v * 100.0);
}

// One table row: case, metric, base, current, change, CI, p, verdict, note.
std::array<std::string, 9> cells(const MetricJudgement& j) {
  std::array<std::string, 9> c;
  c[0] = j.case_key;
  c[1] = j.metric;
  c[2] = j.base.empty() ? "-" : format("%.6g", j.base_median);
  c[3] = j.current.empty() ? "-" : format("%.6g", j.current_median);
  bool estimated = has_samples(j) && !j.method.empty() && j.note.find("undefined") == std::string::npos &&
                   j.note.find("spread") == std::string::npos;
  c[4] = estimated ? change_text(j, j.change) : "-";
  c[5] = estimated && j.method != "deterministic"
             ? "[" + change_text(j, j.ci_low) + ", " + change_text(j, j.ci_high) + "]"
             : "-";
  c[6] = estimated && j.method != "deterministic" ? format("%.2g", j.p_value) : "-";
  c[7] = j.verdict == Verdict::regressed ? "REGRESSED" : verdict_name(j.verdict);
  c[8] = j.note;
  return c;
}

const std::array<std::string, 9> kHeader = {"case", "metric", "base", "current", "change", "CI", "p", "verdict", "note"};

std::vector<const MetricJudgement*> ordered(const GateResult& result) {
  std::vector<const MetricJudgement*> out;
  for (const auto& j : result.judgements) out.push_back(&j);
  std::stable_sort(out.begin(), out.end(),
                   [](const MetricJudgement* a, const MetricJudgement* b) { return rank(a->verdict) < rank(b->verdict); });
  return out;
}

int count(const GateResult& result, Verdict v) {
  return static_cast<int>(std::count_if(result.judgements.begin(), result.judgements.end(),
                                        [v](const MetricJudgement& j) { return j.verdict == v; }));
}

}  // namespace

void print_table(const GateResult& result, std::ostream& out) {
  std::vector<std::array<std::string, 9>> rows = {kHeader};
  for (const auto* j : ordered(result)) rows.push_back(cells(*j));
  std::array<size_t, 9> width{};
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      // Numbers right-aligned, words left-aligned; the last column is not padded.
      bool numeric = i >= 2 && i <= 6;
      std::string pad(width[i] - r[i].size(), ' ');
      line += i + 1 == r.size() ? r[i] : (numeric ? pad + r[i] : r[i] + pad);
      if (i + 1 < r.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  for (const auto& p : result.problems) out << "problem: " << p << "\n";
  for (const auto& p : result.notes) out << "note: " << p << "\n";
  if (result.tolerate_noise && count(result, Verdict::too_noisy) > 0) {
    out << "note: --tolerate-noise: the timed metrics too noisy to judge do not fail this gate\n";
  }
}

std::string markdown(const GateResult& result) {
  int code = result.exit_code();
  std::ostringstream md;
  md << "**netlab-gate: " << (code == 0 ? "pass" : code == 1 ? "REGRESSION" : "unusable") << "** — "
     << summary_line(result) << "\n\n";
  auto side = [](const RunMeta& m) { return "`" + m.path + "`" + (m.git_sha.empty() ? "" : " (" + m.git_sha + ")"); };
  md << "Base " << side(result.base) << ", current " << side(result.current) << ", mode " << result.mode
     << ", confidence " << result.confidence * 100 << "%\n\n";
  auto row = [&](const std::array<std::string, 9>& c) {
    md << "|";
    for (const auto& cell : c) md << " " << cell << " |";
    md << "\n";
  };
  row(kHeader);
  md << "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n";
  for (const auto* j : ordered(result)) row(cells(*j));
  if (!result.problems.empty()) {
    md << "\nProblems:\n\n";
    for (const auto& p : result.problems) md << "- " << p << "\n";
  }
  if (!result.notes.empty()) {
    md << "\nNotes:\n\n";
    for (const auto& p : result.notes) md << "- " << p << "\n";
  }
  return md.str();
}

nlohmann::json to_json(const GateResult& result) {
  auto meta = [](const RunMeta& m) {
    return nlohmann::json{{"path", m.path},     {"git_sha", m.git_sha},     {"date", m.date},
                          {"kernel", m.kernel}, {"cpu_model", m.cpu_model}, {"suite", m.suite}};
  };
  nlohmann::json judgements = nlohmann::json::array();
  for (const auto& j : result.judgements) {
    judgements.push_back({{"case", j.case_key},         {"metric", j.metric},
                          {"direction", j.direction},   {"tolerance", j.tolerance},
                          {"absolute", j.absolute},     {"base", j.base},
                          {"current", j.current},       {"base_median", j.base_median},
                          {"current_median", j.current_median}, {"change", j.change},
                          {"ci_low", j.ci_low},         {"ci_high", j.ci_high},
                          {"p_value", j.p_value},       {"method", j.method},
                          {"verdict", verdict_name(j.verdict)}, {"note", j.note}});
  }
  return {{"tool", "netlab-gate"}, {"mode", result.mode},       {"confidence", result.confidence},
          {"base", meta(result.base)}, {"current", meta(result.current)}, {"judgements", judgements},
          {"problems", result.problems}, {"notes", result.notes},
          {"tolerate_noise", result.tolerate_noise}, {"exit_code", result.exit_code()}, {"summary", summary_line(result)}};
}

std::string summary_line(const GateResult& result) {
  std::set<std::string> cases;
  for (const auto& j : result.judgements) cases.insert(j.case_key);
  std::ostringstream s;
  s << result.judgements.size() << " metrics over " << cases.size() << " cases: " << count(result, Verdict::regressed)
    << " regressed, " << count(result, Verdict::improved) << " improved, " << count(result, Verdict::unchanged)
    << " unchanged, " << count(result, Verdict::too_noisy) << " too noisy";
  if (int missing = count(result, Verdict::missing)) s << ", " << missing << " missing";
  if (!result.problems.empty()) s << ", " << result.problems.size() << " problems";
  s << " -> exit " << result.exit_code();
  return s.str();
}

void write_file_atomically(const std::string& path, const std::string& text) {
  std::string temp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::filesystem::remove(temp);
      throw std::runtime_error("cannot write " + path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp);
    throw std::runtime_error("cannot write " + path + ": " + ec.message());
  }
}

}  // namespace netlab::gate
