#include "sections.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "sections_internal.h"

namespace edgarix::parse {
namespace internal {
namespace {

// Any whitespace including U+00A0 (no-break space) as UTF-8.
#define EDGARIX_WS "[\\s\\x{a0}]"

// Patterns of the RE2::Set, in this order. All are anchored at the start of
// a trimmed line and case-insensitive.
enum PatternIndex : int {
  kNew8K = 0,   // "Item 2.02", "ITEM 2. 02", "Items 2.02 and 9.01"
  kOld8K,       // "Item 5", "ITEM 12." (the code filters out "Item 5.02")
  kItemNumber,  // "Item 1A", "Item 7", "Item 15" (10-K, 10-Q, registration)
  kPart,        // "PART II", "Part I."
  kSignature,   // "SIGNATURES", "S I G N A T U R E"
  kPatternCount,
};

constexpr const char* kSetPatterns[kPatternCount] = {
    "items?" EDGARIX_WS "*[:.]?" EDGARIX_WS "*[1-9]" EDGARIX_WS "*\\." EDGARIX_WS "*\\d",
    "items?" EDGARIX_WS "*[:.]?" EDGARIX_WS "*\\d",
    "items?" EDGARIX_WS "*[:.]?" EDGARIX_WS "*\\d",
    "part" EDGARIX_WS "*(?:iv|i|[1-4])",
    "s" EDGARIX_WS "?i" EDGARIX_WS "?g" EDGARIX_WS "?n" EDGARIX_WS "?a" EDGARIX_WS "?t" EDGARIX_WS
    "?u" EDGARIX_WS "?r" EDGARIX_WS "?e" EDGARIX_WS
    "?s?"
    "[\\s\\x{a0}.:]*$",
};

// Extraction patterns (RE2::Consume from the start of the line).
constexpr const char kNew8KExtract[] = "(?i)items?" EDGARIX_WS "*[:.]?" EDGARIX_WS
                                       "*([1-9])" EDGARIX_WS "*\\." EDGARIX_WS "*(\\d{1,2})";
constexpr const char kNew8KMore[] =
    "(?i)" EDGARIX_WS "*(?:,|;|&|and|," EDGARIX_WS "*and)" EDGARIX_WS "*(?:items?" EDGARIX_WS
    "*)?([1-9])" EDGARIX_WS "*\\." EDGARIX_WS "*(\\d{1,2})";
constexpr const char kNumberExtract[] = "(?i)items?" EDGARIX_WS "*[:.]?" EDGARIX_WS "*(\\d{1,2})";
constexpr const char kNumberMore[] =
    "(?i)" EDGARIX_WS "*(?:,|;|&|and|," EDGARIX_WS "*and|through|-)" EDGARIX_WS
    "*(?:items?" EDGARIX_WS "*)?(\\d{1,2})";
// "Item 1. Business and Item 2. Properties": a second item after the title.
constexpr const char kAndItem[] = "(?i)^[^\\t\\n]{1,100}?" EDGARIX_WS "+and" EDGARIX_WS
                                  "+item" EDGARIX_WS "*(\\d{1,2})([a-c])?(?:[^a-z0-9]|$)";
constexpr const char kPartExtract[] = "(?i)part" EDGARIX_WS "*(iv|iii|ii|i|[1-4])";

inline char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}
inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Length of whitespace (ASCII or U+00A0) at s[i], 0 when none.
inline size_t SpaceAt(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  if (IsAsciiSpace(s[i]) || s[i] == '\n') return 1;
  if (static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    return 2;
  }
  return 0;
}

std::string_view TrimSpace(std::string_view s) {
  size_t b = 0;
  while (size_t k = SpaceAt(s, b)) b += k;
  size_t e = s.size();
  while (e > b) {
    if (IsAsciiSpace(s[e - 1]) || s[e - 1] == '\n') {
      --e;
    } else if (e - b >= 2 && static_cast<unsigned char>(s[e - 1]) == 0xA0 &&
               static_cast<unsigned char>(s[e - 2]) == 0xC2) {
      e -= 2;
    } else {
      break;
    }
  }
  return s.substr(b, e - b);
}

// True when the trimmed line could start any heading pattern: an exact
// necessary condition of kSetPatterns, checked before the RE2::Set.
inline bool MayStartHeading(std::string_view line) {
  if (line.size() < 4) return false;
  const char c0 = Lower(line[0]);
  if (c0 == 'i') return Lower(line[1]) == 't' && Lower(line[2]) == 'e' && Lower(line[3]) == 'm';
  if (c0 == 'p') return Lower(line[1]) == 'a' && Lower(line[2]) == 'r' && Lower(line[3]) == 't';
  if (c0 == 's') return Lower(line[1]) == 'i' || SpaceAt(line, 1) > 0;
  return false;
}

bool EqualsNoCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != lower[i]) return false;
  }
  return true;
}

