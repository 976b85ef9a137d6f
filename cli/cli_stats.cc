// `edgarix stats --db DIR [--db DIR...] [--format table|json] [--top N]`:
// what an index holds: filings by form, year and 8-K event, parties, terms,
// postings, size on disk, and the filings that failed to parse while
// indexing. Exit 0, or 1 when an index cannot be opened or read.
//
// `edgarix stats --db DIR... --digest [--digest-terms]`: instead, a content
// digest independent of doc ids, batches and replaced copies
// (edgarix/index/digest.h), as one JSON line:
//   {"db":[...],"filings":N,"terms":T,"postings":P,"facet_values":F,
//    "documents":D,"records":"<hex>","text":"<hex>","postings_checksum":"<hex>",
//    "facets":"<hex>","digest":"<hex>"}
// With --digest-terms, first one line per term, `term<TAB>checksum` (bytes
// < 0x20, 0x7f and '\\' as \xNN; company-name terms start with \x01), then one per
// facet value, `@field=value<TAB>checksum`, all sorted; the JSON line last.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "edgarix/index/digest.h"
#include "edgarix/index/searcher.h"
#include "nlohmann/json.hpp"
#include "progress.h"
#include "query_output.h"

namespace edgarix::cli {
namespace {

using Json = nlohmann::ordered_json;

struct StatsFlags {
  std::vector<std::string> dbs;
  std::string format = "table";
  int top = 15;
  bool digest = false;
  bool digest_terms = false;
};

std::string EscapeBytes(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

int RunDigest(const StatsFlags& flags) {
  index::DigestOptions options;
  std::string lines;
  bool write_failed = false;
  auto flush = [&](bool force) {
    if (lines.size() < (1 << 16) && !force) return;
    if (std::fwrite(lines.data(), 1, lines.size(), stdout) != lines.size()) write_failed = true;
    lines.clear();
  };
  if (flags.digest_terms) {
    options.on_term = [&](std::string_view term, uint64_t checksum) {
      lines += EscapeBytes(term) + "\t" + index::IndexDigest::Hex(checksum) + "\n";
      flush(false);
    };
    options.on_facet = [&](std::string_view field, std::string_view value, uint64_t checksum) {
      lines += "@" + EscapeBytes(field) + "=" + EscapeBytes(value) + "\t" +
               index::IndexDigest::Hex(checksum) + "\n";
      flush(false);
    };
  }
  auto digest = index::ComputeDigest(flags.dbs, options);
  if (!digest.ok()) {
    std::cerr << "edgarix stats: cannot digest the index: " << digest.status().message() << "\n";
    return 1;
  }
  flush(true);
  const index::IndexDigest& d = *digest;
  Json j;
  j["db"] = flags.dbs;
  j["filings"] = d.filings;
  j["terms"] = d.terms;
  j["postings"] = d.postings;
  j["facet_values"] = d.facet_values;
  j["documents"] = d.documents;
  j["records"] = index::IndexDigest::Hex(d.records_checksum);
  j["text"] = index::IndexDigest::Hex(d.text_checksum);
  j["postings_checksum"] = index::IndexDigest::Hex(d.postings_checksum);
  j["facets"] = index::IndexDigest::Hex(d.facets_checksum);
  j["digest"] = index::IndexDigest::Hex(d.digest);
  lines = j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  flush(true);
  if (write_failed || std::fflush(stdout) != 0) {
    std::cerr << "edgarix stats: cannot write the digest\n";
    return 1;
  }
  return 0;
}

Json CountsJson(const std::vector<index::FacetCount>& counts) {
  Json j = Json::object();
  for (const index::FacetCount& c : counts) j[c.value] = c.count;
  return j;
}

std::string StatsJson(const std::vector<std::string>& dbs, const index::IndexStats& s) {
  Json j;
  j["db"] = dbs;
  j["filings"] = s.filings;
  j["parties"] = s.parties;
  j["terms"] = s.terms;
  j["postings"] = s.postings;
  j["bytes_on_disk"] = s.bytes_on_disk;
  j["failures"] = s.failures;
  j["by_form"] = CountsJson(s.by_form);
  j["by_year"] = CountsJson(s.by_year);
  j["by_event"] = CountsJson(s.by_event);
  Json failures = Json::array();
  for (const auto& [source, reason] : s.recent_failures) {
    failures.push_back(Json{{"source", source}, {"reason", reason}});
  }
  j["recent_failures"] = std::move(failures);
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// Up to three count lists printed side by side.
std::string SideBySide(
    const std::vector<std::pair<std::string, const std::vector<index::FacetCount>*>>& lists,
    size_t top) {
  std::vector<std::vector<std::string>> columns;
  size_t rows = 0;
  for (const auto& [title, counts] : lists) {
    std::vector<std::pair<std::string, uint64_t>> shown;
    for (size_t i = 0; i < counts->size() && i < top; ++i) {
      shown.emplace_back((*counts)[i].value, (*counts)[i].count);
    }
    std::string heading = title;
    if (counts->size() > top) {
      heading += " (top " + std::to_string(top) + " of " + FormatCount(counts->size()) + ")";
    }
    std::vector<std::string> lines;
    const std::string table = CountTable(heading, shown);
    size_t start = 0;
    while (start < table.size()) {
      const size_t nl = table.find('\n', start);
      lines.push_back(table.substr(start, nl - start));
      start = nl + 1;
    }
    rows = std::max(rows, lines.size());
    columns.push_back(std::move(lines));
  }
  std::vector<size_t> widths;
  for (const auto& col : columns) {
    size_t w = 0;
    for (const std::string& line : col) w = std::max(w, DisplayWidth(line));
    widths.push_back(w);
  }
  std::string out;
  for (size_t r = 0; r < rows; ++r) {
    std::string line;
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string cell = r < columns[c].size() ? columns[c][r] : "";
      line += cell;
      if (c + 1 < columns.size()) line += std::string(widths[c] - DisplayWidth(cell) + 4, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string StatsTable(const std::vector<std::string>& dbs, const index::IndexStats& s,
                       size_t top) {
  std::string out = "Index: " + Sanitize(dbs[0]);
  for (size_t i = 1; i < dbs.size(); ++i) out += ", " + Sanitize(dbs[i]);
  out += "\n\n";
  const std::vector<std::pair<std::string, std::string>> figures = {
      {"filings", FormatCount(s.filings)},
      {"parties (distinct CIKs)", FormatCount(s.parties)},
      {"distinct terms", FormatCount(s.terms)},
      {"postings (term, filing)", FormatCount(s.postings)},
      {"size on disk", HumanBytes(s.bytes_on_disk)},
      {"parse failures", FormatCount(s.failures)},
  };
  size_t value_width = 0;
  for (const auto& f : figures) value_width = std::max(value_width, f.second.size());
  for (const auto& [name, value] : figures) {
    out += "  " + Fit(name, 24) + "  " + PadLeft(value, value_width) + "\n";
  }
  out += "\n";
  out += SideBySide(
      {{"Filings by form", &s.by_form}, {"by year", &s.by_year}, {"by 8-K event", &s.by_event}},
      top);
  if (!s.recent_failures.empty()) {
    out += "\nRecent parse failures";
    if (s.failures > s.recent_failures.size()) {
      out += " (" + FormatCount(s.recent_failures.size()) + " of " + FormatCount(s.failures) + ")";
    }
    out += ":\n";
    for (const auto& [source, reason] : s.recent_failures) {
      out += "  " + Sanitize(source) + ": " + Sanitize(reason) + "\n";
    }
  }
  return out;
}

int RunStats(const StatsFlags& flags) {
  if (int rc = CheckDbPaths("stats", flags.dbs); rc != 0) return rc;
  if (flags.digest || flags.digest_terms) return RunDigest(flags);
  auto searcher = index::Searcher::Open(flags.dbs);
  if (!searcher.ok()) {
    std::cerr << "edgarix stats: cannot open the index: " << searcher.status().message() << "\n";
    return 1;
  }
  auto stats = (*searcher)->Stats();
  if (!stats.ok()) {
    std::cerr << "edgarix stats: cannot read the index: " << stats.status().message() << "\n";
    return 1;
  }
  const std::string text = flags.format == "json"
                               ? StatsJson(flags.dbs, *stats)
                               : StatsTable(flags.dbs, *stats, static_cast<size_t>(flags.top));
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::cerr << "edgarix stats: cannot write the summary\n";
    return 1;
  }
  return 0;
}

}  // namespace

Runner AddStatsCommand(CLI::App& app) {
  auto flags = std::make_shared<StatsFlags>();
  CLI::App* sub = app.add_subcommand("stats",
                                     "Summarise an index: filings by form, year and "
                                     "event, terms, postings, size, parse failures");
  sub->add_option("--db", flags->dbs, "Index directory; repeat to sum several")
      ->required()
      ->allow_extra_args(false);
  sub->add_option("--format", flags->format, "table (readable) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  sub->add_option("--top", flags->top, "Rows per list in the table")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  sub->add_flag("--digest", flags->digest,
                "Print a content digest (JSON) independent of doc ids and batches, "
                "for comparing two indexes");
  sub->add_flag("--digest-terms", flags->digest_terms,
                "With the digest, one line per term and facet value (`term<TAB>checksum`) "
                "for diffing");
  return [flags]() { return RunStats(*flags); };
}

}  // namespace edgarix::cli
