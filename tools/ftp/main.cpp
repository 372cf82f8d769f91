// netlab-ftp: the client of the file protocol (the notes' ftp project). Without a command it
// shows the notes' menu and prompt; with one it runs it and exits, for scripts.
//
// Usage:     netlab-ftp 127.0.0.1:9000                 (interactive: list, get, put, quit)
//            netlab-ftp 127.0.0.1:9000 list
//            netlab-ftp 127.0.0.1:9000 get report.pdf [-o local.pdf]
//            netlab-ftp 127.0.0.1:9000 put ./report.pdf [--as report.pdf]
// Test with: netlab-server-thread_pool --proto file --root /tmp/lib --listen 127.0.0.1:9000
// Exit status: 0 done, 1 the server refused (its reason is printed), 2 bad usage, 3 connection or
// local file failure.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "tools/ftp/file_client.hpp"
#include "tools/ftp/progress.hpp"

using namespace netlab;

namespace {

constexpr uint64_t kProgressFrom = 1 << 20;  // smaller transfers finish before a bar helps

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

// Runs one command; prints the outcome; returns the exit status.
int run(ftp::FileClient& client, const Settings& s, const std::vector<std::string>& words, const std::string& output,
        const std::string& as) {
  const std::string& cmd = words.at(0);
  proto::FileReply reply;
  if ((cmd == "list" || cmd == "1") && words.size() == 1) {
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
  } else if ((cmd == "quit" || cmd == "4" || cmd == "exit") && words.size() == 1) {
    reply = client.quit();
  } else {
    std::cerr << "netlab-ftp: usage: list | get NAME | put PATH | quit\n";
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
            << "  4) quit\n";
}

int interactive(ftp::FileClient& client, const Settings& s, const std::string& server) {
  print_menu(server);
  std::string line;
  for (;;) {
    std::cout << "ftp> " << std::flush;
    if (!std::getline(std::cin, line)) {
      client.quit();
      std::cout << "\n";
      return 0;
    }
    std::istringstream in(line);
    std::vector<std::string> words;
    std::string word;
    in >> word;
    if (word.empty()) continue;
    words.push_back(word);
    std::string rest;
    std::getline(in >> std::ws, rest);  // a name may hold spaces: the rest of the line is one argument
    if (!rest.empty()) words.push_back(rest);
    if (word == "help" || word == "?") {
      print_menu(server);
      continue;
    }
    run(client, s, words, "", "");
    if (word == "quit" || word == "4" || word == "exit") return 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Client for the netlab file protocol (LIST, GET, PUT, QUIT). Without a command it shows a menu and a "
               "prompt.\nExit status: 0 done, 1 refused by the server, 2 bad usage, 3 connection or file failure.",
               "netlab-ftp");
  std::string server;
  std::vector<std::string> command;
  std::string output, as;
  Settings settings;
  bool progress = false, no_progress = false;
  app.add_option("server", server, "Server address, HOST:PORT")->required();
  app.add_option("command", command, "list | get NAME | put PATH | quit (none: interactive)");
  app.add_option("-o,--output", output, "get: local path to write (default: NAME in the current folder)");
  app.add_option("--as", as, "put: name on the server (default: the file's base name)");
  app.add_flag("--progress", progress, "Always show a progress bar on transfers of 1 MiB or more");
  app.add_flag("--no-progress", no_progress, "Never show a progress bar (default: only on a terminal)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (progress) settings.progress = 1;
  if (no_progress) settings.progress = 0;
  ::signal(SIGPIPE, SIG_IGN);
  try {
    ftp::FileClient client(core::Address::parse(server));
    if (command.empty()) {
      return interactive(client, settings, server);
    }
    int status = run(client, settings, command, output, as);
    if (status == 0 && command[0] != "quit") client.quit();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "netlab-ftp: " << e.what() << "\n";
    return 3;
  }
}
