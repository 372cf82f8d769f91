#include "tools/run/suite.hpp"

#include <fnmatch.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/proto/protocol.hpp"
#include "tools/run/toml_reader.hpp"

namespace netlab::run {
namespace {

ServerSettings read_server(TableReader& r, ServerSettings s) {
  if (auto* n = r.get("workers")) {
    if (n->is_string() && n->as_string()->get() == "connections") {
      s.workers_per_connection = true;
    } else {
      s.workers = static_cast<int>(r.integer_value(*n, "workers", 1, 4096));
      s.workers_per_connection = false;
    }
  }
  s.max_conns = static_cast<int>(r.integer("max_conns", s.max_conns, 1, 1000000));
  s.extra_args = r.strings("extra_args", s.extra_args);
  return s;
}

LoadSettings read_load(TableReader& r, LoadSettings l) {
  l.threads = static_cast<int>(r.integer("threads", l.threads, 1, 256));
  l.pipeline = static_cast<int>(r.integer("pipeline", l.pipeline, 1, 1024));
  l.timeout = r.duration("timeout", l.timeout);
  l.path = r.string("path", l.path);
  l.new_conn = r.boolean("new_conn", l.new_conn);
  l.extra_args = r.strings("extra_args", l.extra_args);
  return l;
}

std::string micros_tag(std::chrono::microseconds us) {
  return us.count() % 1000 == 0 ? std::to_string(us.count() / 1000) + "ms" : std::to_string(us.count()) + "us";
}

std::string case_id(const Case& c, int repetitions) {
  std::string id = c.series() + "-" + c.protocol + "-c" + std::to_string(c.connections);
  if (c.rate > 0) id += "-r" + std::to_string(static_cast<long long>(c.rate));
  if (c.payload != 16) id += "-p" + std::to_string(c.payload);
  if (c.cpu_work.count() > 0) id += "-cpu" + micros_tag(c.cpu_work);
  if (c.io_delay.count() > 0) id += "-io" + micros_tag(c.io_delay);
  if (c.measure == "cost") id += "-cost";
  if (repetitions > 1) id += "-rep" + std::to_string(c.repetition);
  return id;
}

// The results folder is <results>/<name>/: a name is one plain path component, never "..".
bool plain_file_name(const std::string& name) {
  return !name.empty() && name[0] != '.' &&
         name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
             std::string::npos;
}

// The i-th entry of a value that is one string or an array of them.
SourcePosition position_of(const toml::node* n, size_t i) {
  const toml::node* at = n;
  if (n && n->is_array() && i < n->as_array()->size()) at = n->as_array()->get(i);
  if (!at) return {};
  return {at->source().begin.line, at->source().begin.column};
}

}  // namespace

SuiteError::SuiteError(const std::string& source, int64_t line, int64_t column, const std::string& message)
    : std::runtime_error(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message) {}

Suite parse_suite(const std::string& text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw SuiteError(source, e.source().begin.line, e.source().begin.column, std::string(e.description()));
  }
  Suite suite;
  suite.source_text = text;
  TableReader top(root, source, "the suite");
  suite.source = source;
  suite.name = top.string("name", "");
  if (!suite.name.empty() && !plain_file_name(suite.name)) {
    fail(source, *top.get("name"), "'name' names the results folder: only letters, digits, '.', '_' and '-', "
                                   "not starting with '.' (got '" + suite.name + "')");
  }
  suite.description = top.string("description", "");
  suite.duration = top.duration("duration", suite.duration);
  suite.warmup = top.duration("warmup", suite.warmup);
  suite.settle = top.duration("settle", suite.settle);
  suite.interval = top.duration("interval", suite.interval);
  if (suite.interval < std::chrono::milliseconds(10) || suite.interval > std::chrono::seconds(60)) {
    fail(source, *top.get("interval"), "'interval' (a timeseries.csv row) must be from 10ms to 60s");
  }
  suite.repetitions = static_cast<int>(top.integer("repetitions", 1, 1, 100));
  suite.max_error_rate = top.number("max_error_rate", suite.max_error_rate);
  suite.cost_requests = static_cast<uint64_t>(top.integer("cost_requests", 20000, 100, 10'000'000));
  suite.placement = top.string("placement", suite.placement);
  if (suite.placement != "shared" && suite.placement != "split") {
    fail(source, *top.get("placement"), "'placement' must be \"shared\" or \"split\"");
  }
  const toml::table empty;
  TableReader server_reader(table_at(top, "server", empty), source, "[server]");
  ServerSettings server = read_server(server_reader, {});
  server_reader.reject_unknown();
  TableReader load_reader(table_at(top, "load", empty), source, "[load]");
  LoadSettings load = read_load(load_reader, {});
  load_reader.reject_unknown();

