// netlab-gate: decides whether a change made performance worse, from netlab-run result folders.
// Each case's repetitions are samples; each gated metric (scenarios/gate-metrics.toml) gets an
// exact distribution-free test and a confidence interval for its change, and a verdict: regressed,
// improved, unchanged, or too noisy to tell. It never guesses: what it cannot decide fails as
// unusable rather than passing.
//
// Usage:     netlab-gate compare BASE_RUN NEW_RUN       (two runs, Mann–Whitney)
//            netlab-gate compare AB_RUN                 (one `netlab-run --ab` run, paired Wilcoxon)
//            netlab-gate check RUN --baseline DIR [--update-baseline]
//            netlab-gate history FILE [--out DIR]
//            compare and check also take --config, --markdown, --json, --page, --history.
// Exit:      0 pass, 1 some metric regressed (or a case now fails), 2 unusable (missing case,
//            too noisy, bad config or folder, bad usage).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "core/util/command_line.hpp"
#include "tools/gate/baseline.hpp"
#include "tools/gate/compare_page.hpp"
#include "tools/gate/config.hpp"
#include "tools/gate/history.hpp"
#include "tools/gate/judge.hpp"
#include "tools/gate/output.hpp"
#include "tools/gate/run_data.hpp"
#include "tools/run/version.hpp"

#ifndef NETLAB_SOURCE_DIR
#define NETLAB_SOURCE_DIR "."
#endif