// Collapses whitespace runs (incl. U+00A0) to one space and trims.
std::string Collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0; i < s.size();) {
    if (size_t k = SpaceAt(s, i)) {
      space = true;
      i += k;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

// Length of a separator at s[i] between an item code and its title:
// ". : - ) |" or an en/em dash (UTF-8).
size_t SeparatorAt(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  const char c = s[i];
  if (c == '.' || c == ':' || c == '-' || c == ')' || c == '|' || c == '*' || c == '_') return 1;
  if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0x93 ||
       static_cast<unsigned char>(s[i + 2]) == 0x94)) {
    return 3;
  }
  return 0;
}

// What may follow an item code on a heading line. Headings continue with a
// separator, the end of the line, a title in capitals, a quote or a page
// number; running text ("Item 7 of this report", "Item 1A, Risk Factors")
// continues with a lower-case word or a comma.
bool FollowsLikeHeading(std::string_view rest) {
  size_t i = 0;
  while (size_t k = SpaceAt(rest, i)) i += k;
  if (i >= rest.size()) return true;
  if (SeparatorAt(rest, i) > 0) return true;
  const char c = rest[i];
  if (c >= 'a' && c <= 'z') return false;
  if (c == ',' || c == ';') return false;
  return true;
}

// Cleans a title: separators before it, whitespace collapsed, a trailing
// period removed, cut to a sane length at a sentence or word boundary (a
// heading run into its paragraph on one line keeps only its first sentence).
std::string CleanTitle(std::string_view rest) {
  size_t i = 0;
  for (;;) {
    if (size_t k = SpaceAt(rest, i)) {
      i += k;
    } else if (size_t k2 = SeparatorAt(rest, i)) {
      i += k2;
    } else {
      break;
    }
  }
  std::string t = Collapse(rest.substr(i));
  constexpr size_t kMaxTitle = 200;
  if (t.size() > kMaxTitle) {
    size_t cut = std::string::npos;
    for (size_t p = 10; p + 1 < t.size() && p < kMaxTitle; ++p) {
      if (t[p] == '.' && t[p + 1] == ' ') {
        cut = p;
        break;
      }
    }
    if (cut == std::string::npos) {
      cut = t.rfind(' ', kMaxTitle);
      if (cut == std::string::npos || cut < 20) cut = kMaxTitle;
      // Never cut inside a UTF-8 sequence.
      while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    }
    t.resize(cut);
  }
  while (!t.empty() && (t.back() == '.' || t.back() == ':' || t.back() == ' ' || t.back() == ',' ||
                        t.back() == ';')) {
    t.pop_back();
  }
  return t;
}

// New-numbering 8-K codes in order (EDGAR.md section 5).
constexpr std::string_view kNewCodes[] = {
    "1.01", "1.02", "1.03", "1.04", "1.05", "2.01", "2.02", "2.03", "2.04", "2.05", "2.06", "3.01",
    "3.02", "3.03", "4.01", "4.02", "5.01", "5.02", "5.03", "5.04", "5.05", "5.06", "5.07", "5.08",
    "6.01", "6.02", "6.03", "6.04", "6.05", "6.06", "6.10", "7.01", "8.01", "9.01"};
constexpr int kNewCodeCount = static_cast<int>(std::size(kNewCodes));

int NewCodeRank(std::string_view code) {
  for (int i = 0; i < kNewCodeCount; ++i) {
    if (kNewCodes[i] == code) return i;
  }
  return -1;
}

constexpr std::string_view k10KItems[] = {"1",  "1A", "1B", "1C", "2",  "3",  "4",  "5",
                                          "6",  "7",  "7A", "8",  "9",  "9A", "9B", "9C",
                                          "10", "11", "12", "13", "14", "15", "16"};
constexpr int k10KCount = static_cast<int>(std::size(k10KItems));

int TenKRank(std::string_view id) {
  for (int i = 0; i < k10KCount; ++i) {
    if (k10KItems[i] == id) return i;
  }
  return -1;
}

constexpr std::string_view k10QPart1[] = {"1", "2", "3", "4"};
constexpr std::string_view k10QPart2[] = {"1", "1A", "2", "3", "4", "5", "6"};

