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
    kField,   // `field`:`value`; "in" and "doc" scope the text clauses of
              // the enclosing AND (see ParseQuery); `children` stay empty
  };
  Kind kind = Kind::kTerm;
  std::string text;
  std::vector<std::string> terms;
  bool last_is_prefix = false;
  int distance = 0;
  // Lower-case field name: form, rootform, cik, company, event, item, filed,
  // year, sic, state, in, doc. `value` is as written (quotes and surrounding
  // spaces removed), except: form, rootform, doc, in and state are
  // upper-cased ("8-K", "EX-99*": a trailing `*` is kept and means prefix);
  // cik has its leading zeros removed ("803164"); `filed` is always a range
  // "2004-01-01..2004-12-31" with either end possibly empty (a single day
  // gives "D..D"; a year or month widens to its first/last day). Validated:
  // cik (digits), filed (real dates, from <= to), year (4 digits,
  // 1900..2199), sic (1-4 digits), state (2 letters/digits), event (D.DD),
  // item (D.DD or 1-2 digits).
  std::string field;
  std::string value;
  std::vector<std::unique_ptr<QueryNode>> children;
  size_t position = 0;  // byte offset of this node in the query string
};

// Parses `query`. Precedence, loosest first: OR, then AND (implicit between
// adjacent clauses), then NOT / `-` prefix, then NEAR/n (binds two adjacent
// clauses), then atoms: term, prefix*, "phrase", field:value,
// field:"quoted value", ( ... ). So `a OR b c` is `a OR (b AND c)`,
// `-a b` is `(NOT a) AND b`, `-a NEAR/5 b` is `NOT (a NEAR/5 b)` and
// `a NEAR b NEAR c` is `(a NEAR b) NEAR c`. OR, AND, NOT and NEAR/n are
// operators only in upper case; lower-case "or" is a term. Plain NEAR is
// NEAR/10; n is 1..1000. Each side of NEAR is a term, prefix, phrase, NEAR,
// or a parenthesised OR of those (anything else is an error). `-` negates
// only when it starts a word ("8-K" and "a - b" are not negations).
//
// Shape: AND and OR nodes have >= 2 children (one child stands for itself);
// adjacent clauses of one AND group are flat, but a parenthesised group stays
// a nested node, since it bounds the scope of `in:` and `doc:`. Those two are
// scopes: in an AND group containing them (as direct kField children), every
// text clause of that group must match inside the scoped section / document
// type; the parser does not move the text clauses under the kField (its
// `children` stay empty). A word or phrase with no tokens (punctuation only)
// is dropped, with any NOT applied to it.
//
// Errors: InvalidArgument "at position N: <reason>" (N a 0-based byte offset)
// for unbalanced parentheses or quotes, an unknown field, a missing or invalid
// field value, a dangling OR/AND/NOT/NEAR, NEAR/ without a number, an empty
// query or one with only punctuation, empty parentheses, nesting (parentheses,
// NOT and NEAR chains) deeper than 256, more than 65536 words and operators,
// or a query longer than 1 MiB. Pure function; safe from any thread.
absl::StatusOr<std::unique_ptr<QueryNode>> ParseQuery(std::string_view query);

// Renders a node back to a canonical query string (for tests and --explain).
std::string ToString(const QueryNode& node);

}  // namespace edgarix::index
