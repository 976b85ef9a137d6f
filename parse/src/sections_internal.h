#pragma once

// White-box view of the section splitter for tests: the heading finder with a
// switch between the fast path (byte prefilter + one RE2::Set pass over
// candidate lines) and a naive reference path (every pattern tried with its
// own RE2 on every line). Both must find exactly the same headings.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "edgarix/core/filing.h"
#include "sections.h"

namespace edgarix::parse::internal {

// One heading line as found in the text.
struct Heading {
  enum class Kind : uint8_t { kItem, kPart, kSignature };
  Kind kind = Kind::kItem;
  // Item ids as written in the scheme's vocabulary before part keying:
  // "2.02", "5", "1A", "8". Several for a combined 8-K heading. For kPart,
  // one of "I", "II", "III", "IV".
  std::vector<std::string> ids;
  std::string title;
  uint32_t begin = 0;     // first byte of the heading
  uint32_t line_end = 0;  // end of the heading's (first) line
};

enum class FindMode { kFast, kNaive };

class HeadingFinder {
 public:
  static absl::StatusOr<std::unique_ptr<HeadingFinder>> Create();
  ~HeadingFinder();
  HeadingFinder(const HeadingFinder&) = delete;
  HeadingFinder& operator=(const HeadingFinder&) = delete;

  // Headings of `text` for `scheme` (k8K and k8KOld use only their own
  // vocabulary here), in document order, before table-of-contents removal.
  std::vector<Heading> Find(std::string_view text, SectionScheme scheme, FindMode mode) const;

  // The whole split with the given finder mode (Split uses kFast).
  std::vector<Section> Split(std::string_view text, SectionScheme scheme, int document_sequence,
                             FindMode mode) const;

  struct Patterns;  // compiled RE2s (defined in sections.cc)

 private:
  explicit HeadingFinder(std::unique_ptr<Patterns> patterns);
  std::vector<Section> SplitOne(std::string_view text, SectionScheme scheme, int document_sequence,
                                FindMode mode) const;
  std::unique_ptr<Patterns> patterns_;
};

// Longest run of headings kept per document (hostile input cannot make the
// splitter's work or output unbounded).
inline constexpr size_t kMaxHeadings = 20000;

}  // namespace edgarix::parse::internal
