// The charts that show one repetition per model, at each connection level: the latency spectrum
// (from the case's .hgrm) and the timeline (its timeseries.csv rows). The repetition is the
// median-TPS one, so a line stands for a typical run, not whichever ran first. A generator-bound
// repetition says so in its legend entry.
#include <fstream>
#include <set>
#include <sstream>

#include "tools/run/report_charts.hpp"
#include "tools/run/time_axis.hpp"

namespace netlab::run {
namespace {

const Row& typical_repetition(const std::vector<Row>& reps) {
  return reps[static_cast<size_t>(median_index(column(reps, "tps")))];
}

// The .hgrm percentile rows: value percentile count inverse.
void hgrm_to_data(const std::string& hgrm, const std::string& out_path, TimeRange& latency) {
  std::ifstream in(hgrm);
  std::ofstream out(out_path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    double value, pct, count;
    std::string inverse;
    if (words >> value >> pct >> count) {
      words >> inverse;
      if (inverse.empty() || inverse == "inf") inverse = "100000";
      out << value << " " << pct << " " << count << " " << inverse << "\n";
      latency.add(value);
    }
  }
}

}  // namespace

void repetition_charts(const std::string& run_dir, const std::string& proto, const BySeries& models,
                       const std::vector<Row>& series_rows, ReportCharts& charts) {
  std::set<int> levels;
  bool repeated = false;
  for (const auto& [model, by_conns] : models) {
    for (const auto& [conns, reps] : by_conns) levels.insert(conns), repeated |= reps.size() > 1;
  }
  const std::string which = repeated ? "; each model's median-TPS repetition" : "";
  for (int level : levels) {
    std::vector<Series> spectrum, timeline;
    TimeRange spectrum_range, timeline_range;
    for (const auto& [model, by_conns] : models) {
      auto it = by_conns.find(level);
      if (it == by_conns.end()) continue;
      // A case's files and load generator label carry its build in A/B runs (Case::file_id).
      const Row& typical = typical_repetition(it->second);
      const std::string id = field(typical, "case") + (field(typical, "build").empty() ? "" : "." + field(typical, "build"));
      // The whole repetition was generator-bound or not: its legend entry says so.
      const bool gen_bound = field(typical, "generator_bottleneck") == "1";
      const std::string title = gen_bound ? model + " (generator-bound)" : model;
      if (std::ifstream(run_dir + "/" + id + ".hgrm")) {
        std::string file = charts.maker.data_path("spectrum-" + id);
        hgrm_to_data(run_dir + "/" + id + ".hgrm", file, spectrum_range);
        spectrum.push_back(charts.series(file, model, title));
      }
      std::string file = charts.maker.data_path("timeline-" + id);
      std::ofstream out(file);
      out << "# second (the interval's end) tps p99_us\n";
      for (const auto& s : series_rows) {
        if (field(s, "label") != id) continue;
        out << field_num(s, "second") << " " << field_num(s, "tps") << " " << field_num(s, "latency_p99_us") << "\n";
        timeline_range.add(field_num(s, "latency_p99_us"));
      }
      timeline.push_back(charts.series(file, model, title));
    }
    std::string tag = proto + "-c" + std::to_string(level);
    std::string where = proto + ", " + std::to_string(level) + (level == 1 ? " connection" : " connections");
    charts.make("spectrum.gp", "spectrum-" + tag, "Latency spectrum, " + where,
                "Latency spectrum (" + where + which + ")", spectrum, time_axis(spectrum_range));
    charts.make("timeline.gp", "timeline-" + tag, "Throughput and p99 over time, " + where,
                "TPS and p99 over time (" + where + which + ")", timeline, time_axis(timeline_range));
  }
}

}  // namespace netlab::run
