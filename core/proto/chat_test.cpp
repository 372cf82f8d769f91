#include "core/proto/chat.hpp"

#include <gtest/gtest.h>

#include <map>

namespace netlab::proto {
namespace {

core::Address member(int i) { return core::Address::parse("127.0.0.1:" + std::to_string(20000 + i)); }

// What each address received, in order.
std::map<std::string, std::vector<std::string>> inboxes(DatagramOut& out) {
  std::map<std::string, std::vector<std::string>> boxes;
  for (const auto& d : out.items()) boxes[d.to.to_string()].push_back(d.bytes);
  out.clear();
  return boxes;
}

std::vector<std::string> one(DatagramOut& out, const core::Address& to) { return inboxes(out)[to.to_string()]; }

class ChatServiceTest : public ::testing::Test {
 protected:
  void join(int i, const std::string& name) {
    chat_.on_datagram(member(i), "JOIN " + name + "\n", out_);
    out_.clear();
  }
  ChatService chat_;
  DatagramOut out_;
};

TEST_F(ChatServiceTest, JoinIsAnsweredAndAnnouncedToTheOthers) {
  chat_.on_datagram(member(1), "JOIN alice\n", out_);
  EXPECT_EQ(one(out_, member(1)), std::vector<std::string>{"OK welcome alice, 1 member online"});
  chat_.on_datagram(member(2), "JOIN bob\r\n", out_);
  auto boxes = inboxes(out_);
  EXPECT_EQ(boxes[member(1).to_string()], std::vector<std::string>{"JOIN bob joined"});
  EXPECT_EQ(boxes[member(2).to_string()], std::vector<std::string>{"OK welcome bob, 2 members online"});
}

TEST_F(ChatServiceTest, DuplicateNamesAreRefusedWithAReason) {
  join(1, "alice");
  chat_.on_datagram(member(2), "JOIN alice", out_);
  EXPECT_EQ(one(out_, member(2)), std::vector<std::string>{"ERR name taken: alice"});
  EXPECT_EQ(chat_.members(), 1u);
  chat_.on_datagram(member(1), "JOIN alice", out_);  // a repeat (lost OK) is answered again
  EXPECT_EQ(one(out_, member(1)), std::vector<std::string>{"OK welcome alice, 1 member online"});
  chat_.on_datagram(member(1), "JOIN carol", out_);
  EXPECT_EQ(one(out_, member(1)), std::vector<std::string>{"ERR already joined as alice (LEAVE first)"});
}

TEST_F(ChatServiceTest, MessagesReachEveryOtherMemberOnly) {
  for (int i = 0; i < 50; ++i) join(i, "m" + std::to_string(i));
  chat_.on_datagram(member(7), "MSG hello room", out_);
  auto boxes = inboxes(out_);
  EXPECT_EQ(boxes.size(), 49u);
  EXPECT_EQ(boxes.count(member(7).to_string()), 0u);
  for (int i = 0; i < 50; ++i) {
    if (i != 7) {
      EXPECT_EQ(boxes[member(i).to_string()], std::vector<std::string>{"MSG m7: hello room"});
    }
  }
}

TEST_F(ChatServiceTest, LeaveIsAnnouncedAndFreesTheName) {
  join(1, "alice");
  join(2, "bob");
  chat_.on_datagram(member(1), "LEAVE", out_);
  EXPECT_EQ(one(out_, member(2)), std::vector<std::string>{"LEAVE alice left"});
  chat_.on_datagram(member(1), "MSG still here?", out_);
  EXPECT_EQ(one(out_, member(1)), std::vector<std::string>{"ERR join first: JOIN <name>"});
  chat_.on_datagram(member(3), "JOIN alice", out_);
  EXPECT_EQ(inboxes(out_)[member(3).to_string()].at(0), "OK welcome alice, 2 members online");
}

TEST_F(ChatServiceTest, SilentMembersTimeOut) {
  auto now = ChatService::Clock::now();
  chat_.set_clock([&] { return now; });
  join(1, "alice");
  join(2, "bob");
  now += std::chrono::seconds(40);
  chat_.on_datagram(member(2), "PING", out_);
  EXPECT_EQ(one(out_, member(2)), std::vector<std::string>{"PONG"});
  now += std::chrono::seconds(30);  // alice silent 70 s, bob 30 s
  chat_.on_tick(out_);
  EXPECT_EQ(one(out_, member(2)), std::vector<std::string>{"LEAVE alice left (timed out)"});
  EXPECT_EQ(chat_.members(), 1u);
}

TEST_F(ChatServiceTest, AdminNoticesGoToEveryone) {
  ChatOptions options;
  options.join_notice = "be nice";
  ChatService chat(options);
  chat.on_datagram(member(1), "JOIN alice", out_);
  EXPECT_EQ(one(out_, member(1)), (std::vector<std::string>{"OK welcome alice, 1 member online", "ADMIN [admin] be nice"}));
  chat.on_datagram(member(2), "JOIN bob", out_);
  out_.clear();
  chat.on_admin("restart at noon\n", out_);
  auto boxes = inboxes(out_);
  EXPECT_EQ(boxes[member(1).to_string()], std::vector<std::string>{"ADMIN [admin] restart at noon"});
  EXPECT_EQ(boxes[member(2).to_string()], std::vector<std::string>{"ADMIN [admin] restart at noon"});
  chat.on_admin("", out_);
  EXPECT_TRUE(out_.items().empty());
}

TEST_F(ChatServiceTest, HostileDatagramsGetAReasonAndChangeNothing) {
  join(1, "alice");
  join(2, "bob");
  const std::pair<std::string, std::string> cases[] = {
      {"JOIN", "ERR bad name: use 1 to 32 characters"},
      {"JOIN " + std::string(33, 'x'), "ERR bad name: use 1 to 32 characters"},
      {"JOIN a b", "ERR bad name: use only letters, digits, '_', '-' and '.'"},
      {std::string("JOIN a\0b", 8), "ERR bad name: use only letters, digits, '_', '-' and '.'"},
      {"\xff\xfe garbage", "ERR join first: JOIN <name>"},
      {"", "ERR join first: JOIN <name>"},
  };
  for (const auto& [datagram, reply] : cases) {
    chat_.on_datagram(member(9), datagram, out_);
    EXPECT_EQ(one(out_, member(9)), std::vector<std::string>{reply}) << datagram;
  }
  chat_.on_datagram(member(1), "MSG " + std::string(kMaxChatText + 1, 'x'), out_);
  EXPECT_EQ(one(out_, member(1)), std::vector<std::string>{"ERR message too long (max 1024 bytes)"});
  chat_.on_datagram(member(1), "MSG ", out_);
  EXPECT_EQ(one(out_, member(1)), std::vector<std::string>{"ERR empty message"});
  chat_.on_datagram(member(1), "DANCE", out_);
  EXPECT_EQ(one(out_, member(1)).at(0).substr(0, 24), "ERR unknown command (JOI");
  chat_.on_datagram(member(1), "MSG line1\nMSG forged\x1b[2J", out_);
  EXPECT_EQ(one(out_, member(2)), std::vector<std::string>{"MSG alice: line1?MSG forged?[2J"});
  EXPECT_EQ(chat_.members(), 2u);
}

TEST_F(ChatServiceTest, WhoListsTheRoom) {
  join(1, "zed");
  join(2, "amy");
  chat_.on_datagram(member(1), "WHO", out_);
  EXPECT_EQ(one(out_, member(1)), std::vector<std::string>{"OK 2 online: amy zed"});
}

}  // namespace
}  // namespace netlab::proto
