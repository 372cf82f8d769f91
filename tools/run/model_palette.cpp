#include "tools/run/model_palette.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace netlab::run {
namespace {

// Twenty colours that stay apart on white, none black (black marks generator-bound cases) and none
// light enough to vanish: the fourteen models, then room for variants and builds.
const char* const kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                                "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#e7ba52", "#637939", "#ad494a",
                                "#6b6ecf", "#8c6d31", "#ce6dbd", "#31a354", "#fd8d3c", "#3182bd"};
// Filled circle, square, triangle, inverted triangle, diamond, pentagon: neighbours in the list
// differ in shape too, for readers who cannot tell two colours apart.
const int kPoints[] = {7, 5, 9, 11, 13, 15};

SeriesStyle style_at(size_t i) {
  return {kColours[i % std::size(kColours)], kPoints[i % std::size(kPoints)]};
}

}  // namespace

ModelPalette::ModelPalette(const std::vector<std::string>& models, const std::vector<std::string>& series) {
  for (size_t i = 0; i < models.size(); ++i) styles_.emplace(models[i], style_at(i));
  std::vector<std::string> others;
  for (const auto& s : series) {
    if (styles_.find(s) == styles_.end()) others.push_back(s);
  }
  std::sort(others.begin(), others.end());
  others.erase(std::unique(others.begin(), others.end()), others.end());
  for (size_t i = 0; i < others.size(); ++i) styles_.emplace(others[i], style_at(models.size() + i));
}

SeriesStyle ModelPalette::style(const std::string& series) const {
  auto it = styles_.find(series);
  return it == styles_.end() ? style_at(0) : it->second;
}

std::vector<std::string> read_model_list(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> models;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) models.push_back(line);
  }
  return models;
}

}  // namespace netlab::run
