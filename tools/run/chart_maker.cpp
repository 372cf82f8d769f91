#include "tools/run/chart_maker.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "core/process/child_process.hpp"

namespace netlab::run {

using process::ChildProcess;
using process::SpawnOptions;

namespace {

// A gnuplot single-quoted string literal: a quote inside is written twice.
std::string gp_quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    out += ch;
    if (ch == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int median_index(const std::vector<double>& v) {
  if (v.empty()) return -1;
  std::vector<int> order(v.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  // Stable, so equal values keep repetition order and the choice is reproducible.
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return v[static_cast<size_t>(a)] < v[static_cast<size_t>(b)]; });
  return order[(order.size() - 1) / 2];
}

Spread spread(const std::vector<double>& v) {
  if (v.empty()) return {};
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return {median(v), *lo, *hi};
}

std::string format_number(double v) {
  double a = v < 0 ? -v : v;
  const char* format = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : a == 0 ? "%.0f" : "%.3g";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string base64(const std::string& data) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                 static_cast<unsigned char>(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (size_t rest = data.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

ChartMaker::ChartMaker(std::string out_dir, std::string script_dir)
    : out_dir_(std::move(out_dir)), script_dir_(std::move(script_dir)) {
  ::mkdir((out_dir_ + "/charts").c_str(), 0755);
  ::mkdir((out_dir_ + "/charts/data").c_str(), 0755);
}

std::string ChartMaker::data_path(const std::string& name) const { return out_dir_ + "/charts/data/" + name + ".dat"; }

bool ChartMaker::make(const std::string& script, const std::string& name, const std::string& heading,
                      const std::vector<Series>& series, ChartOutcome& outcome, const std::string& extra) {
  if (series.empty()) return false;
  // Titles are double-quoted words (gnuplot's word() keeps "epoll (generator-bound)" whole).
  std::string files, titles, colours, points;
  bool styled = true;
  for (const auto& s : series) {
    files += (files.empty() ? "" : " ") + s.file;
    titles += (titles.empty() ? "\"" : " \"") + s.title + "\"";
    colours += (colours.empty() ? "" : " ") + s.style.colour;
    points += (points.empty() ? "" : " ") + std::to_string(s.style.point);
    styled &= !s.style.colour.empty();
  }
  const std::string styles = styled ? "; colours=" + gp_quote(colours) + "; points=" + gp_quote(points) : "";
  for (const char* fmt : {"png", "svg"}) {
    std::string vars = "dir=" + gp_quote(script_dir_) + "; out=" + gp_quote(out_dir_ + "/charts/" + name) +
                       "; fmt='" + fmt + "'; files=" + gp_quote(files) + "; titles=" + gp_quote(titles) +
                       "; heading=" + gp_quote(heading) + styles + (extra.empty() ? "" : "; " + extra);
    std::string log = out_dir_ + "/charts/data/" + name + ".gnuplot.log";
    SpawnOptions opts;
    opts.stderr_path = log;
    ChildProcess gp({"/usr/bin/gnuplot", "-e", vars, script_dir_ + "/" + script}, opts);
    auto e = gp.wait(std::chrono::seconds(60));
    if (!e || !e->exited || e->status != 0) {
      outcome.problems.push_back(name + "." + fmt + ": " + read_file(log));
      return false;
    }
  }
  outcome.charts.push_back(name);
  return true;
}

std::vector<std::pair<std::string, std::string>> svg_legend(const std::string& svg_path) {
  // gnuplot's SVG terminal (5.4) writes each plot as <g id="gnuplot_plot_N">: the key entry's
  // <text> first, then its sample drawn in the plot's colour, rgb(r, g, b). A plot with no
  // title has no <text> and is skipped.
  const std::string svg = read_file(svg_path), start = "<g id=\"gnuplot_plot_";
  std::vector<std::pair<std::string, std::string>> legend;
  for (size_t at = svg.find(start); at != std::string::npos;) {
    size_t next = svg.find(start, at + 1), end = next == std::string::npos ? svg.size() : next;
    size_t text = svg.find("<text>", at), text_end = svg.find("</text>", at);
    size_t colour = svg.find("rgb(", text_end == std::string::npos ? end : text_end);
    int r = 0, g = 0, b = 0;
    if (text < end && text_end < end && colour < end &&
        std::sscanf(svg.c_str() + colour, "rgb(%d,%d,%d)", &r, &g, &b) == 3) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "#%02x%02x%02x", r & 255, g & 255, b & 255);
      legend.emplace_back(svg.substr(text + 6, text_end - text - 6), hex);
    }
    at = next;
  }
  return legend;
}

std::string chart_html(const std::string& page_dir, const std::string& name) {
  std::string legend;
  for (const auto& [text, colour] : svg_legend(page_dir + "/charts/" + name + ".svg")) {
    legend += (legend.empty() ? "" : ";") + text + "=" + colour;
  }
  return "<img class=\"chart\" alt=\"" + html_escape(name) + "\" data-legend=\"" + html_escape(legend) +
         "\" src=\"data:image/png;base64," +
         base64(read_file(page_dir + "/charts/" + name + ".png")) + "\"><p><a href=\"charts/" + html_escape(name) +
         ".svg\">SVG</a></p>\n";
}

std::string charts_loaded_script() {
  return R"(<script>
window.addEventListener('load', function () {
  var charts = document.querySelectorAll('img.chart'), loaded = 0, first = {}, conflicts = [];
  charts.forEach(function (img) {
    var ok = img.complete && img.naturalWidth > 0;
    img.setAttribute('data-loaded', ok ? 'yes' : 'no');
    if (ok) loaded++;
    (img.getAttribute('data-legend') || '').split(';').forEach(function (entry) {
      var at = entry.lastIndexOf('=');
      if (at < 0) return;
      var series = entry.slice(0, at).split(' ')[0], colour = entry.slice(at + 1);
      if (!(series in first)) first[series] = {colour: colour, chart: img.alt};
      else if (first[series].colour !== colour)
        conflicts.push(series + ': ' + first[series].colour + ' in ' + first[series].chart + ', ' + colour + ' in ' + img.alt);
    });
  });
  document.body.setAttribute('data-charts-loaded', loaded + '/' + charts.length);
  document.body.setAttribute('data-colour-conflicts', conflicts.length ? conflicts.join('; ') : 'none');
  if (conflicts.length) {
    var p = document.createElement('p');
    p.className = 'failed';
    p.textContent = 'A series changes colour between charts: ' + conflicts.join('; ');
    document.body.insertBefore(p, document.body.firstChild);
  }
});
</script>
)";
}

}  // namespace netlab::run
