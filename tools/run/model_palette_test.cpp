#include "tools/run/model_palette.hpp"

#include <gtest/gtest.h>

namespace netlab::run {
namespace {

TEST(ModelPaletteTest, AModelsStyleIsItsPlaceInTheModelList) {
  const std::vector<std::string> models = {"iterative_tcp", "epoll", "poll"};
  ModelPalette all(models, {"epoll", "poll"});
  ModelPalette some(models, {"poll"});  // a chart or run without epoll: poll keeps its colour
  EXPECT_EQ(all.style("poll").colour, some.style("poll").colour);
  EXPECT_EQ(all.style("epoll").colour, "#ff7f0e");
  EXPECT_NE(all.style("epoll").colour, all.style("poll").colour);
  EXPECT_NE(all.style("epoll").point, all.style("poll").point);
}

TEST(ModelPaletteTest, VariantsAndBuildsFollowTheModelsInNameOrder) {
  const std::vector<std::string> models = {"epoll", "poll"};
  ModelPalette p(models, {"poll", "epoll@new", "epoll+edge", "epoll"});
  EXPECT_EQ(p.style("epoll+edge").colour, "#2ca02c");  // third colour: the first after the models
  EXPECT_EQ(p.style("epoll@new").colour, "#d62728");
  EXPECT_NE(p.style("epoll+edge").colour, p.style("epoll").colour);
}

TEST(ModelPaletteTest, TheModelListIsReadFromTheBuild) {
  EXPECT_TRUE(read_model_list("/nonexistent/models.txt").empty());
}

}  // namespace
}  // namespace netlab::run
