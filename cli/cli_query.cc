// `edgarix query --db DIR [--db DIR...] [--limit N] [--offset N]
//   [--format table|jsonl|csv|accessions] [--sort score|date]
//   [--facets form,year,...] [--snippets N] [--snippet-words N]
//   [--group-by filing|document] QUERY...`
//
// Runs a full-text query (docs/QUERY.md) over one or more indexes and streams
// the hits to stdout. The QUERY words are joined by spaces, so both
// `edgarix query --db idx dividend -cash` and `... 'dividend -cash'` work.
// Exit 0 on success (even with no hits), 1 when an index cannot be opened or
// the search fails, 2 for a malformed query or bad flags.

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "commands.h"
#include "edgarix/index/searcher.h"
#include "nlohmann/json.hpp"
#include "query_output.h"

namespace edgarix::cli {
namespace {

using Json = nlohmann::ordered_json;

struct QueryFlags {
  std::vector<std::string> dbs;
  int64_t limit = 10;
  int64_t offset = 0;
  std::string format = "table";
  std::string sort = "score";
  std::vector<std::string> facets;
  int snippets = 1;
  int snippet_words = 12;
  std::string group_by = "filing";
};

// ---- Output formats ----------------------------------------------------------

class HitWriter {
 public:
  virtual ~HitWriter() = default;
  virtual void Hit(const index::Hit& hit) = 0;
  // Called once after the last hit of a successful search.
  virtual void End(const index::SearchResult& result, uint64_t shown) = 0;
};

Json StrOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

double RoundScore(double score) { return std::round(score * 1e4) / 1e4; }

class JsonlWriter : public HitWriter {
 public:
  explicit JsonlWriter(bool facets) : facets_(facets) {}

  void Hit(const index::Hit& hit) override {
    Json j;
    j["source"] = hit.source;
    j["accession"] = StrOrNull(hit.accession);
    j["form"] = hit.form;
    j["filed"] = StrOrNull(hit.filed);
    j["cik"] = hit.cik;
    j["company"] = hit.company;
    j["events"] = hit.events;
    j["score"] = RoundScore(hit.score);
    j["document"] = hit.document;
    j["section"] = hit.section;
    j["snippet"] = hit.snippets.empty() ? Json(nullptr) : Json(hit.snippets[0].text);
    j["document_type"] = hit.document_type;
    Json snippets = Json::array();
    for (const index::Snippet& s : hit.snippets) {
      Json highlights = Json::array();
      for (const index::Highlight& h : s.highlights) {
        highlights.push_back(Json::array({h.begin, h.end}));
      }
      snippets.push_back(Json{{"text", s.text}, {"highlights", std::move(highlights)}});
    }
    j["snippets"] = std::move(snippets);
    WriteLine(j);
  }

  void End(const index::SearchResult& result, uint64_t /*shown*/) override {
    if (!facets_) return;
    Json facets = Json::object();
    for (const auto& [field, counts] : result.facets) {
      Json values = Json::object();
      for (const index::FacetCount& c : counts) values[c.value] = c.count;
      facets[field] = std::move(values);
    }
    Json j;
    j["facets"] = std::move(facets);
    j["total_hits"] = result.total_hits;
    WriteLine(j);
  }

 private:
  static void WriteLine(const Json& j) {
    // Filing text is not always valid UTF-8; replace bad bytes rather than
    // fail mid-stream.
    std::string line = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  bool facets_;
};

// RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled;
// records end with CRLF.
std::string CsvField(std::string_view s) {
  bool quote = false;
  for (char c : s) quote = quote || c == ',' || c == '"' || c == '\r' || c == '\n';
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

class CsvWriter : public HitWriter {
 public:
  void Hit(const index::Hit& hit) override {
    Header();
    std::string events;
    for (const std::string& e : hit.events) {
      if (!events.empty()) events.push_back(';');
      events += e;
    }
    char score[32];
    std::snprintf(score, sizeof(score), "%.4f", hit.score);
    Write({hit.source, hit.accession, hit.form, hit.filed, hit.cik, hit.company, events, score,
           std::to_string(hit.document), hit.document_type, hit.section,
           hit.snippets.empty() ? std::string() : hit.snippets[0].text});
  }
  // The header row comes even with no hits, but not before a failed search.
  void End(const index::SearchResult&, uint64_t) override { Header(); }

 private:
  void Header() {
    if (header_done_) return;
    header_done_ = true;
    Write({"source", "accession", "form", "filed", "cik", "company", "events", "score", "document",
           "document_type", "section", "snippet"});
  }

  static void Write(const std::vector<std::string>& fields) {
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) line.push_back(',');
      line += CsvField(fields[i]);
    }
    line += "\r\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }

  bool header_done_ = false;
};

class AccessionsWriter : public HitWriter {
 public:
  void Hit(const index::Hit& hit) override {
    std::string line = hit.accession.empty() ? hit.source : hit.accession;
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  void End(const index::SearchResult&, uint64_t) override {}
};

class TableWriter : public HitWriter {
 public:
  TableWriter(bool color, int width, size_t offset, bool capped)
      : color_(color), width_(width), offset_(offset), capped_(capped) {}

