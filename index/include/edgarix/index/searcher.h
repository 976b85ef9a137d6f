#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace edgarix::index {

enum class SortOrder { kScore, kDate };
enum class GroupBy { kFiling, kDocument };

struct SearchOptions {
  // Hits to return after `offset`; 0 streams every hit. Default: 10.
  size_t limit = 10;
  size_t offset = 0;
  // kScore: BM25, ties broken by accession (then source). kDate: newest
  // filed first, ties by accession. Default: kScore.
  SortOrder sort = SortOrder::kScore;
  // kFiling: one hit per filing (its best document and section).
  // kDocument: one hit per matching document. Default: kFiling.
  GroupBy group_by = GroupBy::kFiling;
  // Facet fields to count over all matching filings: "form", "rootform",
  // "year", "event", "item", "cik", "sic", "state", "doc". Default: none.
  std::vector<std::string> facets;
  // Snippets per hit; 0 for none. Default: 1.
  int snippets = 1;
  // Words of context either side of a match in a snippet. Default: 12.
  int snippet_words = 12;
};

// One match of a query term inside a snippet: byte range [begin, end).
struct Highlight {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct Snippet {
  std::string text;
  std::vector<Highlight> highlights;
};

struct Hit {
  std::string source;     // where the filing was indexed from
  std::string accession;  // empty when the filing has none
  std::string form;
  std::string filed;      // ISO date, empty when unknown
  std::string cik;        // the first filer's (or first party's) CIK
  std::string company;    // that party's name
  std::vector<std::string> events;
  double score = 0;
  int document = 0;              // best document's sequence
  std::string document_type;     // e.g. "EX-99.1"
  std::string section;           // best section's id, empty if none
  std::vector<Snippet> snippets;
};

struct FacetCount {
  std::string value;
  uint64_t count = 0;
};

struct SearchResult {
  uint64_t total_hits = 0;  // all matching filings (or documents)
  std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;
};

struct IndexStats {
  uint64_t filings = 0;
  uint64_t parties = 0;     // distinct CIKs
  uint64_t terms = 0;       // distinct terms (estimate allowed, say so)
  uint64_t postings = 0;    // (term, filing) pairs
  uint64_t bytes_on_disk = 0;
  uint64_t failures = 0;
  std::vector<FacetCount> by_form;
  std::vector<FacetCount> by_year;
  std::vector<FacetCount> by_event;
  std::vector<std::pair<std::string, std::string>> recent_failures;  // source, reason
};

// Searches one or more indexes as one (global BM25 statistics). Opens the
// databases read-only, so it runs beside a writer.
//
// Safe for concurrent Search() calls from many threads.
class Searcher {
 public:
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(
      const std::vector<std::string>& db_paths);
  ~Searcher();

  // Runs `query` (DESIGN.md §3.2 syntax), calling `on_hit` for each hit in
  // order, `options.limit` at most (all when 0), streaming. A malformed query
  // returns InvalidArgument whose message starts "at position N:" (0-based
  // byte offset in `query`).
  absl::StatusOr<SearchResult> Search(
      std::string_view query, const SearchOptions& options,
      const std::function<void(const Hit&)>& on_hit) const;

  absl::StatusOr<IndexStats> Stats() const;

 private:
  struct Rep;
  explicit Searcher(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace edgarix::index
