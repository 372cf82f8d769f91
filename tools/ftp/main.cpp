// netlab-ftp: the client of the file protocol (the notes' ftp project). Without a command it
// shows the notes' menu and prompt; with one it runs it and exits, for scripts.
//
// Usage:     netlab-ftp 127.0.0.1:9000                 (interactive: list, get, put, quit)
//            netlab-ftp 127.0.0.1:9000 list
//            netlab-ftp 127.0.0.1:9000 get report.pdf [-o local.pdf]
//            netlab-ftp 127.0.0.1:9000 put ./report.pdf [--as report.pdf]
// Test with: netlab-server-thread_pool --proto file --root /tmp/lib --listen 127.0.0.1:9000
// Commands are case-insensitive, `ls` is `list`; on a terminal the prompt has line editing and
// history (readline: Up arrow, Ctrl-R). A mistyped command or a local file that cannot be read
// prints its reason and the prompt comes back; only a lost connection ends the session.
// Exit status: 0 done, 1 the server refused (its reason is printed), 2 bad usage, 3 connection or
// local file failure.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "core/util/command_line.hpp"
#include "tools/ftp/file_client.hpp"
#include "tools/ftp/git_sha.hpp"  // generated: NETLAB_FTP_GIT_SHA
#include "tools/ftp/line_reader.hpp"
#include "tools/ftp/progress.hpp"

using namespace netlab;