  auto* cases_node = top.get("cases");
  top.reject_unknown();
  if (!cases_node || !cases_node->is_array_of_tables()) {
    throw SuiteError(source, 1, 1, "the suite needs at least one [[cases]] table");
  }
  struct TableCase {
    Case c;
    const toml::node* node;
    int repetitions;  // the table's own, else the suite's
  };
  std::vector<TableCase> base;  // each table's cases, before repetitions
  int index = 0;
  for (const auto& item : *cases_node->as_array()) {
    ++index;
    TableReader r(*item.as_table(), source, "[[cases]] #" + std::to_string(index));
    std::string group = r.string("name", "cases" + std::to_string(index));
    std::string variant = r.string("variant", "");
    const int repetitions = static_cast<int>(r.integer("repetitions", suite.repetitions, 1, 100));
    std::string measure = r.string("measure", "timed");
    const bool count_instructions = r.boolean("count_instructions", true);
    if (measure != "timed" && measure != "cost" && measure != "both") {
      fail(source, *r.get("measure"), "'measure' must be \"timed\", \"cost\" or \"both\"");
    }
    if (variant.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      fail(source, *r.get("variant"), "'variant' may hold only lower-case letters, digits and '_'");
    }
    auto models = r.strings("models", {});
    if (models.empty()) fail(source, item, "[[cases]] #" + std::to_string(index) + " needs 'models'");
    for (size_t i = 0; i < models.size(); ++i) {
      // A model names a binary and starts every case id, which names files: "a/b" or ".." must not
      // get that far (found by fuzz/suite_fuzz).
      if (models[i].empty() || models[i].find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
        auto at = position_of(r.get("models"), i);
        throw SuiteError(source, at.line, at.column,
                         "a model is a server's name: lower-case letters, digits and '_' (got '" + models[i] + "')");
      }
    }
    auto protocols = r.strings("protocols", {"echo"});
    for (size_t i = 0; i < protocols.size(); ++i) {
      try {
        proto::parse_protocol(protocols[i]);
      } catch (const std::invalid_argument& e) {
        auto at = position_of(r.get("protocols"), i);
        throw SuiteError(source, at.line, at.column, e.what());
      }
    }
    auto connections = r.list<int64_t>("connections", {1}, [&](const toml::node& n) {
      return r.integer_value(n, "connections", 1, 1000000);
    });
    auto rates = r.list<double>("rates", {0.0}, [&](const toml::node& n) {
      // Bounded (NaN and inf too): a case id holds the rate as an integer, and a cast from a double
      // out of range is undefined behaviour (found with fuzz/suite_fuzz).
      double rate = r.number_value(n, "rates");
      if (!(rate >= 0 && rate <= 1e9)) fail(source, n, "'rates' must be from 0 (closed loop) to 1e9 requests per second");
      return rate;
    });
    auto payloads = r.list<int64_t>("payloads", {16}, [&](const toml::node& n) {
      return r.integer_value(n, "payloads", 2, 64 * 1024 * 1024);
    });
    // Per-request costs need a unit, as the servers' --cpu-work and --io-delay do.
    auto to_micros = [&](const char* key) {
      return [&r, key](const toml::node& n) {
        return std::chrono::duration_cast<std::chrono::microseconds>(
            r.duration_value(n, key, core::BareNumber::kNeedsUnit));
      };
    };
    auto cpu = r.list<std::chrono::microseconds>("cpu_work", {std::chrono::microseconds(0)}, to_micros("cpu_work"));
    auto io = r.list<std::chrono::microseconds>("io_delay", {std::chrono::microseconds(0)}, to_micros("io_delay"));
    TableReader sr(table_at(r, "server", empty), source, "[cases.server]");
    ServerSettings case_server = read_server(sr, server);
    sr.reject_unknown();
    TableReader lr(table_at(r, "load", empty), source, "[cases.load]");
    LoadSettings case_load = read_load(lr, load);
    lr.reject_unknown();
    r.reject_unknown();

    for (size_t mi = 0; mi < models.size(); ++mi)
      for (size_t pi = 0; pi < protocols.size(); ++pi)
        for (auto conns : connections)
          for (auto rate : rates)
            for (auto payload : payloads)
              for (auto cpu_work : cpu)
                for (auto io_delay : io) {
                  Case c;
                  c.group = group;
                  c.model = models[mi];
                  c.model_at = position_of(r.get("models"), mi);
                  c.protocol_at = r.get("protocols") ? position_of(r.get("protocols"), pi)
                                                     : SourcePosition{item.source().begin.line,
                                                                      item.source().begin.column};
                  c.variant = variant;
                  c.measure = measure;
                  c.count_instructions = count_instructions;
                  c.protocol = protocols[pi];
                  c.connections = static_cast<int>(conns);
                  c.rate = rate;
                  c.payload = static_cast<int>(payload);
                  c.cpu_work = cpu_work;
                  c.io_delay = io_delay;
                  c.server = case_server;
                  if (c.server.workers_per_connection) c.server.workers = std::min(c.connections, 4096);
                  c.load = case_load;
                  c.load.threads = std::min(c.load.threads, c.connections);
                  base.push_back({std::move(c), &item, repetitions});
                }
  }
  // Repetitions go outermost: every case runs once before any runs twice, so a noisy minute on a
  // shared machine lands on all models alike instead of on one model's three runs.
  std::map<std::string, int> seen_ids;
  int most = 1;
  for (const auto& t : base) most = std::max(most, t.repetitions);
  for (int rep = 1; rep <= most; ++rep) {
    for (const auto& [base_case, node, repetitions] : base) {
      if (rep > repetitions) continue;
      Case c = base_case;
      c.repetition = rep;
      c.id = case_id(c, repetitions);
      if (seen_ids[c.id]++ > 0) {
        fail(source, *node, "case '" + c.id + "' appears twice (tables overlap)");
      }
      suite.cases.push_back(std::move(c));
    }
  }
  return suite;
}