int TenQRank(std::string_view part, std::string_view id) {
  if (part == "I") {
    for (int i = 0; i < 4; ++i) {
      if (k10QPart1[i] == id) return i;
    }
  } else if (part == "II") {
    for (int i = 0; i < 7; ++i) {
      if (k10QPart2[i] == id) return 4 + i;
    }
  }
  return -1;
}

bool ContainsNoCase(std::string_view hay, std::string_view needle_lower) {
  if (needle_lower.size() > hay.size()) return false;
  for (size_t i = 0; i + needle_lower.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle_lower.size() && Lower(hay[i + k]) == needle_lower[k]) ++k;
    if (k == needle_lower.size()) return true;
  }
  return false;
}

// The part a 10-Q item belongs to when a PART heading is missing: items only
// Part II has (1A, 5, 6) and Part II titles switch to Part II; "Item 1.
// Financial Statements" switches back to Part I.
std::string TenQPartOf(const std::string& part, std::string_view id, std::string_view title) {
  if (part == "I") {
    if (id == "1A" || id == "5" || id == "6") return "II";
    if ((id == "1" && ContainsNoCase(title, "legal proceedings")) ||
        (id == "2" && ContainsNoCase(title, "unregistered sales")) ||
        (id == "3" && ContainsNoCase(title, "defaults upon")) ||
        (id == "4" && (ContainsNoCase(title, "mine safety") ||
                       ContainsNoCase(title, "submission of matters")))) {
      return "II";
    }
  } else if (part == "II") {
    if ((id == "1" && ContainsNoCase(title, "financial statements")) ||
        (id == "2" && ContainsNoCase(title, "discussion and analysis")) ||
        (id == "3" && ContainsNoCase(title, "market risk")) ||
        (id == "4" && ContainsNoCase(title, "controls and procedures"))) {
      return "I";
    }
  }
  return part;
}

constexpr int kRegistrationMaxItem = 39;

// Bytes of a line that heading patterns look at.
constexpr size_t kMaxHeadingLine = 1024;

std::string TwoDigitMinor(int major, const std::string& minor) {
  int m = 0;
  for (char c : minor) m = m * 10 + (c - '0');
  std::string code = std::to_string(major);
  code.push_back('.');
  if (m < 10) code.push_back('0');
  code += std::to_string(m);
  return code;
}

// Number of the ranks a scheme's items can take.
int RankCount(SectionScheme scheme) {
  switch (scheme) {
    case SectionScheme::k8K:
      return kNewCodeCount;
    case SectionScheme::k8KOld:
      return 12;
    case SectionScheme::k10K:
      return k10KCount;
    case SectionScheme::k10Q:
      return 11;
    case SectionScheme::kRegistration:
      return 2 * (kRegistrationMaxItem + 1);
    case SectionScheme::kNone:
      break;
  }
  return 0;
}

}  // namespace

struct HeadingFinder::Patterns {
  RE2::Options options;
  std::unique_ptr<RE2::Set> set;
  std::vector<std::unique_ptr<RE2>> singles;  // kSetPatterns one by one (naive path)
  std::unique_ptr<RE2> new_extract, new_more, number_extract, number_more, and_item, part_extract;
};

namespace {

std::unique_ptr<RE2> Compile(const std::string& pattern, const RE2::Options& options,
                             absl::Status* status) {
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok() && status->ok()) {
    *status =
        absl::InternalError("section pattern does not compile: " + pattern + ": " + re->error());
  }
  return re;
}

}  // namespace

HeadingFinder::HeadingFinder(std::unique_ptr<Patterns> patterns) : patterns_(std::move(patterns)) {}
HeadingFinder::~HeadingFinder() = default;

absl::StatusOr<std::unique_ptr<HeadingFinder>> HeadingFinder::Create() {
  auto p = std::make_unique<Patterns>();
  p->options.set_case_sensitive(false);
  p->options.set_log_errors(false);
  p->options.set_encoding(RE2::Options::EncodingUTF8);
  absl::Status status;
  p->set = std::make_unique<RE2::Set>(p->options, RE2::ANCHOR_START);
  for (int i = 0; i < kPatternCount; ++i) {
    std::string error;
    if (p->set->Add(kSetPatterns[i], &error) != i) {
      return absl::InternalError(std::string("section pattern does not compile: ") +
                                 kSetPatterns[i] + ": " + error);
    }
    p->singles.push_back(Compile(kSetPatterns[i], p->options, &status));
  }
  if (!p->set->Compile()) return absl::InternalError("section pattern set does not compile");
  RE2::Options cs = p->options;
  p->new_extract = Compile(kNew8KExtract, cs, &status);
  p->new_more = Compile(kNew8KMore, cs, &status);
  p->number_extract = Compile(kNumberExtract, cs, &status);
  p->number_more = Compile(kNumberMore, cs, &status);
  p->and_item = Compile(kAndItem, cs, &status);
  p->part_extract = Compile(kPartExtract, cs, &status);
  if (!status.ok()) return status;
  return std::unique_ptr<HeadingFinder>(new HeadingFinder(std::move(p)));
}

