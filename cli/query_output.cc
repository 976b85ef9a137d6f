#include "query_output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <system_error>

namespace edgarix::cli {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

constexpr std::string_view kHighlightOn = "\x1b[1;33m";
constexpr std::string_view kHighlightOff = "\x1b[0m";

}  // namespace

std::string FormatCount(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Sanitize(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return out;
}

size_t DisplayWidth(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsContinuation(c) ? 0 : 1;
  return n;
}

std::string Fit(std::string_view s, size_t width, bool keep_end) {
  std::string text = Sanitize(s);
  const size_t w = DisplayWidth(text);
  if (w <= width) return text + std::string(width - w, ' ');
  if (width <= 3) return std::string(width, '.');
  const size_t keep = width - 3;
  if (keep_end) {
    // The last `keep` code points.
    size_t i = text.size();
    size_t n = 0;
    while (i > 0 && n < keep) {
      --i;
      if (!IsContinuation(text[i])) ++n;
    }
    return "..." + text.substr(i);
  }
  size_t i = 0;
  size_t n = 0;
  while (i < text.size()) {
    if (!IsContinuation(text[i])) {
      if (n == keep) break;
      ++n;
    }
    ++i;
  }
  return text.substr(0, i) + "...";
}

std::string PadLeft(std::string_view s, size_t width) {
  const size_t w = DisplayWidth(s);
  return std::string(w < width ? width - w : 0, ' ') + Sanitize(s);
}

std::string WrapSnippet(std::string_view raw, const std::vector<index::Highlight>& highlights,
                        int width, int indent, bool color) {
  const std::string text = Sanitize(raw);
  // Highlight state per byte: starts and ends, clamped into the text.
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const index::Highlight& h : highlights) {
    const size_t b = std::min<size_t>(h.begin, text.size());
    const size_t e = std::min<size_t>(h.end, text.size());
    if (b < e) ranges.emplace_back(b, e);
  }
  std::sort(ranges.begin(), ranges.end());
  auto highlighted = [&](size_t i) {
    // Ranges are few (a snippet's matches); a linear scan is fine.
    for (const auto& [b, e] : ranges) {
      if (i >= b && i < e) return true;
    }
    return false;
  };
  const std::string pad(static_cast<size_t>(std::max(indent, 0)), ' ');
  const size_t limit = static_cast<size_t>(std::max(width, indent + 20));
  std::string out = pad;
  size_t col = pad.size();
  bool on = false;  // ANSI highlight currently on
  size_t i = 0;
  bool line_empty = true;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] != ' ') ++end;
    const size_t w = DisplayWidth(std::string_view(text).substr(i, end - i));
    if (!line_empty && col + 1 + w > limit) {
      if (on) out += kHighlightOff;
      out += "\n" + pad;
      col = pad.size();
      line_empty = true;
      if (on) out += kHighlightOn;
    }
    if (!line_empty) {
      // The space between two highlighted words of a phrase stays highlighted.
      const bool space_on = color && highlighted(i - 1) && highlighted(i);
      if (on && !space_on) {
        out += kHighlightOff;
        on = false;
      }
      out.push_back(' ');
      ++col;
    }
    for (size_t k = i; k < end; ++k) {
      if (!IsContinuation(text[k])) {
        // A word longer than a line (a rule of dashes, a URL) is cut.
        if (col >= limit) {
          if (on) out += kHighlightOff;
          out += "\n" + pad;
          col = pad.size();
          if (on) out += kHighlightOn;
        }
        ++col;
      }
      if (color) {
        const bool want = highlighted(k);
        if (want != on) {
          out += want ? kHighlightOn : kHighlightOff;
          on = want;
        }
      }
      out.push_back(text[k]);
    }
    line_empty = false;
    i = end;
  }
  if (on) out += kHighlightOff;
  out.push_back('\n');
  return out;
}

std::string CountTable(std::string_view title,
                       const std::vector<std::pair<std::string, uint64_t>>& rows) {
  size_t value_width = 5;
  size_t count_width = 5;
  for (const auto& [value, count] : rows) {
    value_width = std::max(value_width, std::min<size_t>(DisplayWidth(value), 40));
    count_width = std::max(count_width, FormatCount(count).size());
  }
  std::string out = std::string(title) + "\n";
  if (rows.empty()) return out + "  (none)\n";
  for (const auto& [value, count] : rows) {
    out += "  " + Fit(value.empty() ? "(none)" : value, value_width) + "  " +
           PadLeft(FormatCount(count), count_width) + "\n";
  }
  return out;
}

std::string CaretLines(std::string_view query, size_t pos, int indent) {
  pos = std::min(pos, query.size());
  constexpr size_t kContext = 60;
  size_t begin = pos > kContext ? pos - kContext : 0;
  size_t end = std::min(query.size(), pos + kContext);
  while (begin > 0 && begin < query.size() && IsContinuation(query[begin])) --begin;
  while (end < query.size() && IsContinuation(query[end])) ++end;
  const std::string prefix = begin > 0 ? "..." : "";
  const std::string suffix = end < query.size() ? "..." : "";
  const std::string pad(static_cast<size_t>(std::max(indent, 0)), ' ');
  std::string out = pad + prefix + Sanitize(query.substr(begin, end - begin)) + suffix + "\n";
  out += pad + std::string(prefix.size() + DisplayWidth(query.substr(begin, pos - begin)), ' ') +
         "^\n";
  return out;
}

int TerminalWidth() {
  int width = 0;
  winsize ws{};
  if (isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
    width = ws.ws_col;
  }
  if (width <= 0) {
    // getenv is only read here, before any thread starts.
    if (const char* cols = std::getenv("COLUMNS")) width = std::atoi(cols);  // NOLINT
  }
  if (width <= 0) return 100;
  return std::clamp(width, 60, 200);
}

int CheckDbPaths(std::string_view command, const std::vector<std::string>& dbs) {
  for (const std::string& db : dbs) {
    std::error_code ec;
    if (std::filesystem::is_directory(db, ec)) continue;
    const bool exists = std::filesystem::exists(db, ec);
    std::cerr << "edgarix " << command << ": no index at '" << db
              << "': " << (exists ? "not a directory" : "no such directory")
              << " (build one with: edgarix index --db " << db << " PATH...)\n";
    return 1;
  }
  return 0;
}

}  // namespace edgarix::cli