  void Hit(const index::Hit& hit) override {
    if (!header_done_) {
      header_done_ = true;
      std::string header = Row("ACCESSION", "FILED", "FORM", "COMPANY", "SCORE", "SECTION");
      if (color_) header = "\x1b[1m" + header + "\x1b[0m";
      Out(header + "\n");
    }
    char score[32];
    std::snprintf(score, sizeof(score), "%.2f", hit.score);
    std::string section = hit.section.empty() ? "-" : hit.section;
    if (!hit.document_type.empty() && hit.document_type != hit.form) {
      section += " [" + hit.document_type + "]";
    }
    const std::string id = hit.accession.empty() ? hit.source : hit.accession;
    Out(Row(id, hit.filed.empty() ? "-" : hit.filed, hit.form, hit.company, score, section) + "\n");
    for (const index::Snippet& s : hit.snippets) {
      Out(WrapSnippet(s.text, s.highlights, width_, 4, color_));
    }
    Out("\n");
  }

  void End(const index::SearchResult& result, uint64_t shown) override {
    std::string footer =
        FormatCount(result.total_hits) + (result.total_hits == 1 ? " hit" : " hits");
    if (capped_ && shown < result.total_hits) {
      footer += shown == 0 ? " (none shown; lower --offset)"
                           : " (showing " + FormatCount(offset_ + 1) + "-" +
                                 FormatCount(offset_ + shown) + "; --limit 0 for all)";
    }
    Out(footer + "\n");
    for (const auto& [field, counts] : result.facets) {
      std::vector<std::pair<std::string, uint64_t>> rows;
      for (const index::FacetCount& c : counts) rows.emplace_back(c.value, c.count);
      Out("\n" + CountTable("by " + field, rows));
    }
  }

 private:
  static std::string Row(std::string_view id, std::string_view filed, std::string_view form,
                         std::string_view company, std::string_view score,
                         std::string_view section) {
    std::string row = Fit(id, 20, /*keep_end=*/true) + "  " + Fit(filed, 10) + "  " +
                      Fit(form, 10) + "  " + Fit(company, 34) + "  " + PadLeft(score, 7) + "  " +
                      Sanitize(section);
    while (!row.empty() && row.back() == ' ') row.pop_back();
    return row;
  }