namespace {

// The next non-blank line after `pos` (at most `max_lines` lines on), trimmed.
std::string_view NextNonBlankLine(std::string_view text, size_t pos, int max_lines) {
  const size_t n = text.size();
  for (int k = 0; k < max_lines && pos < n; ++k) {
    const void* nl = std::memchr(text.data() + pos, '\n', n - pos);
    const size_t eol = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) : n;
    std::string_view line = TrimSpace(text.substr(pos, eol - pos));
    if (!line.empty()) return line;
    pos = eol + 1;
  }
  return {};
}

// Item ids and the rest of the line after them.
struct ItemCodes {
  std::vector<std::string> ids;
  std::string_view rest;
};

bool ParseNew8K(const HeadingFinder::Patterns& p, std::string_view line, ItemCodes* out) {
  re2::StringPiece in(line.data(), line.size());
  int major = 0;
  std::string minor;
  if (!RE2::Consume(&in, *p.new_extract, &major, &minor)) return false;
  if (!in.empty() && IsDigit(in[0])) return false;
  std::string code = TwoDigitMinor(major, minor);
  if (NewCodeRank(code) < 0) return false;
  out->ids.push_back(std::move(code));
  while (out->ids.size() < 40) {
    re2::StringPiece save = in;
    if (!RE2::Consume(&in, *p.new_more, &major, &minor) || (!in.empty() && IsDigit(in[0]))) {
      in = save;
      break;
    }
    code = TwoDigitMinor(major, minor);
    if (NewCodeRank(code) < 0) {
      in = save;
      break;
    }
    out->ids.push_back(std::move(code));
  }
  out->rest = std::string_view(in.data(), in.size());
  return true;
}

// After a plain number: true when it goes on as a decimal code ("5.02").
bool ContinuesAsDecimal(re2::StringPiece in) {
  std::string_view s(in.data(), in.size());
  size_t i = 0;
  while (size_t k = SpaceAt(s, i)) i += k;
  if (i >= s.size() || s[i] != '.') return false;
  ++i;
  while (size_t k = SpaceAt(s, i)) i += k;
  return i < s.size() && IsDigit(s[i]);
}

// Optional letter suffix of a 10-K/10-Q item ("1A", "9A(T)", "1 B.").
std::string TakeSuffix(re2::StringPiece* in) {
  std::string_view s(in->data(), in->size());
  size_t i = 0;
  if (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size()) return {};
  const char c = static_cast<char>(s[i] & ~0x20);
  if (c != 'A' && c != 'B' && c != 'C') return {};
  size_t j = i + 1;
  if (j < s.size() && (IsAlpha(s[j]) || IsDigit(s[j]))) return {};
  // 9A(T)
  if (s.substr(j, 3) == "(T)" || s.substr(j, 3) == "(t)") j += 3;
  in->remove_prefix(j);
  return std::string(1, c);
}

bool ParseNumbered(const HeadingFinder::Patterns& p, std::string_view line, bool allow_suffix,
                   int max_number, ItemCodes* out) {
  re2::StringPiece in(line.data(), line.size());
  int number = 0;
  if (!RE2::Consume(&in, *p.number_extract, &number)) return false;
  if (number < 1 || number > max_number) return false;
  if (!in.empty() && IsDigit(in[0])) return false;
  if (ContinuesAsDecimal(in)) return false;
  std::string id = std::to_string(number);
  if (allow_suffix) id += TakeSuffix(&in);
  out->ids.push_back(std::move(id));
  while (out->ids.size() < 40) {
    re2::StringPiece save = in;
    if (!RE2::Consume(&in, *p.number_more, &number) || number < 1 || number > max_number ||
        (!in.empty() && IsDigit(in[0])) || ContinuesAsDecimal(in)) {
      in = save;
      break;
    }
    id = std::to_string(number);
    if (allow_suffix) id += TakeSuffix(&in);
    out->ids.push_back(std::move(id));
  }
  out->rest = std::string_view(in.data(), in.size());
  if (allow_suffix && out->ids.size() == 1) {
    std::string suffix;
    if (RE2::PartialMatch(in, *p.and_item, &number, &suffix) && number >= 1 &&
        number <= max_number) {
      for (char& c : suffix) c = static_cast<char>(c & ~0x20);
      out->ids.push_back(std::to_string(number) + suffix);
    }
  }
  return true;
}

