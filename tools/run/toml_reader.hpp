// TableReader: reads one TOML table of a suite file with typed, range-checked getters, and
// remembers which keys it was asked for so every other key can be reported as a mistake. Every
// error is a SuiteError naming the file, line and column.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/util/duration.hpp"
#include "tools/run/suite.hpp"

namespace netlab::run {

// Throws SuiteError at `node`'s position in `source`.
[[noreturn]] void fail(const std::string& source, const toml::node& node, const std::string& message);

class TableReader {
 public:
  // `where` names the table in errors ("[server]", "[[cases]] #2").
  TableReader(const toml::table& table, std::string source, std::string where)
      : table_(table), source_(std::move(source)), where_(std::move(where)) {}

  // The key's node (nullptr when absent), marking the key known.
  const toml::node* get(const std::string& key);

  // Each returns `fallback` when the key is absent and fails when its value has the wrong type.
  std::string string(const std::string& key, std::string fallback);
  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  double number(const std::string& key, double fallback);
  bool boolean(const std::string& key, bool fallback);
  std::chrono::nanoseconds duration(const std::string& key, std::chrono::nanoseconds fallback);

  // A value or an array of values, each converted by `one`; `fallback` when absent.
  template <typename T>
  std::vector<T> list(const std::string& key, std::vector<T> fallback,
                      const std::function<T(const toml::node&)>& one) {
    auto* n = get(key);
    if (!n) return fallback;
    std::vector<T> out;
    if (auto* arr = n->as_array()) {
      if (arr->empty()) fail(source_, *n, "'" + key + "' must not be empty");
      for (const auto& item : *arr) out.push_back(one(item));
    } else {
      out.push_back(one(*n));
    }
    return out;
  }

  std::vector<std::string> strings(const std::string& key, std::vector<std::string> fallback);

  // Converters for one node, which `list` and callers with several accepted types use.
  int64_t integer_value(const toml::node& n, const std::string& key, int64_t min, int64_t max);
  double number_value(const toml::node& n, const std::string& key);
  // A duration string: a bare number is seconds, or refused with kNeedsUnit (core/util/duration.hpp).
  std::chrono::nanoseconds duration_value(const toml::node& n, const std::string& key,
                                          core::BareNumber bare = core::BareNumber::kSeconds);

  // Every key not asked for is a mistake: a typo must not silently fall back to a default.
  void reject_unknown() const;

  const std::string& source() const { return source_; }

 private:
  const toml::table& table_;
  std::string source_;
  std::string where_;
  std::set<std::string> known_;
};

// The sub-table `key` of `parent` ([key]); `empty` when absent; fails when it is not a table.
const toml::table& table_at(TableReader& parent, const std::string& key, const toml::table& empty);

}  // namespace netlab::run
