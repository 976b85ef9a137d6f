#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "edgarix/core/filing.h"

namespace edgarix::parse {

// Which item vocabulary a document is split with.
enum class SectionScheme {
  kNone,
  k8K,            // 8-K items: "1.01".."9.01"
  k8KOld,         // 8-K items before 2004-08-23: "1".."12"
  k10K,           // 10-K items "1", "1A", ..., "16" (also 10-K405, 10-KSB, 10-KT)
  k10Q,           // 10-Q items keyed by part: "I-1".."I-4", "II-1".."II-6"
  kRegistration,  // S-1/S-3/S-4/S-8/F-*: Part II items, "II-8", "II-9"
};

// Chooses the scheme from the root form and filing date (ISO, may be empty:
// then both 8-K vocabularies are tried and the one with more headings wins).
SectionScheme SchemeFor(std::string_view root_form, std::string_view filed);

// Splits plain text into sections with RE2 (one RE2::Set pass to find
// candidate headings). Headings inside a table of contents and
// cross-references in running text ("see Item 1A") do not start sections.
// Combined 8-K headings ("Items 2.02 and 9.01") yield one section per item
// sharing the range.
//
// Immutable after Create(); safe for concurrent use.
class SectionSplitter {
 public:
  static absl::StatusOr<std::unique_ptr<SectionSplitter>> Create();
  ~SectionSplitter();

  // Sections of `text` in document order, with `document` set to
  // `document_sequence` and byte ranges into `text`. For k8K/k8KOld with an
  // empty filing date, `scheme` may be either; the splitter decides. Empty
  // when no heading matches.
  std::vector<Section> Split(std::string_view text, SectionScheme scheme,
                             int document_sequence) const;

 private:
  struct Rep;
  explicit SectionSplitter(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// 8-K item vocabulary.
// True when an 8-K filed on `filed` (ISO) uses the old numbering 1..12:
// before 2004-08-23.
bool UsesOldItemNumbering(std::string_view filed);
// Maps an item code to today's numbering: old "5" -> "8.01", "7" -> "9.01",
// "12" -> "2.02" (EDGAR.md §5); new codes map to themselves. Empty when unknown.
std::string EventForItem(std::string_view item);
// Maps an ITEM INFORMATION title from a spaced-label header ("Results of
// Operations and Financial Condition") to its new code ("2.02"). Empty when
// the title is not recognised. Case- and whitespace-insensitive.
std::string ItemCodeForTitle(std::string_view title);
// Normalises a written item code: "2. 02" -> "2.02", "2.2" -> "2.02",
// "05" -> "5". Empty when it is not an 8-K item code.
std::string NormalizeItemCode(std::string_view code);

// What the cover page of a bare document says.
struct CoverPage {
  std::string form;            // "8-K", "S-8", "10-K", ... as on the cover
  std::string registrant;      // "Exact name of registrant as specified in its charter"
  std::string irs;             // "11-2928178"
  std::string state_of_inc;    // two-letter code, e.g. "DE" (from "Delaware")
  std::string file_number;     // commission file number
  std::string address;         // principal executive offices
  std::string business_state;  // two-letter state of that address
  std::string period;          // ISO date of report / period of report
  std::string filed;           // ISO "As filed with the SEC on ..." when present
};

// Reads the cover page from the first ~10 KB of a document's text. Fields
// not found are empty. Pure; thread-safe.
CoverPage ExtractCoverPage(std::string_view text);

// Two-letter USPS code for a US state or territory name ("Delaware" -> "DE",
// "new york" -> "NY"), or a two-letter code itself. Empty when unknown.
std::string StateCode(std::string_view name);

}  // namespace edgarix::parse
