#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace edgarix::index {

// The parsed form of a query (DESIGN.md §3.2). Text terms are normalised
// with edgarix::Tokenize (lower-cased; a word such as "8-K" in a bare term
// becomes a phrase of its tokens).
struct QueryNode {
  enum class Kind {
    kTerm,    // `text`: one normalised token
    kPrefix,  // `text`: normalised prefix (from `divid*`)
    kPhrase,  // `terms`: normalised tokens in order; a trailing `*` on the
              // last word sets `last_is_prefix`
    kNear,    // children[0] NEAR/`distance` children[1]; either order
    kAnd,     // all children
    kOr,      // any child
    kNot,     // children[0] must not match (only meaningful inside kAnd;
              // a query that is only negative matches all filings minus it)
    kField,   // `field`:`value`; for "in" and "doc" the scope applies to
              // children (the text terms of the enclosing AND, see below)
  };
  Kind kind = Kind::kTerm;
  std::string text;
  std::vector<std::string> terms;
  bool last_is_prefix = false;
  int distance = 0;
  // Lower-case field name: form, rootform, cik, company, event, item, filed,
  // year, sic, state, in, doc. `value` is as written (quotes removed);
  // `filed` values look like "2004-01-01..2004-12-31" (either end optional).
  std::string field;
  std::string value;
  std::vector<std::unique_ptr<QueryNode>> children;
  size_t position = 0;  // byte offset of this node in the query string
};

// Parses `query`. Precedence, loosest first: OR, then AND (implicit between
// adjacent clauses), then NOT / `-` prefix, then NEAR/n (binds two adjacent
// clauses), then atoms: term, prefix*, "phrase", field:value,
// field:"quoted value", ( ... ). OR, AND, NOT and NEAR/n are operators only
// in upper case; lower-case "or" is a term. `in:` and `doc:` are scopes: in
// an AND group containing them, every text clause of that group must match
// inside the scoped section / document type.
// Errors: InvalidArgument "at position N: <reason>" for unbalanced
// parentheses or quotes, an unknown field, a dangling operator, an empty
// query, nesting deeper than 256, or a query longer than 1 MiB.
absl::StatusOr<std::unique_ptr<QueryNode>> ParseQuery(std::string_view query);

// Renders a node back to a canonical query string (for tests and --explain).
std::string ToString(const QueryNode& node);

}  // namespace edgarix::index
