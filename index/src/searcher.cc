#include "edgarix/index/searcher.h"

#include "edgarix/core/status_macros.h"
#include "query_ast.h"
#include "search_engine.h"

namespace edgarix::index {

struct Searcher::Rep {
  std::unique_ptr<SearchEngine> engine;
};

Searcher::Searcher(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Searcher::~Searcher() = default;

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(
    const std::vector<std::string>& db_paths) {
  auto rep = std::make_unique<Rep>();
  EDGARIX_ASSIGN_OR_RETURN(rep->engine, SearchEngine::Open(db_paths));
  return std::unique_ptr<Searcher>(new Searcher(std::move(rep)));
}

absl::StatusOr<SearchResult> Searcher::Search(
    std::string_view query, const SearchOptions& options,
    const std::function<void(const Hit&)>& on_hit) const {
  EDGARIX_ASSIGN_OR_RETURN(std::unique_ptr<QueryNode> ast, ParseQuery(query));
  if (ast == nullptr) return absl::InvalidArgumentError("at position 0: empty query");
  return rep_->engine->Search(*ast, options, on_hit);
}

absl::StatusOr<IndexStats> Searcher::Stats() const { return rep_->engine->Stats(); }

}  // namespace edgarix::index