bool ParsePart(const HeadingFinder::Patterns& p, std::string_view line, std::string* part) {
  re2::StringPiece in(line.data(), line.size());
  std::string roman;
  if (!RE2::Consume(&in, *p.part_extract, &roman)) return false;
  if (!in.empty() && (IsAlpha(in[0]) || IsDigit(in[0]))) return false;
  for (char& c : roman) c = static_cast<char>(c & ~0x20);
  if (roman == "1") roman = "I";
  if (roman == "2") roman = "II";
  if (roman == "3") roman = "III";
  if (roman == "4") roman = "IV";
  if (!FollowsLikeHeading(std::string_view(in.data(), in.size()))) return false;
  // A part heading is a short line ("PART II - OTHER INFORMATION"), not a
  // paragraph that happens to start with "Part II, Item 1A ...".
  if (line.size() > 120) return false;
  *part = std::move(roman);
  return true;
}

}  // namespace

std::vector<Heading> HeadingFinder::Find(std::string_view text, SectionScheme scheme,
                                         FindMode mode) const {
  std::vector<Heading> out;
  if (scheme == SectionScheme::kNone || text.empty()) return out;
  const Patterns& p = *patterns_;
  const size_t n = text.size();
  std::vector<int> matched;
  std::string joined;
  size_t pos = 0;
  while (pos < n && out.size() < kMaxHeadings) {
    const void* nl = std::memchr(text.data() + pos, '\n', n - pos);
    const size_t eol = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) : n;
    const size_t line_start = pos;
    pos = eol + 1;
    std::string_view line = text.substr(line_start, eol - line_start);
    // Cheap reject before trimming: the first non-space byte.
    size_t s = 0;
    while (size_t k = SpaceAt(line, s)) s += k;
    if (s >= line.size()) continue;
    if (mode == FindMode::kFast) {
      const char c0 = Lower(line[s]);
      if (c0 != 'i' && c0 != 'p' && c0 != 's') continue;
    }
    line = TrimSpace(line);
    const uint32_t begin = static_cast<uint32_t>(line.data() - text.data());
    if (mode == FindMode::kFast && !MayStartHeading(line)) continue;
    // A heading and its title sit at the start of the line: a bounded
    // prefix keeps the work per line constant however long the line is.
    if (line.size() > kMaxHeadingLine) line = line.substr(0, kMaxHeadingLine);

    // "Item" alone on its line, the code on the next: match them as one.
    std::string_view match_text = line;
    size_t title_from = pos;  // where a title on a later line is looked for
    if (EqualsNoCase(line, "item") || EqualsNoCase(line, "items")) {
      std::string_view next = NextNonBlankLine(text, pos, 3);
      if (next.empty()) continue;
      joined.assign(line.data(), line.size());
      joined.push_back(' ');
      joined.append(next.data(), std::min<size_t>(next.size(), 300));
      match_text = joined;
      title_from = static_cast<size_t>(next.data() + next.size() - text.data());
    }

    matched.clear();
    if (mode == FindMode::kFast) {
      if (!p.set->Match(re2::StringPiece(match_text.data(), match_text.size()), &matched)) {
        continue;
      }
    } else {
      for (int i = 0; i < kPatternCount; ++i) {
        if (p.singles[i]->Match(re2::StringPiece(match_text.data(), match_text.size()), 0,
                                match_text.size(), RE2::ANCHOR_START, nullptr, 0)) {
          matched.push_back(i);
        }
      }
    }
    auto has = [&](int idx) {
      return std::find(matched.begin(), matched.end(), idx) != matched.end();
    };

    Heading h;
    h.begin = begin;
    h.line_end = static_cast<uint32_t>(eol);
    if (has(kSignature) && match_text.data() == line.data()) {
      h.kind = Heading::Kind::kSignature;
      out.push_back(std::move(h));
      continue;
    }
    if (has(kPart) && (scheme == SectionScheme::k10Q || scheme == SectionScheme::kRegistration ||
                       scheme == SectionScheme::k10K)) {
      std::string part;
      if (ParsePart(p, match_text, &part)) {
        h.kind = Heading::Kind::kPart;
        h.ids.push_back(std::move(part));
        out.push_back(std::move(h));
      }
      continue;
    }
    ItemCodes codes;
    bool ok = false;
    switch (scheme) {
      case SectionScheme::k8K:
        ok = has(kNew8K) && ParseNew8K(p, match_text, &codes);
        break;
      case SectionScheme::k8KOld:
        ok = has(kOld8K) && ParseNumbered(p, match_text, false, 12, &codes);
        break;
      case SectionScheme::k10K:
        ok = has(kItemNumber) && ParseNumbered(p, match_text, true, 16, &codes);
        // The first item must exist; SplitOne drops invalid later ones.
        ok = ok && TenKRank(codes.ids[0]) >= 0;
        break;
      case SectionScheme::k10Q:
        ok = has(kItemNumber) && ParseNumbered(p, match_text, true, 6, &codes);
        break;
      case SectionScheme::kRegistration:
        ok = has(kItemNumber) && ParseNumbered(p, match_text, false, kRegistrationMaxItem, &codes);
        break;
      case SectionScheme::kNone:
        break;
    }
    if (!ok || !FollowsLikeHeading(codes.rest)) continue;
    h.kind = Heading::Kind::kItem;
    h.ids = std::move(codes.ids);
    h.title = CleanTitle(codes.rest);
    if (h.title.empty()) {
      // Title on the next line ("ITEM 2.02" / "RESULTS OF OPERATIONS").
      std::string_view next = NextNonBlankLine(text, title_from, 3);
      if (!next.empty() && next.size() <= 200 && !MayStartHeading(next)) {
        h.title = CleanTitle(next);
      }
    }
    out.push_back(std::move(h));
  }
  return out;
}

