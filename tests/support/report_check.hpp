// A report page as a reader's browser shows it: headless Chromium loads the page (a run's
// report.html, or a gate page), runs its check script (chart_maker.hpp's charts_loaded_script)
// and dumps the DOM, and this reads what the script found. A page fails when a chart it should
// show is missing or does not decode, or when one series has two colours in two charts.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/server_process.hpp"

namespace netlab::test {

struct BrowserCheck {
  bool skipped = false;               // no Chromium here: nothing was checked
  std::vector<std::string> problems;  // empty when the page passed
  std::string dom;                    // the page as Chromium left it
};

inline constexpr const char* kChromium = "/usr/bin/chromium";

// `charts`: the chart names (<img alt>) the page must show, decoded. `profile`: a fresh folder for
// Chromium's profile (--user-data-dir), so no state from another run leaks in.
inline BrowserCheck check_report_in_chromium(const std::filesystem::path& page, const std::vector<std::string>& charts,
                                             const std::filesystem::path& profile) {
  BrowserCheck check;
  if (access(kChromium, X_OK) != 0) {
    check.skipped = true;
    return check;
  }
  auto dom = run_command({kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          "--user-data-dir=" + profile.string(), "--dump-dom", "file://" + page.string()},
                         "", std::chrono::seconds(60));
  check.dom = dom.output;
  auto attribute = [&](const std::string& text, size_t from, const std::string& name) -> std::string {
    size_t at = text.find(" " + name + "=\"", from);
    if (at == std::string::npos) return "(none)";
    at += name.size() + 3;
    return text.substr(at, text.find('"', at) - at);
  };
  size_t body = check.dom.find("<body");
  if (body == std::string::npos || attribute(check.dom, body, "data-charts-loaded") == "(none)") {
    check.problems.push_back("the page's check did not run: " + check.dom.substr(0, 500));
    return check;
  }
  for (const auto& chart : charts) {
    size_t at = check.dom.find("<img class=\"chart\" alt=\"" + chart + "\"");
    if (at == std::string::npos) {
      check.problems.push_back("chart " + chart + " missing");
      continue;
    }
    std::string tag = check.dom.substr(at, check.dom.find('>', at) - at);
    if (attribute(tag, 0, "data-loaded") != "yes") check.problems.push_back("chart " + chart + " did not decode");
  }
  std::string conflicts = attribute(check.dom, body, "data-colour-conflicts");
  if (conflicts != "none") check.problems.push_back("colours differ between charts: " + conflicts);
  return check;
}

}  // namespace netlab::test
