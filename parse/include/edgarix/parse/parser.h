#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "edgarix/core/filing.h"

namespace edgarix::parse {

struct ParseOptions {
  // Keep each document's extracted text in ParsedFiling (the index needs it;
  // `edgarix parse` without --with-text does not). Default: true.
  bool keep_text = true;
};

// Turns one RawFiling into a ParsedFiling: the SGML header (both dialects,
// IMS and PEM envelopes), the documents (uuencoded and PDF payloads marked
// binary), HTML turned into text, the cover page of bare documents, 8-K
// items and events, and sections.
//
// A Parser is immutable after Create() and safe for concurrent use by
// multiple threads without external synchronization.
class Parser {
 public:
  // Compiles the section patterns. Internal on a pattern that does not compile.
  static absl::StatusOr<std::unique_ptr<Parser>> Create(const ParseOptions& options);
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Parses `raw`. Returns InvalidArgument (message names the reason; the
  // caller adds the source) when the bytes are not a filing at all (empty,
  // binary). Input that is a filing but damaged (truncated, missing closing
  // tags) parses with warnings instead. Input that is not a filing but is a
  // readable document (an XML information table, say) parses with a warning.
  absl::StatusOr<ParsedFiling> Parse(const RawFiling& raw) const;

 private:
  struct Rep;
  explicit Parser(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace edgarix::parse
