// ModelPalette: the one place that gives each series of a run's charts its colour and point
// shape. A model's style comes from its position in the build's model list (servers/CMakeLists.txt,
// written to bin/models.txt), so epoll looks the same in every chart of every run, whichever
// models a chart happens to show. Series that are not plain models (variants such as epoll+edge,
// A/B builds such as epoll@new, models the list no longer has) take the colours after the
// models', in name order: the same in every chart of one run.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace netlab::run {

struct SeriesStyle {
  std::string colour;  // "#rrggbb"
  int point = 7;       // gnuplot point type (filled shapes)
};

class ModelPalette {
 public:
  // `models`: the build's list, in order; `series`: every series name the run's charts may draw.
  ModelPalette(const std::vector<std::string>& models, const std::vector<std::string>& series);
  // A series given to the constructor (or a model of the list); anything else gets the first style.
  SeriesStyle style(const std::string& series) const;

 private:
  std::map<std::string, SeriesStyle> styles_;
};

// bin/models.txt: one model a line; empty when the file is missing.
std::vector<std::string> read_model_list(const std::string& path);

}  // namespace netlab::run
