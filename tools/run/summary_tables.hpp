// The report's tables, as Markdown (summary.md, for terminals and CI logs) and HTML (report.html):
// the summary (one row per case, sorted, rounded, units in the headers), the per-request costs, the
// CPU-bound vs IO-bound comparison with the notes, and every summary.csv row.
#pragma once

#include <string>
#include <vector>

#include "tools/run/case_summary.hpp"
#include "tools/run/notes_comparison.hpp"

namespace netlab::run {

// `interrupted`: the cases cut short by an interrupt, left out of `rows`, named under the tables.
void write_markdown(const std::string& path, const std::vector<Row>& rows, const std::vector<std::string>& problems,
                    const std::vector<NotesRow>& notes, const std::vector<std::string>& interrupted = {});
// "Interrupted, left out of the tables and charts (their rows stay in summary.csv): a, b"
std::string interrupted_note(const std::vector<std::string>& interrupted);
// The summary table of report.html, with its heading: what a reader sees first.
std::string html_summary(const std::vector<Row>& rows);
// The tables under the charts: per-request costs, the notes comparison, every run.
std::string html_details(const std::vector<Row>& rows, const std::vector<NotesRow>& notes);

}  // namespace netlab::run
