// The text side of netlab-chat, with no sockets: what a typed line asks for (a message, or one of
// the client's own slash commands, which never reach the room) and how a datagram from the server
// reads to a person.
#pragma once

#include <string>
#include <string_view>

namespace netlab::chat {

enum class Action {
  kNothing,  // a blank line
  kMessage,  // text: the message to send (MSG)
  kWho,      // ask the server for the members (WHO)
  kNick,     // text: the new name
  kHelp,     // show help_text()
  kQuit,     // leave
  kRefuse,   // text: why the line was not sent (an unknown command, a /nick without a name)
};

struct Typed {
  Action action = Action::kNothing;
  std::string text;
};

// A line beginning with '/' is a command (case-insensitive); "//text" sends "/text" as a message.
Typed parse_typed(std::string_view line);

// The commands, one per line, for /help.
std::string help_text();

// A datagram from the server as a person reads it: "bob: hi", "* bob joined", "! name taken: bob",
// "[admin] ..."; "" for what is not shown (PONG).
std::string shown_text(std::string_view datagram);

}  // namespace netlab::chat
