#include "tools/run/toml_reader.hpp"

#include <stdexcept>

#include "core/util/duration.hpp"

namespace netlab::run {

void fail(const std::string& source, const toml::node& node, const std::string& message) {
  throw SuiteError(source, node.source().begin.line, node.source().begin.column, message);
}

const toml::node* TableReader::get(const std::string& key) {
  known_.insert(key);
  return table_.get(key);
}

std::string TableReader::string(const std::string& key, std::string fallback) {
  if (auto* n = get(key)) {
    if (!n->is_string()) fail(source_, *n, "'" + key + "' must be a string");
    return n->as_string()->get();
  }
  return fallback;
}

int64_t TableReader::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  if (auto* n = get(key)) return integer_value(*n, key, min, max);
  return fallback;
}

double TableReader::number(const std::string& key, double fallback) {
  if (auto* n = get(key)) return number_value(*n, key);
  return fallback;
}

bool TableReader::boolean(const std::string& key, bool fallback) {
  if (auto* n = get(key)) {
    if (!n->is_boolean()) fail(source_, *n, "'" + key + "' must be true or false");
    return n->as_boolean()->get();
  }
  return fallback;
}

std::chrono::nanoseconds TableReader::duration(const std::string& key, std::chrono::nanoseconds fallback) {
  if (auto* n = get(key)) return duration_value(*n, key);
  return fallback;
}

std::vector<std::string> TableReader::strings(const std::string& key, std::vector<std::string> fallback) {
  return list<std::string>(key, std::move(fallback), [&](const toml::node& item) {
    if (!item.is_string()) fail(source_, item, "'" + key + "' must hold strings");
    return item.as_string()->get();
  });
}

int64_t TableReader::integer_value(const toml::node& n, const std::string& key, int64_t min, int64_t max) {
  if (!n.is_integer()) fail(source_, n, "'" + key + "' must be an integer");
  int64_t v = n.as_integer()->get();
  if (v < min || v > max) {
    fail(source_, n, "'" + key + "' must be from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

double TableReader::number_value(const toml::node& n, const std::string& key) {
  if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
  if (n.is_floating_point()) return n.as_floating_point()->get();
  fail(source_, n, "'" + key + "' must be a number");
}

std::chrono::nanoseconds TableReader::duration_value(const toml::node& n, const std::string& key,
                                                    core::BareNumber bare) {
  if (!n.is_string()) fail(source_, n, "'" + key + "' must be a duration string like \"500ms\"");
  try {
    return core::parse_duration(n.as_string()->get(), bare);
  } catch (const std::invalid_argument& e) {
    fail(source_, n, "'" + key + "': " + e.what());
  }
}

void TableReader::reject_unknown() const {
  for (const auto& [key, value] : table_) {
    if (!known_.count(std::string(key.str()))) {
      fail(source_, value, "unknown key '" + std::string(key.str()) + "' in " + where_);
    }
  }
}

const toml::table& table_at(TableReader& parent, const std::string& key, const toml::table& empty) {
  auto* n = parent.get(key);
  if (!n) return empty;
  if (!n->is_table()) fail(parent.source(), *n, "'" + key + "' must be a table ([" + key + "])");
  return *n->as_table();
}

}  // namespace netlab::run