namespace {

struct Node {
  std::vector<std::string> ids;  // keyed ids ("I-2", "II-8", "2.02")
  std::string title;
  int rank_lo = 0;
  uint32_t begin = 0;
  uint32_t line_end = 0;
  int64_t weight = 0;
  bool short_gap = false;  // next to no text before the next heading
};

// Non-blank bytes needed after a heading for it not to look like a line of
// a table of contents ("Item 1A.<tab>Risk Factors<tab>12").
constexpr int kContentsGap = 40;
// Consecutive short headings that make a table of contents.
constexpr size_t kContentsRun = 3;

}  // namespace

std::vector<Section> HeadingFinder::SplitOne(std::string_view text, SectionScheme scheme,
                                             int document_sequence, FindMode mode) const {
  std::vector<Section> sections;
  std::vector<Heading> headings = Find(text, scheme, mode);
  if (headings.empty()) return sections;

  // Key the items (parts for 10-Q and registration statements) and rank them.
  std::vector<Node> nodes;
  std::vector<uint32_t> signatures;
  std::string part = scheme == SectionScheme::k10Q ? "I" : "II";
  std::vector<uint32_t> next_begin(headings.size(), static_cast<uint32_t>(text.size()));
  for (size_t i = 0; i + 1 < headings.size(); ++i) next_begin[i] = headings[i + 1].begin;
  for (size_t i = 0; i < headings.size(); ++i) {
    Heading& h = headings[i];
    if (h.kind == Heading::Kind::kSignature) {
      signatures.push_back(h.begin);
      continue;
    }
    if (h.kind == Heading::Kind::kPart) {
      part = h.ids[0];
      continue;
    }
    if (scheme == SectionScheme::k10Q) part = TenQPartOf(part, h.ids[0], h.title);
    Node node;
    bool valid = true;
    int prev_rank = -1;
    for (const std::string& id : h.ids) {
      int rank = -1;
      std::string keyed;
      switch (scheme) {
        case SectionScheme::k8K:
          rank = NewCodeRank(id);
          keyed = id;
          break;
        case SectionScheme::k8KOld:
          rank = std::atoi(id.c_str()) - 1;
          keyed = id;
          break;
        case SectionScheme::k10K:
          rank = TenKRank(id);
          keyed = id;
          break;
        case SectionScheme::k10Q:
          rank = TenQRank(part, id);
          keyed = part + "-" + id;
          break;
        case SectionScheme::kRegistration: {
          const int number = std::atoi(id.c_str());
          if (part == "I") {
            rank = number;
          } else if (part == "II") {
            rank = kRegistrationMaxItem + 1 + number;
          }
          keyed = part + "-" + id;
          break;
        }
        case SectionScheme::kNone:
          break;
      }
      if (rank < 0 || rank <= prev_rank) {
        // A combined heading keeps the items before the first one that does
        // not fit ("Item 7 and Item 17"); a first item that does not fit
        // drops the heading.
        valid = !node.ids.empty();
        break;
      }
      if (node.ids.empty()) node.rank_lo = rank;
      prev_rank = rank;
      node.ids.push_back(std::move(keyed));
    }
    if (!valid || node.ids.empty()) continue;
    node.title = std::move(h.title);
    node.begin = h.begin;
    node.line_end = h.line_end;
    // Text between this heading's line and the next heading of any kind: a
    // table of contents has almost none.
    const uint32_t gap_end = next_begin[i];
    node.weight = 1 + (gap_end > h.line_end ? static_cast<int64_t>(gap_end - h.line_end) : 0);
    int non_blank = 0;
    for (uint32_t k = h.line_end; k < gap_end && non_blank < kContentsGap; ++k) {
      const char c = text[k];
      if (!IsAsciiSpace(c) && c != '\n') ++non_blank;
    }
    node.short_gap = non_blank < kContentsGap;
    nodes.push_back(std::move(node));
  }
  if (nodes.empty()) return sections;

  // When an item appears more than once (a table of contents, a summary
  // list, a page header), keep the chain of headings in increasing item order
  // that covers the most text: the body wins over the table of contents.
  std::vector<std::string> seen;
  bool repeated = false;
  for (const Node& node : nodes) {
    for (const std::string& id : node.ids) {
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) repeated = true;
      seen.push_back(id);
    }
    if (repeated) break;
  }
  if (repeated) {
    // A run of headings with next to no text between them is a table of
    // contents (or a summary list): it starts no section, even for items
    // the body lacks.
    // Short items at the end of a body ("Item 3. Defaults ... None.",
    // "Item 4. Mine Safety ... Not applicable.") are not contents: a run
    // counts only when some of its items come again later.
    std::unordered_map<std::string, size_t> last_index;
    for (size_t k = 0; k < nodes.size(); ++k) {
      for (const std::string& id : nodes[k].ids) last_index[id] = k;
    }
    size_t run_start = 0;
    bool run_repeats = false;
    for (size_t k = 0; k <= nodes.size(); ++k) {
      if (k < nodes.size() && nodes[k].short_gap) {
        for (const std::string& id : nodes[k].ids) run_repeats |= last_index[id] > k;
        continue;
      }
      if (run_repeats && k - run_start >= kContentsRun) {
        for (size_t m = run_start; m < k; ++m) nodes[m].weight = -1;
      }
      run_start = k + 1;
      run_repeats = false;
    }
  }
  std::vector<size_t> chosen;
  if (!repeated) {
    for (size_t i = 0; i < nodes.size(); ++i) chosen.push_back(i);
  } else {
    const int ranks = RankCount(scheme);
    std::vector<int64_t> best(static_cast<size_t>(ranks), 0);
    std::vector<int64_t> best_node(static_cast<size_t>(ranks), -1);
    std::vector<int64_t> pred(nodes.size(), -1);
    for (size_t k = 0; k < nodes.size(); ++k) {
      int64_t prev_value = 0;
      int64_t prev_node = -1;
      for (int r = 0; r < nodes[k].rank_lo; ++r) {
        if (best[static_cast<size_t>(r)] > prev_value) {
          prev_value = best[static_cast<size_t>(r)];
          prev_node = best_node[static_cast<size_t>(r)];
        }
      }
      const int64_t value = prev_value + nodes[k].weight;
      // Chains are ordered by each heading's first item: a combined heading
      // ("Item 1. Business and Item 2. Properties") may be followed by items
      // between its own (1A, 1B).
      const size_t hi = static_cast<size_t>(nodes[k].rank_lo);
      if (value > best[hi]) {
        best[hi] = value;
        best_node[hi] = static_cast<int64_t>(k);
        pred[k] = prev_node;
      }
    }
    int64_t top = 0;
    int64_t last = -1;
    for (int r = 0; r < ranks; ++r) {
      if (best[static_cast<size_t>(r)] > top) {
        top = best[static_cast<size_t>(r)];
        last = best_node[static_cast<size_t>(r)];
      }
    }
    for (int64_t k = last; k >= 0; k = pred[static_cast<size_t>(k)]) {
      chosen.push_back(static_cast<size_t>(k));
    }
    std::reverse(chosen.begin(), chosen.end());
  }

  const bool ends_at_signature = scheme == SectionScheme::k8K || scheme == SectionScheme::k8KOld ||
                                 scheme == SectionScheme::kRegistration;
  for (size_t c = 0; c < chosen.size(); ++c) {
    const Node& node = nodes[chosen[c]];
    uint32_t end =
        c + 1 < chosen.size() ? nodes[chosen[c + 1]].begin : static_cast<uint32_t>(text.size());
    if (ends_at_signature) {
      auto it = std::upper_bound(signatures.begin(), signatures.end(), node.line_end);
      if (it != signatures.end() && *it < end) end = *it;
    }
    for (const std::string& id : node.ids) {
      Section s;
      s.id = id;
      s.title = node.title;
      s.document = document_sequence;
      s.begin = node.begin;
      s.end = end;
      sections.push_back(std::move(s));
    }
  }
  return sections;
}