Suite load_suite(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw SuiteError(path, 0, 0, "cannot read the suite file");
  }
  std::stringstream text;
  text << in.rdbuf();
  Suite suite = parse_suite(text.str(), path);
  if (suite.name.empty()) {
    auto slash = path.find_last_of('/');
    std::string stem = path.substr(slash == std::string::npos ? 0 : slash + 1);
    suite.name = stem.substr(0, stem.find('.'));
    if (!plain_file_name(suite.name)) {
      throw SuiteError(path, 1, 1, "the file's name ('" + suite.name + "') cannot name the results folder: set 'name'");
    }
  }
  return suite;
}

std::string case_key(const std::string& case_id) {
  auto pos = case_id.rfind("-rep");
  if (pos == std::string::npos || pos + 4 == case_id.size()) return case_id;
  for (size_t i = pos + 4; i < case_id.size(); ++i) {
    if (case_id[i] < '0' || case_id[i] > '9') return case_id;
  }
  return case_id.substr(0, pos);
}

void filter_cases(Suite& suite, const std::string& filter) {
  if (filter.empty()) return;
  std::vector<std::string> wanted;  // "a,b": cases that a or b matches
  for (size_t from = 0; from <= filter.size();) {
    size_t to = std::min(filter.find(',', from), filter.size());
    if (to > from) wanted.push_back(filter.substr(from, to - from));
    from = to + 1;
  }
  // Whole ids only: a substring match made epoll-echo-c1 pick c10, c100 and c1000 as well.
  auto matches = [](const std::string& pattern, const Case& c) {
    return ::fnmatch(pattern.c_str(), c.id.c_str(), 0) == 0 || ::fnmatch(pattern.c_str(), case_key(c.id).c_str(), 0) == 0;
  };
  for (const auto& w : wanted) {
    if (std::none_of(suite.cases.begin(), suite.cases.end(), [&](const Case& c) { return matches(w, c); })) {
      throw std::runtime_error("--filter '" + w + "' matches no case id (whole ids or globs: 'epoll-echo-c1', "
                               "'epoll-*', '*-c100'; --list shows the ids)");
    }
  }
  std::erase_if(suite.cases, [&](const Case& c) {
    return std::none_of(wanted.begin(), wanted.end(), [&](const auto& w) { return matches(w, c); });
  });
}

}  // namespace netlab::run