namespace {

using namespace netlab::gate;

struct Options {
  std::vector<std::string> runs;  // compare: one or two folders; check: the run
  std::string baseline;
  bool update_baseline = false;
  std::string config;
  std::string markdown_file, json_file, page_dir, history_file;
  std::string charts_dir = std::string(NETLAB_SOURCE_DIR) + "/scripts/charts";
  std::string history_out;
  bool tolerate_noise = false;
};

void add_outputs(CLI::App* cmd, Options& o) {
  cmd->add_option("--config", o.config, "Metrics and statistics settings (TOML; default: built in, as in "
                                         "scenarios/gate-metrics.toml)")
      ->type_name("FILE");
  cmd->add_option("--markdown", o.markdown_file, "Also write the verdict table as GitHub Markdown to FILE")
      ->type_name("FILE");
  cmd->add_option("--json", o.json_file, "Also write every sample, estimate and verdict as JSON to FILE")
      ->type_name("FILE");
  cmd->add_option("--page", o.page_dir, "Also write an HTML comparison page with charts into DIR")
      ->type_name("DIR");
  cmd->add_option("--history", o.history_file, "Append this comparison to the history CSV FILE")
      ->type_name("FILE");
  cmd->add_option("--charts-dir", o.charts_dir, "Folder holding the gnuplot scripts")->capture_default_str();
  cmd->add_flag("--tolerate-noise", o.tolerate_noise,
                "A timed metric too noisy to judge is listed but does not exit 2 (missing cases, bad data and "
                "noisy deterministic metrics still do)");
}

// Two runs from different CPU models: the returned notes say so, and the metrics marked same_cpu
// leave the config (they cannot be compared across CPU models), each named with why.
std::vector<std::string> drop_cpu_bound_metrics(GateConfig& config, const RunMeta& base, const RunMeta& current) {
  std::vector<std::string> notes;
  if (base.cpu_model == current.cpu_model) return notes;
  notes.push_back("the base ran on '" + base.cpu_model + "', this run on '" + current.cpu_model + "'");
  for (const auto& m : config.metrics) {
    if (m.same_cpu) {
      notes.push_back(m.name + " not judged: it is marked same_cpu (an A/B run on one machine judges it)");
    }
  }
  std::erase_if(config.metrics, [](const MetricSpec& m) { return m.same_cpu; });
  return notes;
}

// Builds the comparison; throws std::runtime_error (as ConfigError too) for unusable input.
GateResult judge(const std::string& mode, const Options& o) {
  GateConfig config = o.config.empty() ? default_config() : load_config(o.config);
  GateResult result;
  if (mode == "ab") {
    RunData run = load_run(o.runs[0]);
    if (!run.is_ab()) {
      throw std::runtime_error(o.runs[0] + " is not an A/B run (no build=old/new rows); compare needs BASE_RUN NEW_RUN");
    }
    result = judge_rows(rows_of_build(run, "old"), rows_of_build(run, "new"), true, config);
    result.base = result.current = run.meta;
  } else {
    RunData base = load_run(mode == "check" ? o.baseline : o.runs[0]);
    RunData current = load_run(mode == "check" ? o.runs[0] : o.runs[1]);
    if (mode == "compare") {
      for (const RunData* r : {&base, &current}) {
        if (r->is_ab()) {
          throw std::runtime_error(r->meta.path + " is an A/B run (build=old/new rows): compare it alone, "
                                   "netlab-gate compare " + r->meta.path);
        }
      }
    }
    std::vector<std::string> notes = drop_cpu_bound_metrics(config, base.meta, current.meta);
    result = judge_rows(current_rows(base), current_rows(current), false, config);
    result.base = base.meta;
    result.current = current.meta;
    result.notes = std::move(notes);
  }
  result.mode = mode;
  result.tolerate_noise = o.tolerate_noise;
  return result;
}

// Writes the optional outputs; returns false when one of them failed (reported on stderr).
bool write_outputs(const GateResult& result, const Options& o) {
  bool ok = true;
  auto attempt = [&](const std::string& what, const auto& write) {
    try {
      write();
    } catch (const std::exception& e) {
      std::cerr << "netlab-gate: " << what << ": " << e.what() << "\n";
      ok = false;
    }
  };
  if (!o.markdown_file.empty()) attempt("--markdown", [&] { write_file_atomically(o.markdown_file, markdown(result)); });
  if (!o.json_file.empty()) {
    attempt("--json", [&] { write_file_atomically(o.json_file, to_json(result).dump(2) + "\n"); });
  }
  if (!o.history_file.empty()) attempt("--history", [&] { append_history(result, o.history_file); });
  if (!o.page_dir.empty()) {
    attempt("--page", [&] {
      for (const auto& p : write_comparison_page(result, o.page_dir, o.charts_dir)) {
        std::cerr << "netlab-gate: page: " << p << "\n";
        ok = false;
      }
    });
  }
  return ok;
}

int run_gate(const std::string& mode, const Options& o) {
  GateResult result;
  try {
    result = judge(mode, o);
  } catch (const std::exception& e) {
    std::cerr << "netlab-gate: " << e.what() << "\n";
    return 2;
  }
  print_table(result, std::cout);
  bool outputs_ok = write_outputs(result, o);
  int code = outputs_ok ? result.exit_code() : 2;
  std::cerr << "netlab-gate: " << summary_line(result) << (outputs_ok ? "" : " (but an output failed -> exit 2)")
            << "\n";
  return code;
}

int run_update_baseline(const Options& o) {
  try {
    int rows = update_baseline(o.runs[0], o.baseline);
    std::cerr << "netlab-gate: baseline " << o.baseline << " now holds " << rows << " ok rows of " << o.runs[0] << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "netlab-gate: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(
      "Regression gate for netlab performance results. Compares the repetitions of each case in two netlab-run "
      "result folders (or the old/new halves of one `netlab-run --ab` folder, or a run against a stored baseline) "
      "with exact distribution-free tests, and gives every gated metric a verdict: regressed, improved, unchanged "
      "or too noisy. Metrics, tolerances and confidence come from --config (see scenarios/gate-metrics.toml).\n"
      "Exit: 0 pass, 1 regression, 2 unusable (missing case, too noisy, bad config or folder, bad usage).",
      "netlab-gate");
  app.require_subcommand(1);
  app.set_version_flag("--version", netlab::run::version_text("netlab-gate"), "Print the version and git commit, then exit");
  Options o;
  auto* compare = app.add_subcommand(
      "compare", "BASE_RUN NEW_RUN: unpaired comparison of two run folders (Mann-Whitney). AB_RUN: one folder "
                 "from `netlab-run --ab`, build=old rows against build=new, paired by repetition (Wilcoxon).");
  compare->add_option("runs", o.runs, "BASE_RUN NEW_RUN, or AB_RUN")->required()->expected(1, 2)->type_name("DIR");
  add_outputs(compare, o);
  auto* check = app.add_subcommand(
      "check", "Compare RUN (its build=new rows if it is an A/B run) with a baseline folder, or with "
               "--update-baseline make RUN's ok rows the new baseline.");
  check->add_option("run", o.runs, "The run folder")->required()->expected(1)->type_name("DIR");
  check->add_option("--baseline", o.baseline, "Baseline folder (summary.csv + baseline.json)")
      ->required()
      ->type_name("DIR");
  check->add_flag("--update-baseline", o.update_baseline,
                  "Write RUN's ok rows and its metadata into the baseline folder instead of comparing; exit 0");
  add_outputs(check, o);
  auto* history = app.add_subcommand("history", "Chart a history CSV (written by --history) and find change points.");
  history->add_option("file", o.history_file, "History CSV")->required();
  history->add_option("--out", o.history_out, "Folder for the history page (default: the folder holding FILE)");
  history->add_option("--charts-dir", o.charts_dir, "Folder holding the gnuplot scripts")->capture_default_str();
  if (auto status = netlab::core::parse_command_line(app, argc, argv, "netlab-gate")) return *status;

  if (*history) {
    std::string out = o.history_out.empty()
                          ? std::filesystem::absolute(o.history_file).parent_path().string()
                          : o.history_out;
    return history_command(o.history_file, out, o.charts_dir, std::cout);
  }
  if (*check) return o.update_baseline ? run_update_baseline(o) : run_gate("check", o);
  return run_gate(o.runs.size() == 1 ? "ab" : "compare", o);
}