namespace {

constexpr uint64_t kProgressFrom = 1 << 20;  // smaller transfers finish before a bar helps
constexpr const char* kCommands = "list | get NAME | put PATH | quit";

struct Settings {
  int progress = -1;  // -1: when stderr is a terminal
};

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool bar_enabled(const Settings& s, uint64_t size) {
  bool wanted = s.progress < 0 ? ::isatty(STDERR_FILENO) != 0 : s.progress > 0;
  return wanted && size >= kProgressFrom;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_quit(const std::string& cmd) { return cmd == "quit" || cmd == "4" || cmd == "exit"; }

// Runs one command; prints the outcome; returns the exit status. A local file that cannot be used
// throws ftp::LocalFileError; a failed connection, std::runtime_error.
int run(ftp::FileClient& client, const Settings& s, const std::vector<std::string>& words, const std::string& output,
        const std::string& as) {
  const std::string cmd = lower(words.at(0));  // names keep their case: only the command is folded
  proto::FileReply reply;
  if ((cmd == "list" || cmd == "ls" || cmd == "1") && words.size() == 1) {
    std::string listing;
    reply = client.list(listing);
    if (reply.code == 200) {
      std::cout << listing << "(" << reply.message << ")\n";
    }
  } else if ((cmd == "get" || cmd == "2") && words.size() == 2) {
    std::string path = output.empty() ? words[1] : output;
    ftp::ProgressBar bar(bar_enabled(s, kProgressFrom));
    reply = client.get(words[1], path, [&](uint64_t done, uint64_t total) {
      if (total >= kProgressFrom) bar.update(done, total);
    });
    bar.finish();
    if (reply.code == 200) std::cout << "got " << words[1] << " (" << reply.size << " bytes) into " << path << "\n";
  } else if ((cmd == "put" || cmd == "3") && words.size() == 2) {
    std::string name = as.empty() ? base_name(words[1]) : as;
    if (auto problem = proto::file_name_problem(name); !problem.empty()) {
      std::cerr << "netlab-ftp: cannot upload as '" << name << "': " << problem << "\n";
      return 1;
    }
    ftp::ProgressBar bar(bar_enabled(s, kProgressFrom));
    reply = client.put(words[1], name, [&](uint64_t done, uint64_t total) {
      if (total >= kProgressFrom) bar.update(done, total);
    });
    bar.finish();
    if (reply.code < 300) std::cout << reply.message << "\n";
  } else if (is_quit(cmd) && words.size() == 1) {
    reply = client.quit();
  } else {
    bool known = cmd == "list" || cmd == "ls" || cmd == "get" || cmd == "put" || is_quit(cmd) ||
                 (cmd.size() == 1 && cmd[0] >= '1' && cmd[0] <= '4');
    std::cerr << "netlab-ftp: " << (known ? "wrong arguments for '" : "unknown command '") << words[0]
              << "'; usage: " << kCommands << " (ls for list; help shows the menu)\n";
    return 2;
  }
  if (reply.code >= 400) {
    std::cerr << "netlab-ftp: server says " << reply.code << ": " << reply.message << "\n";
    return 1;
  }
  return 0;
}

void print_menu(const std::string& server) {
  std::cout << "netlab-ftp connected to " << server << "\n"
            << "  1) list          show the files on the server\n"
            << "  2) get NAME      download NAME into the current folder\n"
            << "  3) put PATH      upload a local file (under its base name)\n"
            << "  4) quit\n"
            << "Commands are case-insensitive; ls is list, help shows this menu.\n";
}

int interactive(ftp::FileClient& client, const Settings& s, const std::string& server) {
  print_menu(server);
  ftp::LineReader reader("ftp> ");
  for (;;) {
    std::optional<std::string> line = reader.next();
    if (!line) {
      client.quit();
      std::cout << "\n";
      return 0;
    }
    std::istringstream in(*line);
    std::vector<std::string> words;
    std::string word;
    in >> word;
    if (word.empty()) continue;
    words.push_back(word);
    std::string rest;
    std::getline(in >> std::ws, rest);  // a name may hold spaces: the rest of the line is one argument
    if (!rest.empty()) words.push_back(rest);
    word = lower(word);
    if (word == "help" || word == "?") {
      print_menu(server);
      continue;
    }
    try {
      run(client, s, words, "", "");
    } catch (const ftp::LocalFileError& e) {
      std::cerr << "netlab-ftp: " << e.what() << "\n";  // a typo, not a reason to end the session
      continue;
    }
    if (is_quit(word) && words.size() == 1) return 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Client for the netlab file protocol (LIST, GET, PUT, QUIT). Without a command it shows a menu and a "
               "prompt (line editing and history on a terminal).\nExit status: 0 done, 1 refused by the server, 2 bad "
               "usage, 3 connection or file failure.",
               "netlab-ftp");
  std::string server;
  std::vector<std::string> command;
  std::string output, as;
  Settings settings;
  bool progress = false, no_progress = false;
  app.add_option("server", server, "Server address, HOST:PORT")->required();
  app.add_option("command", command,
                 std::string(kCommands) + " (case-insensitive, ls for list; none: interactive)");
  app.add_option("-o,--output", output, "get: local path to write (default: NAME in the current folder)");
  app.add_option("--as", as, "put: name on the server (default: the file's base name)");
  app.add_flag("--progress", progress, "Always show a progress bar on transfers of 1 MiB or more");
  app.add_flag("--no-progress", no_progress, "Never show a progress bar (default: only on a terminal)");
  const std::string sha = NETLAB_FTP_GIT_SHA;
  app.set_version_flag("--version",
                       std::string("netlab-ftp ") + NETLAB_VERSION + " (git " + (sha.empty() ? "unknown" : sha) + ")",
                       "Print the version and git commit, then exit");
  core::Address address;
  if (auto status = core::parse_command_line(app, argc, argv, "netlab-ftp",
                                             [&] { address = core::Address::parse(server); })) {
    return *status;
  }
  if (progress) settings.progress = 1;
  if (no_progress) settings.progress = 0;
  ::signal(SIGPIPE, SIG_IGN);
  try {
    ftp::FileClient client(address);
    if (command.empty()) {
      return interactive(client, settings, server);
    }
    int status = run(client, settings, command, output, as);
    if (status == 0 && !is_quit(lower(command[0]))) client.quit();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "netlab-ftp: " << e.what() << "\n";
    return 3;
  }
}