  static void Out(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

  bool color_;
  int width_;
  size_t offset_;
  bool capped_;
  bool header_done_ = false;
};

// ---- Running -----------------------------------------------------------------

// Prints a malformed-query message with the query echoed and a caret under
// the byte offset the message names ("at position N: ...").
void ReportQueryError(const std::string& query, const absl::Status& status) {
  const std::string msg(status.message());
  std::cerr << "edgarix query: malformed query: " << msg << "\n";
  constexpr std::string_view kPrefix = "at position ";
  if (msg.compare(0, kPrefix.size(), kPrefix) != 0) return;
  size_t pos = 0;
  size_t i = kPrefix.size();
  bool digits = false;
  while (i < msg.size() && msg[i] >= '0' && msg[i] <= '9') {
    pos = pos * 10 + static_cast<size_t>(msg[i] - '0');
    if (pos > query.size()) break;
    digits = true;
    ++i;
  }
  if (!digits || pos > query.size()) return;
  std::cerr << CaretLines(query, pos, 2);
}

int RunQuery(const QueryFlags& flags, const std::vector<std::string>& words) {
  std::string query;
  for (const std::string& w : words) {
    if (!query.empty()) query.push_back(' ');
    query += w;
  }
  for (const std::string& w : words) {
    // A mistyped flag lands here (extras are allowed for `-word`); `--x` is
    // no useful query, so say so rather than search for it.
    if (w.size() > 2 && w[0] == '-' && w[1] == '-' &&
        ((w[2] >= 'a' && w[2] <= 'z') || (w[2] >= 'A' && w[2] <= 'Z'))) {
      std::cerr << "edgarix query: unknown option " << w.substr(0, w.find_first_of(" =")) << "\n";
      return 2;
    }
  }
  if (query.empty()) {
    std::cerr << "edgarix query: no QUERY given (see docs/QUERY.md for the syntax)\n";
    return 2;
  }
  if (int rc = CheckDbPaths("query", flags.dbs); rc != 0) return rc;
  auto searcher = index::Searcher::Open(flags.dbs);
  if (!searcher.ok()) {
    std::cerr << "edgarix query: cannot open the index: " << searcher.status().message() << "\n";
    return 1;
  }

  index::SearchOptions options;
  options.limit = static_cast<size_t>(flags.limit);
  options.offset = static_cast<size_t>(flags.offset);
  options.sort = flags.sort == "date" ? index::SortOrder::kDate : index::SortOrder::kScore;
  options.group_by =
      flags.group_by == "document" ? index::GroupBy::kDocument : index::GroupBy::kFiling;
  options.facets = flags.facets;
  options.snippets = flags.format == "accessions" ? 0 : flags.snippets;
  options.snippet_words = flags.snippet_words;

  std::unique_ptr<HitWriter> writer;
  if (flags.format == "jsonl") {
    writer = std::make_unique<JsonlWriter>(!flags.facets.empty());
  } else if (flags.format == "csv") {
    writer = std::make_unique<CsvWriter>();
  } else if (flags.format == "accessions") {
    writer = std::make_unique<AccessionsWriter>();
  } else {
    const bool tty = isatty(STDOUT_FILENO) == 1;
    writer =
        std::make_unique<TableWriter>(tty, TerminalWidth(), options.offset, options.limit != 0);
  }

  uint64_t shown = 0;
  auto result = (*searcher)->Search(query, options, [&](const index::Hit& hit) {
    writer->Hit(hit);
    ++shown;
  });
  if (!result.ok()) {
    std::fflush(stdout);
    if (result.status().code() == absl::StatusCode::kInvalidArgument) {
      ReportQueryError(query, result.status());
      return 2;
    }
    std::cerr << "edgarix query: search failed: " << result.status().message() << "\n";
    return 1;
  }
  writer->End(*result, shown);
  if (std::fflush(stdout) != 0) {
    std::cerr << "edgarix query: cannot write the results\n";
    return 1;
  }
  return 0;
}

}  // namespace

Runner AddQueryCommand(CLI::App& app) {
  auto flags = std::make_shared<QueryFlags>();
  CLI::App* sub =
      app.add_subcommand("query",
                         "Search indexed filings (syntax: docs/QUERY.md), e.g. "
                         "edgarix query --db idx '\"going concern\" form:10-K year:2009'");
  sub->add_option("--db", flags->dbs, "Index directory; repeat to search several as one")
      ->required()
      ->allow_extra_args(false);
  sub->add_option("--limit", flags->limit, "Hits to print after --offset; 0 prints all")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--offset", flags->offset, "Hits to skip first")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--format", flags->format, "table, jsonl, csv or accessions")
      ->check(CLI::IsMember({"table", "jsonl", "csv", "accessions"}))
      ->capture_default_str();
  sub->add_option("--sort", flags->sort, "score (BM25) or date (newest first)")
      ->check(CLI::IsMember({"score", "date"}))
      ->capture_default_str();
  sub->add_option("--facets", flags->facets,
                  "Count matching filings per value of these fields: form, rootform, year, "
                  "event, item, cik, sic, state, doc (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember(
          {"form", "rootform", "year", "event", "item", "cik", "sic", "state", "doc"}));
  sub->add_option("--snippets", flags->snippets, "Snippets per hit; 0 for none")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  sub->add_option("--snippet-words", flags->snippet_words,
                  "Words of context either side of a match")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  sub->add_option("--group-by", flags->group_by,
                  "filing (one hit per filing) or document (one per matching document)")
      ->check(CLI::IsMember({"filing", "document"}))
      ->capture_default_str();
  // The QUERY words are taken from the unparsed arguments, in order, so that
  // words such as `-cash` (a negation) are not mistaken for options.
  sub->allow_extras();
  // Only --help: `-h...` is a negated query word such as -hybrid.
  sub->set_help_flag("--help", "Print this help message and exit");
  sub->footer(
      "QUERY...: the query; several words are joined by spaces. Quote it to keep "
      "the shell away from quotes and parentheses: 'company:\"innovo group\" "
      "event:8.01'.");
  return [flags, sub]() { return RunQuery(*flags, sub->remaining()); };
}

}  // namespace edgarix::cli
