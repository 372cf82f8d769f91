// The report's tables, as Markdown (summary.md, for terminals and CI logs) and HTML (report.html):
// per case collapsed over its repetitions (median and min..max spread) when a suite repeats cases,
// every summary.csv row, and the CPU-bound vs IO-bound comparison with the notes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tools/run/chart_maker.hpp"
#include "tools/run/notes_comparison.hpp"

namespace netlab::run {

using Row = std::map<std::string, std::string>;

// A column of `r`: as text ("" when absent) and as a number (0 when absent or not a number).
std::string field(const Row& r, const std::string& key);
double field_num(const Row& r, const std::string& key);


// One case over its repetitions; the spreads cover the ok repetitions only.
struct CaseSpread {
  std::string key;
  int repetitions = 0;
  int ok = 0;
  Spread tps, p50_us, p99_us, cpu_pct;
};

// Cases in order of first appearance in `rows`.
std::vector<CaseSpread> by_case(const std::vector<Row>& rows);
// Whether any case was run more than once (the collapsed table is worth showing).
bool has_repetitions(const std::vector<Row>& rows);

// `interrupted`: the cases cut short by an interrupt, left out of `rows`, named under the tables.
void write_markdown(const std::string& path, const std::vector<Row>& rows, const std::vector<std::string>& problems,
                    const std::vector<NotesRow>& notes, const std::vector<std::string>& interrupted = {});
// "Interrupted, left out of the tables and charts (their rows stay in summary.csv): a, b"
std::string interrupted_note(const std::vector<std::string>& interrupted);
// The tables of report.html: by case (when repeated), the notes comparison, every row.
std::string html_tables(const std::vector<Row>& rows, const std::vector<NotesRow>& notes);

}  // namespace netlab::run
