#include "tools/chat/chat_text.hpp"

#include <cctype>

namespace netlab::chat {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

Typed parse_typed(std::string_view line) {
  if (trim(line).empty()) return {Action::kNothing, {}};
  if (line.front() != '/') return {Action::kMessage, std::string(line)};
  if (line.size() > 1 && line[1] == '/') return {Action::kMessage, std::string(line.substr(1))};
  size_t sp = line.find(' ');
  std::string word = lower(line.substr(0, sp));
  std::string_view arg = sp == std::string_view::npos ? std::string_view() : trim(line.substr(sp + 1));
  if (word == "/who" && arg.empty()) return {Action::kWho, {}};
  if (word == "/help" && arg.empty()) return {Action::kHelp, {}};
  if (word == "/quit" && arg.empty()) return {Action::kQuit, {}};
  if (word == "/nick") {
    if (arg.empty() || arg.find(' ') != std::string_view::npos) return {Action::kRefuse, "usage: /nick NAME"};
    return {Action::kNick, std::string(arg)};
  }
  if (word == "/who" || word == "/help" || word == "/quit") return {Action::kRefuse, "usage: " + word};
  return {Action::kRefuse, "unknown command " + word + ", not sent (/help lists the commands; /" +
                               std::string(line) + " sends it as a message)"};
}

std::string help_text() {
  return "commands (never sent to the room):\n"
         "  /who         list the members\n"
         "  /nick NAME   take another name (the old one stays if NAME is taken)\n"
         "  /help        this list\n"
         "  /quit        leave (so do Ctrl-D and Ctrl-C)\n"
         "  //text       send a message that begins with '/'\n"
         "On a terminal: Up and Down recall earlier lines, Ctrl-R searches them.";
}

std::string shown_text(std::string_view datagram) {
  size_t sp = datagram.find(' ');
  std::string_view tag = datagram.substr(0, sp);
  std::string_view text = sp == std::string_view::npos ? std::string_view() : datagram.substr(sp + 1);
  if (tag == "PONG") return {};
  if (tag == "MSG" || tag == "ADMIN") return std::string(text);
  if (tag == "ERR") return "! " + std::string(text);
  return "* " + std::string(text);
}

}  // namespace netlab::chat
