// TPS, latency and server cost against connections (one line per model), and the ranking: TPS bars
// per connection level, best first.
#include <algorithm>
#include <fstream>
#include <set>

#include "tools/run/report_charts.hpp"
#include "tools/run/time_axis.hpp"

namespace netlab::run {
namespace {

// One line of a scaling data file: connections, then median min max of each metric (the columns
// tps.gp, latency.gp and server.gp name), then the generator-bound repetitions.
void write_scaling_line(std::ostream& out, int conns, const std::vector<Row>& reps, TimeRange& latency) {
  out << conns;
  for (const auto& s : {spread(column(reps, "tps")), spread(column(reps, "latency_p50_us")),
                        spread(column(reps, "latency_p99_us")), spread(column(reps, "server_cpu_pct")),
                        spread(column(reps, "server_pss_peak_kb", 1024))}) {
    out << " " << s.median << " " << s.min << " " << s.max;
  }
  out << " " << generator_bound(reps) << "\n";
  for (const char* key : {"latency_p50_us", "latency_p99_us"}) {
    for (double v : column(reps, key)) latency.add(v);
  }
}

// The ranking: within each connection level the models present there, best median TPS first, one
// bar each, a gap between levels. One data file per model, so each keeps its colour and legend entry.
void rank_chart(const std::string& proto, const BySeries& models, ReportCharts& charts) {
  std::set<int> levels;
  for (const auto& [model, by_conns] : models) {
    for (const auto& [conns, reps] : by_conns) levels.insert(conns);
  }
  auto median_tps = [](const std::vector<Row>& reps) { return spread(column(reps, "tps")).median; };
  std::map<std::string, std::ofstream> files;
  std::string tics;
  bool bound = false;
  int x = 0;
  for (int level : levels) {
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [model, by_conns] : models) {
      if (auto it = by_conns.find(level); it != by_conns.end()) ranked.emplace_back(median_tps(it->second), model);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    tics += (tics.empty() ? "(" : ", ") + std::string("'") + std::to_string(level) + "' " +
            std::to_string(x + (static_cast<double>(ranked.size()) - 1) / 2);
    for (const auto& [tps, model] : ranked) {
      const auto& reps = models.at(model).at(level);
      Spread s = spread(column(reps, "tps"));
      auto [it, fresh] = files.try_emplace(model, charts.maker.data_path("rank-" + proto + "-" + model));
      if (fresh) it->second << "# x median min max of tps, then generator-bound repetitions\n";
      it->second << x++ << " " << s.median << " " << s.min << " " << s.max << " " << generator_bound(reps) << "\n";
      bound |= generator_bound(reps) > 0;
    }
    ++x;  // the gap between levels
  }
  for (auto& [model, out] : files) out.close();
  // The legend in the order of the highest level, the level where the models differ most.
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [model, by_conns] : models) {
    auto it = by_conns.find(*levels.rbegin());
    order.emplace_back(it == by_conns.end() ? -1 : median_tps(it->second), model);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Series> series;
  for (const auto& [tps, model] : order) {
    series.push_back(charts.series(charts.maker.data_path("rank-" + proto + "-" + model), model));
  }
  charts.make("rank.gp", "rank-" + proto, "Models ranked by throughput, " + proto,
              "TPS by model at each connection level (" + proto + ", closed loop)", series,
              "gtics=\"" + tics + ")\"; xmax=" + std::to_string(x - 2) + ".6; bound=" + (bound ? "1" : "0"));
}

}  // namespace

void scaling_charts(const std::string& proto, const BySeries& models, ReportCharts& charts) {
  std::vector<Series> scaling;
  TimeRange latency;
  bool bound = false;
  for (const auto& [model, by_conns] : models) {
    std::string file = charts.maker.data_path("scaling-" + proto + "-" + model);
    std::ofstream out(file);
    out << "# connections, then median min max over repetitions of: tps p50_us p99_us cpu_pct pss_mb, then "
           "generator-bound repetitions\n";
    for (const auto& [conns, reps] : by_conns) {
      write_scaling_line(out, conns, reps, latency);
      bound |= generator_bound(reps) > 0;
    }
    scaling.push_back(charts.series(file, model));
  }
  const std::string marks = std::string("bound=") + (bound ? "1" : "0");
  if (models.size() > 1) rank_chart(proto, models, charts);
  charts.make("tps.gp", "tps-" + proto, "Throughput, " + proto, "TPS vs connections (" + proto + ", closed loop)",
              scaling, marks);
  const std::string axis = time_axis(latency);
  charts.make("latency.gp", "latency-" + proto, "Latency, " + proto,
              "p50 and p99 latency vs connections (" + proto + ")", scaling, marks + (axis.empty() ? "" : "; " + axis));
  charts.make("server.gp", "server-" + proto, "Server CPU and memory, " + proto,
              "Server CPU and memory vs connections (" + proto + ")", scaling);
}

}  // namespace netlab::run