std::vector<Section> HeadingFinder::Split(std::string_view text, SectionScheme scheme,
                                          int document_sequence, FindMode mode) const {
  // Offsets are 32-bit; a text beyond 4 GiB is split only in its first 4 GiB.
  if (text.size() > UINT32_MAX) text = text.substr(0, UINT32_MAX);
  std::vector<Section> sections = SplitOne(text, scheme, document_sequence, mode);
  if (sections.empty() && (scheme == SectionScheme::k8K || scheme == SectionScheme::k8KOld)) {
    // The filing date may be unknown or wrong: try the other vocabulary.
    const SectionScheme other =
        scheme == SectionScheme::k8K ? SectionScheme::k8KOld : SectionScheme::k8K;
    sections = SplitOne(text, other, document_sequence, mode);
  }
  return sections;
}

}  // namespace internal

struct SectionSplitter::Rep {
  std::unique_ptr<internal::HeadingFinder> finder;
};

SectionSplitter::SectionSplitter(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
SectionSplitter::~SectionSplitter() = default;

absl::StatusOr<std::unique_ptr<SectionSplitter>> SectionSplitter::Create() {
  auto finder = internal::HeadingFinder::Create();
  if (!finder.ok()) return finder.status();
  auto rep = std::make_unique<Rep>();
  rep->finder = std::move(finder).value();
  return std::unique_ptr<SectionSplitter>(new SectionSplitter(std::move(rep)));
}

std::vector<Section> SectionSplitter::Split(std::string_view text, SectionScheme scheme,
                                            int document_sequence) const {
  return rep_->finder->Split(text, scheme, document_sequence, internal::FindMode::kFast);
}

namespace {

std::string UpperForm(std::string_view form) {
  std::string f;
  for (char c : form) {
    if (c == ' ' || c == '\t') continue;
    f.push_back(static_cast<char>((c >= 'a' && c <= 'z') ? c - 32 : c));
  }
  if (f.size() >= 2 && f.compare(f.size() - 2, 2, "/A") == 0) f.resize(f.size() - 2);
  return f;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

SectionScheme SchemeFor(std::string_view root_form, std::string_view filed) {
  const std::string f = UpperForm(root_form);
  if (f.empty()) return SectionScheme::kNone;
  if (StartsWith(f, "8-K")) {
    // 8-K, 8-K12B, 8-K12G3, 8-K15D5 ...
    if (filed.empty()) return SectionScheme::k8K;
    return UsesOldItemNumbering(filed) ? SectionScheme::k8KOld : SectionScheme::k8K;
  }
  if (StartsWith(f, "10-K")) return SectionScheme::k10K;  // 10-K405, 10-KSB, 10-KT
  if (StartsWith(f, "10-Q")) return SectionScheme::k10Q;  // 10-QSB, 10-QT
  // Registration statements: S-1..S-11, F-1..F-10, SB-1/SB-2, POS AM, S-8 POS.
  if ((f[0] == 'S' || f[0] == 'F') && f.size() >= 3) {
    size_t i = 1;
    if (f[0] == 'S' && f[1] == 'B') ++i;
    if (i < f.size() && f[i] == '-' && i + 1 < f.size() && f[i + 1] >= '0' && f[i + 1] <= '9') {
      return SectionScheme::kRegistration;
    }
  }
  if (f == "POSAM" || StartsWith(f, "POSASR") || f == "N-2") return SectionScheme::kRegistration;
  return SectionScheme::kNone;
}

}  // namespace edgarix::parse
