#include "tools/chat/chat_text.hpp"

#include <gtest/gtest.h>

namespace netlab::chat {
namespace {

TEST(ChatTextTest, LinesAreMessagesUnlessTheyAreCommands) {
  EXPECT_EQ(parse_typed("hello there").action, Action::kMessage);
  EXPECT_EQ(parse_typed("hello there").text, "hello there");
  EXPECT_EQ(parse_typed("  ").action, Action::kNothing);
  EXPECT_EQ(parse_typed("").action, Action::kNothing);
  EXPECT_EQ(parse_typed("//etc is a folder").text, "/etc is a folder");
  EXPECT_EQ(parse_typed("//etc is a folder").action, Action::kMessage);
}

TEST(ChatTextTest, CommandsStayLocal) {
  EXPECT_EQ(parse_typed("/who").action, Action::kWho);
  EXPECT_EQ(parse_typed("/HELP").action, Action::kHelp);
  EXPECT_EQ(parse_typed("/quit").action, Action::kQuit);
  Typed nick = parse_typed("/nick  carla ");
  EXPECT_EQ(nick.action, Action::kNick);
  EXPECT_EQ(nick.text, "carla");
  EXPECT_EQ(parse_typed("/nick").action, Action::kRefuse);
  EXPECT_EQ(parse_typed("/nick").text, "usage: /nick NAME");
  EXPECT_EQ(parse_typed("/nick two words").action, Action::kRefuse);
  EXPECT_EQ(parse_typed("/quit now").text, "usage: /quit");
  Typed unknown = parse_typed("/shrug oh well");
  EXPECT_EQ(unknown.action, Action::kRefuse);
  EXPECT_EQ(unknown.text, "unknown command /shrug, not sent (/help lists the commands; //shrug oh well sends it as a "
                          "message)");
}

TEST(ChatTextTest, DatagramsReadAsAPersonExpects) {
  EXPECT_EQ(shown_text("MSG bob: hi"), "bob: hi");
  EXPECT_EQ(shown_text("ADMIN [admin] noon"), "[admin] noon");
  EXPECT_EQ(shown_text("JOIN bob joined"), "* bob joined");
  EXPECT_EQ(shown_text("ERR name taken: bob"), "! name taken: bob");
  EXPECT_EQ(shown_text("PONG"), "");
}

}  // namespace
}  // namespace netlab::chat
