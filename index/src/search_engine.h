#pragma once

// The query evaluator behind Searcher: evaluates a parsed QueryNode over one
// or more indexes. Separate from Searcher so tests can drive it with ASTs
// built by hand. Thread-safe: Search() and Stats() keep their state on the
// stack (each call has its own caches).

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "codec.h"
#include "edgarix/index/searcher.h"
#include "query_ast.h"

namespace edgarix::index {

class SearchEngine {
 public:
  // Opens every database read-only. NotFound if one is not an index.
  static absl::StatusOr<std::unique_ptr<SearchEngine>> Open(
      const std::vector<std::string>& db_paths);
  ~SearchEngine();
  SearchEngine(const SearchEngine&) = delete;
  SearchEngine& operator=(const SearchEngine&) = delete;

  // Evaluates `query`; see Searcher::Search. Evaluation errors (a prefix
  // matching too many terms, NEAR over a clause without positions) are
  // InvalidArgument "at position N: ...".
  absl::StatusOr<SearchResult> Search(const QueryNode& query, const SearchOptions& options,
                                      const std::function<void(const Hit&)>& on_hit) const;

  absl::StatusOr<IndexStats> Stats() const;

  // The most terms a prefix may expand to before the query is refused.
  static constexpr size_t kMaxPrefixTerms = 100000;

  struct Db;

 private:
  explicit SearchEngine(std::vector<std::unique_ptr<Db>> dbs);
  // Rank of each (database, doc id) in the order of filing keys over all
  // databases; UINT64_MAX for replaced ids. Built once, on first need.
  const std::vector<std::vector<uint64_t>>& KeyRanks() const;
  // Per database: live doc ids whose filing key a newer record in another
  // database holds (those copies are not searched). Built once.
  absl::StatusOr<const std::vector<Roaring>*> Shadowed() const;

  std::vector<std::unique_ptr<Db>> dbs_;
  mutable std::once_flag ranks_once_;
  mutable std::vector<std::vector<uint64_t>> ranks_;
  mutable std::once_flag shadowed_once_;
  mutable std::vector<Roaring> shadowed_;
  mutable absl::Status shadowed_status_;
};

}  // namespace edgarix::index
