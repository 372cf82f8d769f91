// Fuzz target: the suite loader, parse_suite (tools/run/suite.hpp), on arbitrary TOML text.
//
// Bad input must give a SuiteError (file, line, column, message), never a crash, a hang or another
// exception. A suite that parses must keep what netlab-run relies on: at least one case, ids unique
// and usable as file names, a name usable as a folder, positive counts, and case_key() and
// filter_cases() working on every id.
#include <cstdint>
#include <set>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "tools/run/suite.hpp"

namespace {

using namespace netlab;

bool plain_file_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.size() <= 255 &&
         name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-") ==
             std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  run::Suite suite;
  try {
    suite = run::parse_suite(text, "fuzz.toml");
  } catch (const run::SuiteError& e) {
    FUZZ_CHECK(std::string(e.what()).rfind("fuzz.toml:", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(!suite.cases.empty());
  FUZZ_CHECK(suite.name.empty() || plain_file_name(suite.name));
  FUZZ_CHECK(suite.repetitions >= 1);
  std::set<std::string> ids;
  for (const auto& c : suite.cases) {
    FUZZ_CHECK(ids.insert(c.id).second);
    FUZZ_CHECK(plain_file_name(c.id));
    FUZZ_CHECK(c.connections >= 1 && c.load.threads >= 1 && c.load.threads <= c.connections);
    FUZZ_CHECK(c.rate >= 0);
    std::string key = run::case_key(c.id);
    FUZZ_CHECK(!key.empty() && c.id.rfind(key, 0) == 0);
  }
  const size_t count = suite.cases.size();
  run::filter_cases(suite, "*");
  FUZZ_CHECK(suite.cases.size() == count);
  return 0;
}
