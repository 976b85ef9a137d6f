#pragma once

// Text helpers shared by `edgarix query` and `edgarix stats`: aligned columns,
// counts, wrapped and highlighted snippets, and the caret line under a
// malformed query. All pure functions of their arguments except
// TerminalWidth() and CheckDbPaths().

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgarix/index/searcher.h"

namespace edgarix::cli {

// "1234567" -> "1,234,567".
std::string FormatCount(uint64_t n);

// Replaces ASCII control bytes (including ESC, CR, LF, TAB) and DEL with
// spaces, byte for byte, so text from filings cannot drive the terminal and
// byte offsets into it stay valid.
std::string Sanitize(std::string_view s);

// Display width of `s` in columns: UTF-8 code points.
size_t DisplayWidth(std::string_view s);

// `s` sanitized and cut or padded with spaces to exactly `width` columns;
// a cut text ends with "..." (or starts with it when `keep_end`).
std::string Fit(std::string_view s, size_t width, bool keep_end = false);

// `s` right-aligned in `width` columns (never cut).
std::string PadLeft(std::string_view s, size_t width);

// Word-wraps a snippet to `width` columns, each line indented by `indent`
// spaces, ending with a newline. With `color`, the highlighted byte ranges
// are shown in bold yellow (ANSI); without it the text is plain.
std::string WrapSnippet(std::string_view text, const std::vector<index::Highlight>& highlights,
                        int width, int indent, bool color);

// A small two-column table: a title line, then "  value   count" rows with
// the counts aligned.
std::string CountTable(std::string_view title,
                       const std::vector<std::pair<std::string, uint64_t>>& rows);

// Two lines for stderr: `query` (a window of it around `pos` when long), then
// a caret under byte offset `pos`; both indented by `indent` spaces.
std::string CaretLines(std::string_view query, size_t pos, int indent);

// Columns of the terminal on stdout (or $COLUMNS), clamped to 60..200;
// 100 when unknown.
int TerminalWidth();

// Returns 0 when every path is an existing directory; otherwise prints
// "edgarix <command>: no index at ..." on stderr and returns 1.
int CheckDbPaths(std::string_view command, const std::vector<std::string>& dbs);

}  // namespace edgarix::cli
