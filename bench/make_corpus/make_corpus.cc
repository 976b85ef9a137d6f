// make_corpus: writes a synthetic EDGAR corpus of a requested size, built from
// real filings used as templates. See docs/BENCHMARKS.md, "Synthetic corpus".
//
//   make_corpus --out DIR --size 1G --templates DIR... [--seed N]
//               [--start YYYY-MM-DD] [--per-day-mb M] [--mutate F]
//               [--uuencode-pct P] [--gzip-level L] [--quiet]
//
// Output, in the layout of https://www.sec.gov/Archives/edgar/ under
// DIR/Archives/edgar/:
//   Feed/YYYY/QTRn/YYYYMMDD.nc.tar.gz          members ACCESSION.nc (tagged
//                                              <SUBMISSION> dialect), sorted
//   daily-index/YYYY/QTRn/master.YYYYMMDD.idx  one row per party
// and DIR/corpus.json (what was written; no timestamps).
//
// Deterministic: the same arguments and templates give byte-identical files
// (own PRNG, gzip mtime 0, tar mtimes at the filing day's midnight UTC, sorted
// members and rows). Memory stays flat: each day is planned (metadata only),
// then its members are generated and compressed one at a time.

#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "edgarix/fetch/index_files.h"

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// Deterministic PRNG (xoshiro256**, seeded by splitmix64): the same stream on
// every platform, unlike the std:: distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& x : s_) x = SplitMix(seed);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // [0, n)
  uint64_t Below(uint64_t n) {
    if (n <= 1) return 0;
    __extension__ using U128 = unsigned __int128;
    return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64);
  }
  // [lo, hi]
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

// Samples ranks 0..n-1 with P(r) proportional to 1/(r+1)^s.
class Zipf {
 public:
  Zipf() = default;
  Zipf(size_t n, double s) {
    cdf_.resize(n);
    double sum = 0;
    for (size_t r = 0; r < n; ++r) {
      sum += 1.0 / std::pow(static_cast<double>(r + 1), s);
      cdf_[r] = sum;
    }
    for (auto& c : cdf_) c /= sum;
  }
  size_t Sample(Rng& rng) const {
    const double u = rng.Unit();
    const size_t i = static_cast<size_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
    return std::min(i, cdf_.size() - 1);
  }
  size_t size() const { return cdf_.size(); }

 private:
  std::vector<double> cdf_;
};

// Weighted choice over a fixed table.
template <typename T>
class Weighted {
 public:
  void Add(T value, double weight) {
    total_ += weight;
    values_.push_back(std::move(value));
    cum_.push_back(total_);
  }
  const T& Pick(Rng& rng) const {
    const double u = rng.Unit() * total_;
    size_t i = static_cast<size_t>(std::upper_bound(cum_.begin(), cum_.end(), u) - cum_.begin());
    return values_[std::min(i, values_.size() - 1)];
  }
  bool empty() const { return values_.empty(); }
  const std::vector<T>& values() const { return values_; }

 private:
  std::vector<T> values_;
  std::vector<double> cum_;
  double total_ = 0;
};

// ---------------------------------------------------------------------------
// EDGAR tables.

// Share of filings by form, in percent. Approximates a year of EDGAR
// dissemination; see docs/BENCHMARKS.md for the sources. "*" is the remainder,
// drawn from kOtherForms.
struct FormShare {
  const char* form;
  double percent;
};
constexpr FormShare kFormMix[] = {
    {"4", 35.0},       {"8-K", 10.0},     {"424B2", 5.0},    {"SC 13G/A", 4.5},
    {"D", 4.0},        {"6-K", 3.5},      {"FWP", 3.5},      {"10-Q", 3.3},
    {"13F-HR", 3.0},   {"3", 2.3},        {"497K", 2.0},     {"497", 1.8},
    {"SC 13G", 1.6},   {"485BPOS", 1.4},  {"424B3", 1.3},    {"10-K", 1.1},
    {"DEF 14A", 0.9},  {"8-K/A", 0.8},    {"4/A", 0.8},      {"SC 13D/A", 0.8},
    {"CORRESP", 0.8},  {"UPLOAD", 0.6},   {"S-8", 0.5},      {"5", 0.5},
    {"*", 10.4},
};
constexpr const char* kOtherForms[] = {
    "10-K/A", "10-Q/A", "S-1",    "S-1/A", "S-3",    "S-3/A",  "425",     "DEFA14A", "11-K",
    "20-F",   "40-F",   "144",    "N-CSR", "N-CSRS", "SC 13D", "S-8 POS", "EFFECT",  "424B5",
    "POS AM", "DRS/A",  "NPORT-P", "N-CEN", "ABS-15G", "10-D",  "SC TO-T", "40-APP",  "PRE 14A",
};

// Template families: a form without a template of its own borrows one from
// its family, then from any family.
std::string FamilyOf(std::string_view form) {
  std::string f(form);
  if (f.size() > 2 && f.compare(f.size() - 2, 2, "/A") == 0) f.resize(f.size() - 2);
  if (f == "3" || f == "4" || f == "5") return "ownership";
  if (f == "8-K" || f == "6-K") return "current";
  if (f.rfind("10-K", 0) == 0 || f.rfind("10-Q", 0) == 0 || f == "20-F" || f == "40-F" ||
      f == "11-K" || f == "10-D" || f == "N-CSR" || f == "N-CSRS")
    return "periodic";
  if (f.rfind("SC 13", 0) == 0 || f.rfind("SCHEDULE 13", 0) == 0 || f.rfind("SC TO", 0) == 0)
    return "schedule";
  if (f.rfind("13F", 0) == 0 || f.rfind("NPORT", 0) == 0 || f == "N-CEN") return "holdings";
  if (f.rfind("424", 0) == 0 || f == "FWP" || f.rfind("S-", 0) == 0 || f.rfind("F-", 0) == 0 ||
      f.rfind("48", 0) == 0 || f.rfind("497", 0) == 0 || f == "POS AM" || f.rfind("N-2", 0) == 0 ||
      f == "DRS" || f == "425" || f == "40-APP")
    return "offering";
  if (f.find("14A") != std::string::npos || f.find("14C") != std::string::npos) return "proxy";
  if (f == "D" || f == "144" || f == "EFFECT" || f == "CORRESP" || f == "UPLOAD") return "notice";
  return "other";
}

std::string RootForm(std::string_view form) {
  std::string f(form);
  if (f.size() > 2 && f.compare(f.size() - 2, 2, "/A") == 0) f.resize(f.size() - 2);
  return f;
}

struct ItemInfo {
  const char* code;
  double weight;
};
// New 8-K items (EDGAR.md §5) with rough relative frequencies; 9.01 is the
// exhibits item and handled apart.
constexpr ItemInfo kNewItems[] = {
    {"2.02", 20}, {"5.02", 18}, {"8.01", 18}, {"7.01", 14}, {"1.01", 10}, {"5.07", 8},
    {"2.03", 3},  {"5.03", 3},  {"3.02", 2},  {"2.01", 1.5}, {"1.02", 1}, {"3.01", 1},
    {"3.03", 0.5}, {"4.01", 0.5}, {"2.05", 0.5}, {"2.06", 0.3}, {"4.02", 0.3}, {"5.01", 0.3},
    {"5.05", 0.3}, {"1.03", 0.2}, {"2.04", 0.2}, {"5.08", 0.1}, {"5.06", 0.1}, {"1.04", 0.05},
    {"1.05", 0.05},
};
// Old items (before 2004-08-23); 7 is the exhibits item.
constexpr ItemInfo kOldItems[] = {
    {"5", 35}, {"12", 15}, {"9", 12}, {"2", 5}, {"4", 3}, {"6", 1},
    {"1", 1},  {"3", 0.5}, {"8", 0.3}, {"10", 0.3}, {"11", 0.3},
};

bool IsNewItemCode(std::string_view code) {
  if (code == "9.01") return true;
  for (const auto& i : kNewItems) {
    if (code == i.code) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Small string helpers.

inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline char Lower(char c) { return IsUpper(c) ? static_cast<char>(c + 32) : c; }
inline char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

bool StartsWithNoCase(std::string_view s, size_t at, std::string_view lower) {
  if (at + lower.size() > s.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (Lower(s[at + i]) != lower[i]) return false;
  }
  return true;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return std::string(s.substr(b, e - b));
}

// Value of a leaf tag ("<TYPE>8-K") or a label ("CONFORMED SUBMISSION TYPE:")
// at `pos`: the rest of the line, stopped at the next '<'.
std::string ValueAt(std::string_view s, size_t pos) {
  size_t e = pos;
  while (e < s.size() && s[e] != '\n' && s[e] != '\r' && s[e] != '<') ++e;
  return Trim(s.substr(pos, e - pos));
}

// Every value of a tag or label within s[0, limit).
std::vector<std::string> AllValues(std::string_view s, std::string_view key, size_t limit) {
  std::vector<std::string> out;
  limit = std::min(limit, s.size());
  size_t p = 0;
  while ((p = s.find(key, p)) != std::string_view::npos && p < limit) {
    p += key.size();
    std::string v = ValueAt(s, p);
    if (!v.empty()) out.push_back(std::move(v));
  }
  return out;
}

std::string Sanitize(std::string s) {
  for (char& c : s) {
    if (c == '|' || c == '\t' || c == '<' || c == '>' || static_cast<unsigned char>(c) < 32) c = ' ';
  }
  return Trim(s);
}

// ---------------------------------------------------------------------------
// Templates.

// A word of a template document that may be replaced.
struct Slot {
  uint32_t start;
  uint16_t len;
  uint8_t capitalized;
};
// An 8-K item code in a template document (digits only, e.g. "2.02", "5").
struct ItemSpot {
  uint32_t start;
  uint32_t len;
  std::string code;
};

struct TemplateDoc {
  std::string type;
  std::string filename;
  std::string description;
  std::string text;
  std::vector<Slot> slots;
  std::vector<ItemSpot> items;
};

struct Template {
  std::string source;
  std::string form;
  std::string family;
  std::vector<TemplateDoc> docs;
  size_t bytes = 0;
  std::vector<std::string> item_codes;  // distinct, in order of appearance
};

// Names, places and numbers harvested from template headers.
struct Harvest {
  std::vector<std::string> company_names;
  std::vector<std::string> person_names;
  std::vector<std::string> streets, cities, states, zips, sics, agents;
  std::unordered_map<std::string, uint64_t> words;  // lower-case word -> count
};

std::optional<std::string> ReadFile(const fs::path& path, size_t max_bytes) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size > max_bytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data(static_cast<size_t>(size), '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) return std::nullopt;
  return data;
}

// Skips a separator inside an item heading at s[i]: whitespace, &nbsp;,
// &#160;, U+00A0, a tag. Returns the length skipped (0 when none).
size_t SeparatorAt(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0)
    return 2;
  if (static_cast<unsigned char>(c) == 0xA0) return 1;
  if (c == '&') {
    for (std::string_view e : {"&nbsp;", "&#160;", "&#xa0;", "&#xA0;"}) {
      if (s.compare(i, e.size(), e) == 0) return e.size();
    }
  }
  if (c == '<') {
    const size_t e = s.find('>', i);
    if (e != std::string_view::npos && e - i < 400) return e - i + 1;
  }
  return 0;
}

// Reads an item code at s[i]: "2.02", "2. 02", "5". Sets *len and *code.
bool ItemCodeAt(std::string_view s, size_t i, size_t* len, std::string* code) {
  size_t p = i;
  size_t d = 0;
  while (p < s.size() && IsDigit(s[p]) && d < 3) ++p, ++d;
  if (d == 0 || d > 2 || (p < s.size() && IsDigit(s[p]))) return false;
  const std::string major(s.substr(i, d));
  // "2.02": a dot, optional spaces, two digits.
  size_t q = p;
  if (d == 1 && q < s.size() && s[q] == '.') {
    ++q;
    while (q < s.size() && (s[q] == ' ' || s[q] == '\t')) ++q;
    if (q + 1 < s.size() && IsDigit(s[q]) && IsDigit(s[q + 1]) &&
        (q + 2 >= s.size() || !IsDigit(s[q + 2]))) {
      std::string c = major + "." + std::string(s.substr(q, 2));
      if (!IsNewItemCode(c)) return false;
      *code = c;
      *len = q + 2 - i;
      return true;
    }
  }
  const int n = std::atoi(major.c_str());
  if (n < 1 || n > 12) return false;
  if (p < s.size() && (IsAlpha(s[p]))) return false;  // "Item 1A" is not an 8-K item
  *code = std::to_string(n);
  *len = p - i;
  return true;
}

// Finds 8-K item codes after "Item"/"Items" (and "and"/"," continuations).
std::vector<ItemSpot> FindItems(std::string_view s) {
  std::vector<ItemSpot> out;
  size_t p = 0;
  while ((p = s.find_first_of("iI", p)) != std::string_view::npos) {
    const size_t at = p++;
    if (!StartsWithNoCase(s, at, "item") || (at > 0 && IsAlpha(s[at - 1]))) continue;
    size_t q = at + 4;
    if (q < s.size() && Lower(s[q]) == 's') ++q;
    if (q < s.size() && IsAlpha(s[q])) continue;
    for (int round = 0; round < 4; ++round) {
      for (size_t k; (k = SeparatorAt(s, q)) > 0 || (q < s.size() && (s[q] == ':' || s[q] == '.'));)
        q += k > 0 ? k : 1;
      size_t len = 0;
      std::string code;
      if (!ItemCodeAt(s, q, &len, &code)) break;
      out.push_back({static_cast<uint32_t>(q), static_cast<uint32_t>(len), code});
      q += len;
      // "and 9.01", ", 9.01", "and Item 9.01"
      size_t r = q;
      while (size_t k = SeparatorAt(s, r)) r += k;
      if (r < s.size() && (s[r] == ',' || s[r] == '&')) {
        ++r;
      } else if (StartsWithNoCase(s, r, "and") && r + 3 < s.size() && !IsAlpha(s[r + 3])) {
        r += 3;
      } else {
        break;
      }
      while (size_t k = SeparatorAt(s, r)) r += k;
      if (StartsWithNoCase(s, r, "item")) {
        r += 4;
        if (r < s.size() && Lower(s[r]) == 's') ++r;
      }
      q = r;
    }
    p = std::max(p, q);
  }
  return out;
}

bool ProtectedWord(std::string_view w) {
  static const char* const kKeep[] = {"item", "items", "part", "signature", "signatures",
                                      "exhibit", "form", "table", "contents", "index"};
  if (w.size() > 10) return false;
  char lower[16];
  for (size_t i = 0; i < w.size(); ++i) lower[i] = Lower(w[i]);
  const std::string_view l(lower, w.size());
  for (const char* k : kKeep) {
    if (l == k) return true;
  }
  return false;
}

// Lists the replaceable words of a document: alphabetic runs of 3-24 letters
// outside markup, entities, URLs and e-mail addresses, not all capitals
// (headings), not "Item"/"Part"/... and not within 100 bytes after an item or
// part heading. Counts them into the vocabulary.
void PlanSlots(TemplateDoc& doc, Harvest& harvest) {
  const std::string_view s = doc.text;
  size_t protect_until = 0;
  size_t next_item = 0;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const char c = s[i];
    if (c == '<') {
      const size_t e = s.find('>', i);
      if (e != std::string_view::npos && e - i < 4000) {
        i = e + 1;
        continue;
      }
      ++i;
      continue;
    }
    if (c == '&') {
      size_t e = i + 1;
      while (e < n && e - i < 10 && (IsAlpha(s[e]) || IsDigit(s[e]) || s[e] == '#')) ++e;
      i = (e < n && s[e] == ';') ? e + 1 : i + 1;
      continue;
    }
    if (!IsAlpha(c)) {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < n && IsAlpha(s[e])) ++e;
    const size_t len = e - i;
    while (next_item < doc.items.size() && doc.items[next_item].start < i) {
      protect_until = std::max<size_t>(protect_until, doc.items[next_item].start + 100);
      ++next_item;
    }
    if (StartsWithNoCase(s, i, "part") && len == 4) protect_until = std::max(protect_until, e + 60);
    const char prev = i > 0 ? s[i - 1] : ' ';
    const char next = e < n ? s[e] : ' ';
    bool ok = len >= 3 && len <= 24 && i >= protect_until && !IsDigit(prev) && !IsDigit(next) &&
              prev != '@' && prev != '/' && prev != '\\' && prev != '_' && prev != '.' &&
              prev != ':' && prev != '-' && next != '@' && next != '/' && next != '_' &&
              next != '(' && !(next == '.' && e + 1 < n && IsAlpha(s[e + 1]));
    if (ok) {
      size_t upper = 0;
      for (size_t k = i; k < e; ++k) upper += IsUpper(s[k]) ? 1 : 0;
      if (upper > 1) ok = false;                       // ALL CAPS or CamelCase
      if (upper == 1 && !IsUpper(s[i])) ok = false;    // iPhone
      if (ok && ProtectedWord(s.substr(i, len))) ok = false;
      if (ok) {
        std::string lower(s.substr(i, len));
        for (char& ch : lower) ch = Lower(ch);
        ++harvest.words[lower];
        doc.slots.push_back({static_cast<uint32_t>(i), static_cast<uint16_t>(len),
                             static_cast<uint8_t>(upper == 1)});
      }
    }
    i = e;
  }
}

// Form named on a bare document's cover page (or XML root), else "".
std::string CoverForm(std::string_view text) {
  const std::string_view head = text.substr(0, std::min<size_t>(text.size(), 40000));
  // XML documents.
  if (size_t p = head.find("<documentType>"); p != std::string_view::npos) {
    return Trim(head.substr(p + 14, head.find('<', p + 14) - (p + 14)));
  }
  if (size_t p = head.find("<submissionType>"); p != std::string_view::npos) {
    return Trim(head.substr(p + 16, head.find('<', p + 16) - (p + 16)));
  }
  if (head.find("informationTable") != std::string_view::npos) return "13F-HR";
  // Visible text, upper-cased, with single spaces.
  std::string t;
  t.reserve(head.size());
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '<') {
      const size_t e = head.find('>', i);
      if (e == std::string_view::npos) break;
      i = e;
      if (!t.empty() && t.back() != ' ') t.push_back(' ');
      continue;
    }
    if (size_t k = SeparatorAt(head, i)) {
      i += k - 1;
      if (!t.empty() && t.back() != ' ') t.push_back(' ');
      continue;
    }
    t.push_back(Upper(head[i]));
  }
  static const std::pair<const char*, const char*> kCovers[] = {
      {"FORM 10-K", "10-K"},       {"FORM 10-Q", "10-Q"},     {"FORM 8-K", "8-K"},
      {"FORM 6-K", "6-K"},         {"FORM 20-F", "20-F"},     {"FORM 40-F", "40-F"},
      {"FORM S-8", "S-8"},         {"FORM S-3", "S-3"},       {"FORM S-1", "S-1"},
      {"FORM S-4", "S-4"},         {"FORM F-1", "F-1"},       {"SCHEDULE 13G", "SC 13G"},
      {"SCHEDULE 13D", "SC 13D"},  {"SCHEDULE 14A", "DEF 14A"}, {"SCHEDULE TO", "SC TO-T"},
      {"PROXY STATEMENT", "DEF 14A"}, {"FORM N-CSR", "N-CSR"}, {"FORM 11-K", "11-K"},
      {"FORM 10-D", "10-D"},       {"PROSPECTUS SUPPLEMENT", "424B2"}, {"FORM D ", "D"},
  };
  size_t best = std::string::npos;
  std::string form;
  for (const auto& [needle, f] : kCovers) {
    const size_t p = t.find(needle);
    if (p == std::string::npos || p >= best) continue;
    const size_t after = p + std::strlen(needle);
    // "FORM 10-K" must not be "FORM 10-KSB" read as 10-K? Keep 10-K family.
    if (after < t.size() && IsDigit(t[after])) continue;
    best = p;
    form = f;
  }
  return form;
}

// A folder name such as "DEF14A" or "ownership-3-4-5" as a form, else "".
std::string FolderForm(const fs::path& path) {
  auto squash = [](std::string_view s) {
    std::string o;
    for (char c : s) {
      if (IsAlpha(c) || IsDigit(c)) o.push_back(Upper(c));
    }
    return o;
  };
  const std::string dir = squash(path.parent_path().filename().string());
  if (dir.empty()) return "";
  for (const auto& f : kFormMix) {
    if (std::string_view(f.form) != "*" && squash(f.form) == dir) return f.form;
  }
  for (const char* f : kOtherForms) {
    if (squash(f) == dir) return f;
  }
  return "";
}

void HarvestHeader(std::string_view s, Harvest& h) {
  const size_t limit = std::min<size_t>(s.size(), 64 * 1024);
  const size_t doc = s.find("<DOCUMENT>");
  const size_t hl = std::min(limit, doc == std::string_view::npos ? limit : doc);
  const std::string_view head = s.substr(0, hl);
  // Reporting owners are people; every other party is a company.
  size_t p = 0;
  while ((p = head.find("<REPORTING-OWNER>", p)) != std::string_view::npos) {
    p += 17;
    const size_t n = head.find("<CONFORMED-NAME>", p);
    if (n != std::string_view::npos && n < p + 200) h.person_names.push_back(Sanitize(ValueAt(head, n + 16)));
  }
  std::set<std::string> persons(h.person_names.begin(), h.person_names.end());
  for (auto* key : {"<CONFORMED-NAME>", "COMPANY CONFORMED NAME:", "<FORMER-CONFORMED-NAME>",
                    "FORMER CONFORMED NAME:"}) {
    for (auto& v : AllValues(head, key, hl)) {
      v = Sanitize(v);
      if (!v.empty() && !persons.count(v)) h.company_names.push_back(v);
    }
  }
  for (auto* key : {"<STREET1>", "STREET 1:"}) {
    for (auto& v : AllValues(head, key, hl)) h.streets.push_back(Sanitize(v));
  }
  for (auto* key : {"<CITY>", "CITY:"}) {
    for (auto& v : AllValues(head, key, hl)) h.cities.push_back(Sanitize(v));
  }
  for (auto* key : {"<STATE>", "STATE:", "<STATE-OF-INCORPORATION>", "STATE OF INCORPORATION:"}) {
    for (auto& v : AllValues(head, key, hl)) {
      v = Sanitize(v);
      if (v.size() == 2 && IsUpper(v[0]) && (IsUpper(v[1]) || IsDigit(v[1]))) h.states.push_back(v);
    }
  }
  for (auto* key : {"<ZIP>", "ZIP:"}) {
    for (auto& v : AllValues(head, key, hl)) {
      v = Sanitize(v);
      if (v.size() >= 5 && v.size() <= 10) h.zips.push_back(v);
    }
  }
  for (auto& v : AllValues(head, "<ASSIGNED-SIC>", hl)) {
    v = Sanitize(v);
    if (v.size() == 4 && std::all_of(v.begin(), v.end(), IsDigit)) h.sics.push_back(v);
  }
  p = 0;
  while ((p = head.find("STANDARD INDUSTRIAL CLASSIFICATION:", p)) != std::string_view::npos) {
    const size_t b = head.find('[', p), e = head.find(']', p);
    p += 10;
    if (b != std::string_view::npos && e == b + 5) h.sics.emplace_back(head.substr(b + 1, 4));
  }
  for (auto* key : {"<ACCESSION-NUMBER>", "ACCESSION NUMBER:"}) {
    for (auto& v : AllValues(head, key, hl)) {
      if (v.size() >= 10 && std::all_of(v.begin(), v.begin() + 10, IsDigit)) h.agents.push_back(v.substr(0, 10));
    }
  }
}

// Splits a file into documents and classifies it. Returns nullopt for a file
// with no usable text (header-only samples, binary files).
std::optional<Template> LoadTemplate(const fs::path& path, std::string data, Harvest& harvest) {
  if (data.find('\0') != std::string::npos) return std::nullopt;
  HarvestHeader(data, harvest);
  Template t;
  t.source = path.string();
  const std::string_view s = data;
  const size_t head_end = std::min<size_t>(s.size(), 64 * 1024);
  // The submission's form from its header.
  if (size_t p = s.find("CONFORMED SUBMISSION TYPE:"); p != std::string_view::npos && p < head_end) {
    t.form = ValueAt(s, p + 26);
  } else if (size_t q = s.find("<SUBMISSION>"); q != std::string_view::npos && q < 1000) {
    if (size_t r = s.find("<TYPE>", q); r != std::string_view::npos) t.form = ValueAt(s, r + 6);
  }
  size_t p = 0;
  while ((p = s.find("<DOCUMENT>", p)) != std::string_view::npos) {
    size_t end = s.find("</DOCUMENT>", p);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view block = s.substr(p, end - p);
    p = end;
    TemplateDoc d;
    auto tag = [&](std::string_view name) {
      const size_t at = block.find(name);
      return at == std::string_view::npos || at > 2000 ? std::string() : ValueAt(block, at + name.size());
    };
    d.type = tag("<TYPE>");
    d.filename = tag("<FILENAME>");
    d.description = tag("<DESCRIPTION>");
    size_t tb = block.find("<TEXT>");
    if (tb == std::string_view::npos) continue;
    tb += 6;
    size_t te = block.rfind("</TEXT>");
    if (te == std::string_view::npos || te < tb) te = block.size();
    std::string_view text = block.substr(tb, te - tb);
    const std::string lead = Trim(text.substr(0, 16));
    if (lead.rfind("begin ", 0) == 0 || lead.rfind("<PDF>", 0) == 0) continue;  // binary
    if (Trim(text).empty()) continue;
    // Drop the newline that follows <TEXT> and precedes </TEXT>; we add ours.
    if (!text.empty() && text.front() == '\r') text.remove_prefix(1);
    if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    d.text = std::string(text);
    t.docs.push_back(std::move(d));
  }
  const bool has_header = s.find("<SEC-HEADER>") < head_end || s.find("<SUBMISSION>") < 1000 ||
                          s.find("<IMS-HEADER>") < head_end || s.find("ACCESSION NUMBER:") < head_end;
  if (t.docs.empty()) {
    if (has_header) return std::nullopt;  // a header sample: names harvested only
    TemplateDoc d;
    d.text = std::move(data);
    d.filename = path.filename().string();
    t.docs.push_back(std::move(d));
  }
  if (t.form.empty() && !t.docs[0].type.empty()) t.form = t.docs[0].type;
  if (t.form.empty()) t.form = CoverForm(t.docs[0].text);
  if (t.form.empty()) t.form = FolderForm(path);
  if (t.form.empty()) t.form = "UNKNOWN";
  for (char& c : t.form) c = Upper(c);
  if (t.form.rfind("SCHEDULE 13", 0) == 0) t.form = "SC " + t.form.substr(9);
  t.family = FamilyOf(t.form);
  const bool is_8k = RootForm(t.form) == "8-K";
  for (auto& d : t.docs) {
    if (d.type.empty()) d.type = t.form;
    if (is_8k) {
      d.items = FindItems(d.text);
      for (const auto& it : d.items) {
        if (std::find(t.item_codes.begin(), t.item_codes.end(), it.code) == t.item_codes.end())
          t.item_codes.push_back(it.code);
      }
    }
    PlanSlots(d, harvest);
    t.bytes += d.text.size();
  }
  return t;
}

// ---------------------------------------------------------------------------
// Parties.

struct Party {
  std::string cik;  // no leading zeros
  std::string name;
  bool person = false;
  std::string sic, irs, state_of_inc, fye, street, city, state, zip, phone, file_number;
};

std::string Pick(const std::vector<std::string>& v, Rng& rng, const std::string& fallback) {
  return v.empty() ? fallback : v[rng.Below(v.size())];
}

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng.Below(10)));
  return s;
}

// ---------------------------------------------------------------------------
// Output: gzip stream (zlib) and tar writer.

class GzipFile {
 public:
  bool Open(const std::string& path, int level) {
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) return false;
    std::memset(&z_, 0, sizeof(z_));
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
    gz_header h;
    std::memset(&h, 0, sizeof(h));
    h.os = 3;  // Unix, fixed so the bytes do not depend on the host
    h.time = 0;
    deflateSetHeader(&z_, &h);
    open_ = true;
    return true;
  }
  bool Write(const char* data, size_t n) { return Pump(data, n, Z_NO_FLUSH); }
  bool Close() {
    bool ok = Pump(nullptr, 0, Z_FINISH);
    deflateEnd(&z_);
    open_ = false;
    ok = std::fclose(f_) == 0 && ok;
    f_ = nullptr;
    return ok;
  }
  uint64_t compressed() const { return z_.total_out; }
  ~GzipFile() {
    if (open_) deflateEnd(&z_);
    if (f_) std::fclose(f_);
  }

 private:
  bool Pump(const char* data, size_t n, int flush) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z_.avail_in = static_cast<uInt>(n);
    int rc;
    do {
      z_.next_out = out_;
      z_.avail_out = sizeof(out_);
      rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) return false;
      const size_t have = sizeof(out_) - z_.avail_out;
      if (have && std::fwrite(out_, 1, have, f_) != have) return false;
    } while (z_.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return true;
  }
  FILE* f_ = nullptr;
  z_stream z_;
  bool open_ = false;
  unsigned char out_[1 << 16];
};

void Octal(char* field, size_t width, uint64_t value) {
  // width includes the terminating NUL.
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

std::string TarHeader(const std::string& name, uint64_t size, uint64_t mtime) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 99));
  Octal(&h[100], 8, 0644);
  Octal(&h[108], 8, 0);
  Octal(&h[116], 8, 0);
  Octal(&h[124], 12, size);
  Octal(&h[136], 12, mtime);
  std::memset(&h[148], ' ', 8);
  h[156] = '0';
  std::memcpy(&h[257], "ustar", 6);
  std::memcpy(&h[263], "00", 2);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(&h[148], 8, "%06o", sum);
  h[155] = ' ';
  return h;
}

// ---------------------------------------------------------------------------
// The generator.

struct Options {
  std::string out;
  uint64_t size = 0;
  uint64_t seed = 1;
  absl::CivilDay start{2021, 1, 4};
  double per_day_mb = 256;
  double mutate = 0.3;
  double uuencode_pct = 3.0;
  int gzip_level = 6;
  bool quiet = false;
  std::vector<std::string> templates;
};

struct Planned {
  std::string accession;
  std::string form;
  size_t tmpl;
  std::vector<uint32_t> parties;  // indexes into companies_ (person bit in high bit)
  uint64_t seed;
  size_t estimate;
};

constexpr uint32_t kPersonBit = 0x80000000u;

class Generator {
 public:
  explicit Generator(Options o) : o_(std::move(o)), rng_(o_.seed) {}

  int Run() {
    if (!LoadTemplates()) return 1;
    BuildPools();
    return Generate();
  }

 private:
  bool LoadTemplates() {
    std::vector<fs::path> files;
    for (const auto& root : o_.templates) {
      std::error_code ec;
      if (fs::is_regular_file(root, ec)) {
        files.emplace_back(root);
        continue;
      }
      if (!fs::is_directory(root, ec)) {
        std::fprintf(stderr, "make_corpus: template folder %s: not found\n", root.c_str());
        return false;
      }
      for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    for (const auto& f : files) {
      auto data = ReadFile(f, 32u << 20);
      if (!data) continue;
      auto t = LoadTemplate(f, std::move(*data), harvest_);
      if (t && t->bytes > 0) templates_.push_back(std::move(*t));
    }
    if (templates_.empty()) {
      std::fprintf(stderr, "make_corpus: no usable template filings under the --templates folders\n");
      return false;
    }
    // The vocabulary, most frequent first (ties by spelling).
    std::vector<std::pair<std::string, uint64_t>> words(harvest_.words.begin(), harvest_.words.end());
    std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (words.size() > 200000) words.resize(200000);
    for (auto& w : words) vocab_.push_back(std::move(w.first));
    if (vocab_.empty()) vocab_.push_back("filing");
    zipf_words_ = Zipf(vocab_.size(), 1.0);
    // Templates by root form and by family.
    for (size_t i = 0; i < templates_.size(); ++i) {
      by_root_[RootForm(templates_[i].form)].push_back(i);
      by_family_[templates_[i].family].push_back(i);
    }
    if (!o_.quiet) {
      std::map<std::string, int> forms;
      for (const auto& t : templates_) ++forms[t.form];
      std::fprintf(stderr, "make_corpus: %zu templates, %zu vocabulary words; template forms:", templates_.size(),
                   vocab_.size());
      for (const auto& [f, n] : forms) std::fprintf(stderr, " %s=%d", f.c_str(), n);
      std::fprintf(stderr, "\n");
    }
    return true;
  }

  std::string VocabWordUpper(Rng& rng) {
    std::string w = vocab_[zipf_words_.Sample(rng)];
    for (char& c : w) c = Upper(c);
    return w;
  }

  void BuildPools() {
    // Name pieces harvested from template headers.
    std::vector<std::string> pieces, suffixes, person_pieces;
    auto split = [](const std::string& name) {
      std::vector<std::string> out;
      std::string cur;
      for (char c : name) {
        if (c == ' ') {
          if (!cur.empty()) out.push_back(cur);
          cur.clear();
        } else {
          cur.push_back(c);
        }
      }
      if (!cur.empty()) out.push_back(cur);
      return out;
    };
    for (const auto& n : harvest_.company_names) {
      auto w = split(n);
      if (w.size() >= 2) {
        suffixes.push_back(w.back());
        w.pop_back();
      }
      for (auto& x : w) pieces.push_back(x);
    }
    for (const auto& n : harvest_.person_names) {
      for (auto& x : split(n)) person_pieces.push_back(x);
    }
    for (auto* v : {&pieces, &suffixes, &person_pieces, &harvest_.streets, &harvest_.cities, &harvest_.states,
                    &harvest_.zips, &harvest_.sics, &harvest_.agents}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    static const char* const kFye[] = {"1231", "1231", "1231", "1231", "1231", "1231", "0630", "0930", "0331", "0131"};
    std::set<uint64_t> used;
    auto new_cik = [&](int64_t lo, int64_t hi) {
      for (;;) {
        const uint64_t c = static_cast<uint64_t>(rng_.Range(lo, hi));
        if (used.insert(c).second) return std::to_string(c);
      }
    };
    const size_t n_companies = 40000, n_people = 30000;
    companies_.reserve(n_companies);
    for (size_t i = 0; i < n_companies; ++i) {
      Party p;
      p.cik = new_cik(i % 5 == 0 ? 1000 : 700000, i % 5 == 0 ? 999999 : 2099999);
      const int nwords = 1 + static_cast<int>(rng_.Below(3));
      for (int k = 0; k < nwords; ++k) {
        if (!p.name.empty()) p.name += ' ';
        p.name += (!pieces.empty() && rng_.Chance(0.5)) ? pieces[rng_.Below(pieces.size())] : VocabWordUpper(rng_);
      }
      p.name += ' ';
      p.name += Pick(suffixes, rng_, "INC");
      for (char& c : p.name) c = Upper(c);  // conformed names are upper case
      p.name = Sanitize(p.name);
      p.sic = Pick(harvest_.sics, rng_, std::to_string(1000 + rng_.Below(8000)));
      p.irs = Digits(rng_, 9);
      p.state_of_inc = rng_.Chance(0.55) ? "DE" : Pick(harvest_.states, rng_, "NY");
      p.fye = kFye[rng_.Below(10)];
      p.street = std::to_string(1 + rng_.Below(9999)) + " " + VocabWordUpper(rng_) + " " +
                 (rng_.Chance(0.5) ? "STREET" : "AVENUE");
      p.city = Pick(harvest_.cities, rng_, "NEW YORK");
      p.state = Pick(harvest_.states, rng_, "NY");
      p.zip = Digits(rng_, 5);
      p.phone = Digits(rng_, 3) + "-" + Digits(rng_, 3) + "-" + Digits(rng_, 4);
      p.file_number = "001-" + Digits(rng_, 5);
      companies_.push_back(std::move(p));
    }
    people_.reserve(n_people);
    for (size_t i = 0; i < n_people; ++i) {
      Party p;
      p.person = true;
      p.cik = new_cik(1100000, 2099999);
      for (int k = 0; k < 3; ++k) {
        if (k == 2 && rng_.Chance(0.5)) break;
        if (!p.name.empty()) p.name += ' ';
        p.name += person_pieces.size() >= 8 && rng_.Chance(0.7) ? person_pieces[rng_.Below(person_pieces.size())]
                                                                 : VocabWordUpper(rng_);
      }
      for (char& c : p.name) c = Upper(c);
      p.name = Sanitize(p.name);
      p.street = std::to_string(1 + rng_.Below(9999)) + " " + VocabWordUpper(rng_) + " ROAD";
      p.city = Pick(harvest_.cities, rng_, "NEW YORK");
      p.state = Pick(harvest_.states, rng_, "NY");
      p.zip = Digits(rng_, 5);
      people_.push_back(std::move(p));
    }
    zipf_companies_ = Zipf(companies_.size(), 0.8);
    zipf_people_ = Zipf(people_.size(), 0.6);
    agents_ = harvest_.agents;
    for (const auto& f : kFormMix) {
      if (std::string_view(f.form) != "*") form_mix_.Add(f.form, f.percent);
    }
    for (const auto& f : kFormMix) {
      if (std::string_view(f.form) == "*") {
        const size_t n = sizeof(kOtherForms) / sizeof(kOtherForms[0]);
        for (const char* o : kOtherForms) form_mix_.Add(o, f.percent / static_cast<double>(n));
      }
    }
  }

  const Party& PartyOf(uint32_t id) const {
    return (id & kPersonBit) ? people_[id & ~kPersonBit] : companies_[id];
  }

  size_t ChooseTemplate(const std::string& form, Rng& rng) {
    auto it = by_root_.find(RootForm(form));
    if (it != by_root_.end()) return it->second[rng.Below(it->second.size())];
    auto fam = by_family_.find(FamilyOf(form));
    if (fam != by_family_.end()) return fam->second[rng.Below(fam->second.size())];
    return rng.Below(templates_.size());
  }

  static bool IsOwnership(const std::string& root) { return root == "3" || root == "4" || root == "5"; }
  static bool IsSchedule(const std::string& root) { return root.rfind("SC 13", 0) == 0 || root.rfind("SC TO", 0) == 0; }

  // Plans one filing of `day` (metadata only).
  Planned Plan(absl::CivilDay day) {
    Planned p;
    p.form = form_mix_.Pick(rng_);
    const std::string root = RootForm(p.form);
    p.tmpl = ChooseTemplate(p.form, rng_);
    p.seed = rng_.Next();
    const uint32_t company = static_cast<uint32_t>(zipf_companies_.Sample(rng_));
    if (IsOwnership(root)) {
      const uint32_t owner = static_cast<uint32_t>(zipf_people_.Sample(rng_)) | kPersonBit;
      p.parties = {owner, company};
    } else if (IsSchedule(root)) {
      uint32_t filer = static_cast<uint32_t>(zipf_companies_.Sample(rng_));
      if (filer == company) filer = (filer + 1) % static_cast<uint32_t>(companies_.size());
      p.parties = {company, rng_.Chance(0.3) ? (static_cast<uint32_t>(zipf_people_.Sample(rng_)) | kPersonBit)
                                             : filer};
    } else {
      p.parties = {company};
    }
    // Accession: a filing agent's CIK or the filer's own, then the year and
    // the submitter's running sequence number.
    std::string prefix;
    if (!agents_.empty() && rng_.Chance(0.6)) {
      prefix = agents_[rng_.Below(agents_.size())];
    } else {
      const Party& self = PartyOf(IsSchedule(root) ? p.parties[1] : p.parties[0]);
      char buf[16];
      std::snprintf(buf, sizeof(buf), "%010llu", std::strtoull(self.cik.c_str(), nullptr, 10));
      prefix = buf;
    }
    const int yy = static_cast<int>(day.year() % 100);
    uint64_t& seq = sequence_[prefix + std::to_string(yy)];
    seq += 1 + (rng_.Chance(0.2) ? rng_.Below(5) : 0);
    char acc[32];
    std::snprintf(acc, sizeof(acc), "%s-%02d-%06llu", prefix.c_str(), yy, static_cast<unsigned long long>(seq % 1000000));
    p.accession = acc;
    p.estimate = templates_[p.tmpl].bytes + 1500;
    return p;
  }

  std::string Ymd(absl::CivilDay d) const {
    char b[16];
    std::snprintf(b, sizeof(b), "%04d%02d%02d", static_cast<int>(d.year()), d.month(), d.day());
    return b;
  }

  void PartyBlock(std::string& out, const char* role, const Party& p, const std::string& form, Rng& rng,
                  bool with_values) {
    out += "<"; out += role; out += ">\n";
    if (p.person) {
      out += "<OWNER-DATA>\n<CONFORMED-NAME>" + p.name + "\n<CIK>" + Padded(p.cik) + "\n</OWNER-DATA>\n";
    } else {
      out += "<COMPANY-DATA>\n<CONFORMED-NAME>" + p.name + "\n<CIK>" + Padded(p.cik) + "\n<ASSIGNED-SIC>" + p.sic +
             "\n<IRS-NUMBER>" + p.irs + "\n<STATE-OF-INCORPORATION>" + p.state_of_inc + "\n<FISCAL-YEAR-END>" +
             p.fye + "\n</COMPANY-DATA>\n";
    }
    if (with_values) {
      const std::string fam = FamilyOf(form);
      const bool act33 = fam == "offering";
      out += "<FILING-VALUES>\n<FORM-TYPE>" + form + "\n<ACT>" + (act33 ? "33" : "34") + "\n<FILE-NUMBER>" +
             (act33 ? "333-" + Digits(rng, 6) : (p.person ? "001-" + Digits(rng, 5) : p.file_number)) +
             "\n<FILM-NUMBER>" + Digits(rng, 8) + "\n</FILING-VALUES>\n";
    }
    if (!p.person) {
      out += "<BUSINESS-ADDRESS>\n<STREET1>" + p.street + "\n<CITY>" + p.city + "\n<STATE>" + p.state + "\n<ZIP>" +
             p.zip + "\n<PHONE>" + p.phone + "\n</BUSINESS-ADDRESS>\n";
    }
    out += "<MAIL-ADDRESS>\n<STREET1>" + p.street + "\n<CITY>" + p.city + "\n<STATE>" + p.state + "\n<ZIP>" + p.zip +
           "\n</MAIL-ADDRESS>\n";
    out += "</"; out += role; out += ">\n";
  }

  static std::string Padded(const std::string& cik) {
    return std::string(cik.size() < 10 ? 10 - cik.size() : 0, '0') + cik;
  }

  std::string PickItem(bool old_era, absl::CivilDay day, Rng& rng, const std::set<std::string>& used) {
    Weighted<std::string> w;
    if (old_era) {
      const bool has_11_12 = day >= absl::CivilDay(2003, 7, 28);
      for (const auto& i : kOldItems) {
        const std::string c = i.code;
        if ((c == "11" || c == "12") && !has_11_12) continue;
        if (!used.count(c)) w.Add(c, i.weight);
      }
    } else {
      const bool has_105 = day >= absl::CivilDay(2023, 12, 18);
      for (const auto& i : kNewItems) {
        const std::string c = i.code;
        if (c == "1.05" && !has_105) continue;
        if (!used.count(c)) w.Add(c, i.weight);
      }
    }
    return w.empty() ? std::string(old_era ? "5" : "8.01") : w.Pick(rng);
  }

  // Writes the filing into out_ (header, mutated documents, attachments);
  // returns its 8-K items.
  void Build(const Planned& p, absl::CivilDay day) {
    Rng rng(p.seed);
    const Template& t = templates_[p.tmpl];
    const std::string root = RootForm(p.form);
    const bool old_era = day < absl::CivilDay(2004, 8, 23);
    // 8-K items: relabel the template's item codes for this filing.
    std::map<std::string, std::string> relabel;
    std::vector<std::string> items;
    if (root == "8-K") {
      std::set<std::string> used;
      const std::string exhibits = old_era ? "7" : "9.01";
      for (const auto& c : t.item_codes) {
        std::string to = (c == "9.01" || c == "7") ? exhibits : PickItem(old_era, day, rng, used);
        used.insert(to);
        relabel[c] = to;
      }
      if (relabel.empty()) {
        used.insert(PickItem(old_era, day, rng, used));
        if (rng.Chance(0.5)) used.insert(exhibits);
      }
      items.assign(used.begin(), used.end());
      std::sort(items.begin(), items.end(), [](const std::string& a, const std::string& b) {
        return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr);
      });
    }
    // Acceptance time (Eastern): 06:00-17:30, or for forms that may be filed
    // until 22:00 (3/4/5, SC 13D/G), up to 22:00; a few filings accepted
    // after 17:30 on the previous business day carry this filing date.
    const bool late_ok = IsOwnership(root) || root.rfind("SC 13", 0) == 0;
    absl::CivilDay accept_day = day;
    int secs;
    if (late_ok) {
      secs = static_cast<int>(rng.Range(6 * 3600, 22 * 3600 - 1));
    } else if (rng.Chance(0.08)) {
      accept_day = day - 1;
      while (!edgarix::fetch::IsBusinessDay(accept_day)) accept_day -= 1;
      secs = static_cast<int>(rng.Range(17 * 3600 + 1800, 22 * 3600 - 1));
    } else {
      secs = static_cast<int>(rng.Range(6 * 3600, 17 * 3600 + 1799));
    }
    char accepted[32];
    std::snprintf(accepted, sizeof(accepted), "%s%02d%02d%02d", Ymd(accept_day).c_str(), secs / 3600,
                  secs / 60 % 60, secs % 60);
    const bool attach = rng.Chance(o_.uuencode_pct / 100.0);
    const size_t ndocs = t.docs.size() + (attach ? 1 : 0);

    std::string& out = out_;
    out.clear();
    out += "<SUBMISSION>\n<ACCEPTANCE-DATETIME>";
    out += accepted;
    out += "\n<ACCESSION-NUMBER>" + p.accession + "\n<TYPE>" + p.form + "\n<PUBLIC-DOCUMENT-COUNT>" +
           std::to_string(ndocs) + "\n";
    // Period of report.
    absl::CivilDay period = day;
    bool has_period = true;
    if (root == "10-K" || root == "20-F" || root == "40-F") {
      period = absl::CivilDay(day.year() - 1, 12, 31);
    } else if (root == "10-Q" || root == "13F-HR" || root == "N-CSR" || root == "10-D") {
      const int q = (day.month() - 1) / 3;  // previous quarter end
      period = q == 0 ? absl::CivilDay(day.year() - 1, 12, 31) : absl::CivilDay(day.year(), q * 3 + 1, 1) - 1;
    } else if (root == "8-K" || IsOwnership(root) || root == "6-K" || root.rfind("SC 13", 0) == 0) {
      period = day - static_cast<int>(rng.Below(root == "8-K" ? 5 : 3));
    } else {
      has_period = false;
    }
    if (has_period) out += "<PERIOD>" + Ymd(period) + "\n";
    for (const auto& it : items) out += "<ITEMS>" + it + "\n";
    const std::string ymd = Ymd(day);
    out += "<FILING-DATE>" + ymd + "\n<DATE-OF-FILING-DATE-CHANGE>" + ymd + "\n";
    if (IsOwnership(root)) {
      PartyBlock(out, "REPORTING-OWNER", PartyOf(p.parties[0]), p.form, rng, true);
      PartyBlock(out, "ISSUER", PartyOf(p.parties[1]), p.form, rng, false);
    } else if (IsSchedule(root)) {
      PartyBlock(out, "SUBJECT-COMPANY", PartyOf(p.parties[0]), p.form, rng, true);
      PartyBlock(out, "FILED-BY", PartyOf(p.parties[1]), p.form, rng, false);
    } else {
      PartyBlock(out, "FILER", PartyOf(p.parties[0]), p.form, rng, true);
    }
    // Documents.
    int seq = 0;
    for (const auto& d : t.docs) {
      ++seq;
      std::string type = d.type;
      if (seq == 1 || type == t.form) type = p.form;
      out += "<DOCUMENT>\n<TYPE>" + type + "\n<SEQUENCE>" + std::to_string(seq) + "\n<FILENAME>" +
             VaryName(d.filename, rng) + "\n";
      if (!d.description.empty()) out += "<DESCRIPTION>" + d.description + "\n";
      out += "<TEXT>\n";
      Mutate(d, relabel, rng, out);
      out += "\n</TEXT>\n</DOCUMENT>\n";
    }
    if (attach) {
      ++seq;
      const char* ext = rng.Chance(0.7) ? "jpg" : (rng.Chance(0.5) ? "gif" : "pdf");
      const std::string name = "g" + Digits(rng, 6) + "." + ext;
      out += "<DOCUMENT>\n<TYPE>" + std::string(std::strcmp(ext, "pdf") == 0 ? "PDF" : "GRAPHIC") +
             "\n<SEQUENCE>" + std::to_string(seq) + "\n<FILENAME>" + name + "\n<TEXT>\n";
      // Log-uniform 4 KB .. 256 KB of random bytes.
      const size_t bytes = static_cast<size_t>(4096.0 * std::pow(64.0, rng.Unit()));
      UuEncode(name, bytes, rng, out);
      out += "</TEXT>\n</DOCUMENT>\n";
      ++attachments_;
    }
    out += "</SUBMISSION>\n";
  }

  // A template file name with its digits replaced, so names vary.
  static std::string VaryName(const std::string& name, Rng& rng) {
    std::string n = name.empty() ? "d" + Digits(rng, 6) + ".txt" : name;
    for (char& c : n) {
      if (IsDigit(c)) c = static_cast<char>('0' + rng.Below(10));
    }
    return n;
  }

  void Mutate(const TemplateDoc& d, const std::map<std::string, std::string>& relabel, Rng& rng, std::string& out) {
    const std::string_view s = d.text;
    size_t pos = 0;
    size_t ii = 0;
    const double p = o_.mutate;
    // Gap to the next replaced slot: geometric with parameter p.
    const double lg = p > 0 && p < 1 ? std::log(1.0 - p) : 0;
    auto gap = [&]() -> size_t {
      if (p <= 0) return SIZE_MAX;
      if (p >= 1) return 0;
      const double u = 1.0 - rng.Unit();  // (0, 1]
      return static_cast<size_t>(std::log(u) / lg);
    };
    size_t next = gap();
    auto flush_items_before = [&](size_t limit) {
      while (ii < d.items.size() && d.items[ii].start < limit) {
        const auto& it = d.items[ii++];
        if (it.start < pos) continue;
        auto r = relabel.find(it.code);
        if (r == relabel.end()) continue;
        out.append(s.data() + pos, it.start - pos);
        out += r->second;
        pos = it.start + it.len;
      }
    };
    for (size_t k = next; k < d.slots.size(); k += 1 + gap()) {
      const Slot& sl = d.slots[k];
      flush_items_before(sl.start);
      if (sl.start < pos) continue;
      out.append(s.data() + pos, sl.start - pos);
      const std::string& w = vocab_[zipf_words_.Sample(rng)];
      const size_t at = out.size();
      out += w;
      if (sl.capitalized) out[at] = Upper(out[at]);
      pos = sl.start + sl.len;
    }
    flush_items_before(SIZE_MAX);
    out.append(s.data() + pos, s.size() - pos);
  }

  static void UuEncode(const std::string& name, size_t bytes, Rng& rng, std::string& out) {
    out += "begin 644 " + name + "\n";
    auto enc = [](unsigned v) { return static_cast<char>(v ? 32 + v : '`'); };
    unsigned char buf[45];
    size_t left = bytes;
    while (left > 0) {
      const size_t n = std::min<size_t>(45, left);
      for (size_t i = 0; i < n; i += 8) {
        uint64_t r = rng.Next();
        for (size_t j = i; j < std::min(n, i + 8); ++j, r >>= 8) buf[j] = static_cast<unsigned char>(r);
      }
      for (size_t i = n; i < 45; ++i) buf[i] = 0;
      out.push_back(enc(static_cast<unsigned>(n)));
      for (size_t i = 0; i < n; i += 3) {
        const unsigned v = (buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2];
        out.push_back(enc((v >> 18) & 63));
        out.push_back(enc((v >> 12) & 63));
        out.push_back(enc((v >> 6) & 63));
        out.push_back(enc(v & 63));
      }
      out.push_back('\n');
      left -= n;
    }
    out += "`\nend\n";
  }

  struct IndexRow {
    std::string cik, name, form, accession;
  };

  static std::string MasterIndex(std::vector<IndexRow>& rows, absl::CivilDay day, const std::string& ymd) {
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::sort(rows.begin(), rows.end(), [](const IndexRow& a, const IndexRow& b) {
      return std::tie(a.cik, a.form, a.accession) < std::tie(b.cik, b.form, b.accession);
    });
    char last[64];
    std::snprintf(last, sizeof(last), "%s %2d, %04d", kMonths[day.month() - 1], day.day(), static_cast<int>(day.year()));
    std::string s = "Description:           Daily Index of EDGAR Dissemination Feed\n";
    s += "Last Data Received:    " + std::string(last) + "\n";
    s += "Comments:              webmaster@sec.gov\n";
    s += "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n";
    s += "CIK|Company Name|Form Type|Date Filed|File Name\n";
    s += std::string(80, '-') + "\n";
    for (const auto& r : rows) {
      s += r.cik + "|" + r.name + "|" + r.form + "|" + ymd + "|edgar/data/" + r.cik + "/" + r.accession + ".txt\n";
    }
    return s;
  }

  static bool WriteWhole(const fs::path& path, const std::string& data) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    const fs::path tmp = path.string() + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
    if (std::fclose(f) != 0 || !ok) return false;
    fs::rename(tmp, path, ec);
    return !ec;
  }

  int Generate() {
    const fs::path base = fs::path(o_.out) / "Archives" / "edgar";
    const uint64_t per_day = static_cast<uint64_t>(o_.per_day_mb * 1024 * 1024);
    uint64_t total = 0, total_gz = 0, filings = 0;
    size_t ndays = 0;
    std::map<std::string, uint64_t> form_counts;
    std::string days_json;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    absl::CivilDay day = o_.start;
    while (total < o_.size) {
      while (!edgarix::fetch::IsBusinessDay(day)) day += 1;
      // Plan the day: metadata until the day's (estimated) bytes are reached.
      std::vector<Planned> plan;
      uint64_t planned = 0;
      const uint64_t quota = std::min<uint64_t>(per_day, o_.size - total);
      // A filing that would overshoot the quota by more than the slack is
      // drawn again (up to 20 times), so small sizes stay close to the target.
      const uint64_t slack = std::max<uint64_t>(quota / 20, 64 * 1024);
      while (planned < quota) {
        Planned p = Plan(day);
        for (int tries = 0; planned + p.estimate > quota + slack && tries < 20; ++tries) p = Plan(day);
        planned += p.estimate;
        plan.push_back(std::move(p));
      }
      std::sort(plan.begin(), plan.end(), [](const Planned& a, const Planned& b) { return a.accession < b.accession; });
      plan.erase(std::unique(plan.begin(), plan.end(),
                             [](const Planned& a, const Planned& b) { return a.accession == b.accession; }),
                 plan.end());
      const std::string ymd = Ymd(day);
      const fs::path feed = base / edgarix::fetch::FeedArchivePath(day);
      std::error_code ec;
      fs::create_directories(feed.parent_path(), ec);
      const std::string tmp = feed.string() + ".tmp";
      GzipFile gz;
      if (!gz.Open(tmp, o_.gzip_level)) {
        std::fprintf(stderr, "make_corpus: cannot write %s: %s\n", tmp.c_str(), std::strerror(errno));
        return 1;
      }
      const uint64_t mtime = static_cast<uint64_t>((day - absl::CivilDay(1970, 1, 1))) * 86400;
      std::vector<IndexRow> rows;
      uint64_t day_bytes = 0, tar_bytes = 0;
      bool ok = true;
      for (const auto& p : plan) {
        Build(p, day);
        const std::string h = TarHeader(p.accession + ".nc", out_.size(), mtime);
        ok = ok && gz.Write(h.data(), h.size()) && gz.Write(out_.data(), out_.size());
        const size_t pad = (512 - out_.size() % 512) % 512;
        static const char zeros[512] = {};
        ok = ok && gz.Write(zeros, pad);
        tar_bytes += 512 + out_.size() + pad;
        day_bytes += out_.size();
        ++form_counts[p.form];
        for (uint32_t id : p.parties) {
          const Party& party = PartyOf(id);
          rows.push_back({party.cik, party.name, p.form, p.accession});
        }
      }
      // End of archive: two zero blocks, padded to a 10240-byte record.
      static const char zeros[10240] = {};
      tar_bytes += 1024;
      ok = ok && gz.Write(zeros, 1024) && gz.Write(zeros, (10240 - tar_bytes % 10240) % 10240);
      ok = gz.Close() && ok;
      const uint64_t gz_bytes = fs::file_size(tmp, ec);
      fs::rename(tmp, feed, ec);
      if (!ok || ec) {
        std::fprintf(stderr, "make_corpus: writing %s failed\n", feed.c_str());
        return 1;
      }
      const fs::path idx = base / edgarix::fetch::DailyIndexPath(day, "master");
      if (!WriteWhole(idx, MasterIndex(rows, day, ymd))) {
        std::fprintf(stderr, "make_corpus: cannot write %s\n", idx.c_str());
        return 1;
      }
      total += day_bytes;
      total_gz += gz_bytes;
      filings += plan.size();
      ++ndays;
      char buf[512];
      std::snprintf(buf, sizeof(buf),
                    "%s\n    {\"date\": \"%s\", \"filings\": %zu, \"index_rows\": %zu, \"bytes\": %llu, "
                    "\"gz_bytes\": %llu, \"feed\": \"Archives/edgar/%s\", \"index\": \"Archives/edgar/%s\"}",
                    days_json.empty() ? "" : ",", edgarix::fetch::FormatDay(day).c_str(), plan.size(), rows.size(),
                    static_cast<unsigned long long>(day_bytes), static_cast<unsigned long long>(gz_bytes),
                    edgarix::fetch::FeedArchivePath(day).c_str(), edgarix::fetch::DailyIndexPath(day, "master").c_str());
      days_json += buf;
      if (!o_.quiet) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "make_corpus: %s %zu filings, %.1f MB (%.1f MB gz); total %.1f MB, %.1f MB/s\n",
                     ymd.c_str(), plan.size(), day_bytes / 1048576.0, gz_bytes / 1048576.0, total / 1048576.0,
                     total / 1048576.0 / std::max(s, 1e-9));
      }
      day += 1;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    // corpus.json: what was written (deterministic: no times).
    std::string forms_json;
    for (const auto& [f, n] : form_counts) {
      forms_json += (forms_json.empty() ? "" : ", ") + ("\"" + f + "\": " + std::to_string(n));
    }
    std::string json = "{\n  \"generator\": \"make_corpus\",\n  \"seed\": " + std::to_string(o_.seed) +
                       ",\n  \"requested_bytes\": " + std::to_string(o_.size) + ",\n  \"bytes\": " +
                       std::to_string(total) + ",\n  \"gz_bytes\": " + std::to_string(total_gz) +
                       ",\n  \"filings\": " + std::to_string(filings) + ",\n  \"uuencoded_attachments\": " +
                       std::to_string(attachments_) + ",\n  \"templates\": " + std::to_string(templates_.size()) +
                       ",\n  \"vocabulary\": " + std::to_string(vocab_.size()) + ",\n  \"forms\": {" + forms_json +
                       "},\n  \"days\": [" + days_json + "\n  ]\n}\n";
    if (!WriteWhole(fs::path(o_.out) / "corpus.json", json)) {
      std::fprintf(stderr, "make_corpus: cannot write %s/corpus.json\n", o_.out.c_str());
      return 1;
    }
    // Generation only (templates loaded before t0); MB = 2^20 bytes.
    std::printf(
        "{\"bytes\": %llu, \"gz_bytes\": %llu, \"filings\": %llu, \"days\": %zu, \"load_cpu_seconds\": %.3f, "
        "\"seconds\": %.3f, \"cpu_seconds\": %.3f, \"mb_per_s\": %.1f, \"cpu_mb_per_s\": %.1f}\n",
        static_cast<unsigned long long>(total), static_cast<unsigned long long>(total_gz),
        static_cast<unsigned long long>(filings), ndays, static_cast<double>(c0) / CLOCKS_PER_SEC, secs, cpu,
        total / 1048576.0 / std::max(secs, 1e-9), total / 1048576.0 / std::max(cpu, 1e-9));
    return 0;
  }

  Options o_;
  Rng rng_;
  Harvest harvest_;
  std::vector<Template> templates_;
  std::vector<std::string> vocab_;
  Zipf zipf_words_, zipf_companies_, zipf_people_;
  std::map<std::string, std::vector<size_t>> by_root_, by_family_;
  std::vector<Party> companies_, people_;
  std::vector<std::string> agents_;
  Weighted<std::string> form_mix_;
  std::unordered_map<std::string, uint64_t> sequence_;
  std::string out_;
  uint64_t attachments_ = 0;
};

// "100M", "1G", "2.5G", "512K", "1000" (bytes).
std::optional<uint64_t> ParseSize(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || v <= 0) return std::nullopt;
  std::string suffix(end);
  for (char& c : suffix) c = Upper(c);
  if (!suffix.empty() && suffix.back() == 'B') suffix.pop_back();
  if (!suffix.empty() && suffix.back() == 'I') suffix.pop_back();
  double mult = 1;
  if (suffix == "K") mult = 1024.0;
  else if (suffix == "M") mult = 1024.0 * 1024;
  else if (suffix == "G") mult = 1024.0 * 1024 * 1024;
  else if (suffix == "T") mult = 1024.0 * 1024 * 1024 * 1024;
  else if (!suffix.empty()) return std::nullopt;
  return static_cast<uint64_t>(v * mult);
}

int Usage(const char* msg) {
  if (msg) std::fprintf(stderr, "make_corpus: %s\n", msg);
  std::fprintf(stderr,
               "usage: make_corpus --out DIR --size SIZE --templates DIR [DIR...] [--seed N]\n"
               "                   [--start YYYY-MM-DD] [--per-day-mb M] [--mutate F] [--uuencode-pct P]\n"
               "                   [--gzip-level L] [--quiet]\n"
               "SIZE is uncompressed filing bytes with an optional K, M or G suffix (powers of 1024).\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool have_size = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (a == "--quiet") {
      o.quiet = true;
      continue;
    }
    if (a == "--help" || a == "-h") return Usage(nullptr), 0;
    if (a == "--templates") {
      while (i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0) o.templates.emplace_back(argv[++i]);
      if (o.templates.empty()) return Usage("--templates needs at least one folder");
      continue;
    }
    auto v = value();
    if (!v) return Usage((a + " needs a value").c_str());
    char* end = nullptr;
    if (a == "--out") {
      o.out = *v;
    } else if (a == "--size") {
      auto s = ParseSize(*v);
      if (!s) return Usage(("bad --size " + *v + " (want e.g. 100M, 1G)").c_str());
      o.size = *s;
      have_size = true;
    } else if (a == "--seed") {
      o.seed = std::strtoull(v->c_str(), &end, 10);
      if (*end) return Usage(("bad --seed " + *v).c_str());
    } else if (a == "--start") {
      auto d = edgarix::fetch::ParseDay(*v);
      if (!d.ok()) return Usage(("bad --start " + *v + " (want YYYY-MM-DD)").c_str());
      o.start = *d;
    } else if (a == "--per-day-mb") {
      o.per_day_mb = std::strtod(v->c_str(), &end);
      if (*end || o.per_day_mb <= 0) return Usage(("bad --per-day-mb " + *v).c_str());
    } else if (a == "--mutate") {
      o.mutate = std::strtod(v->c_str(), &end);
      if (*end || o.mutate < 0 || o.mutate > 1) return Usage(("bad --mutate " + *v + " (0..1)").c_str());
    } else if (a == "--uuencode-pct") {
      o.uuencode_pct = std::strtod(v->c_str(), &end);
      if (*end || o.uuencode_pct < 0 || o.uuencode_pct > 100) return Usage(("bad --uuencode-pct " + *v).c_str());
    } else if (a == "--gzip-level") {
      o.gzip_level = static_cast<int>(std::strtol(v->c_str(), &end, 10));
      if (*end || o.gzip_level < 1 || o.gzip_level > 9) return Usage(("bad --gzip-level " + *v + " (1..9)").c_str());
    } else {
      return Usage(("unknown option " + a).c_str());
    }
  }
  if (o.out.empty()) return Usage("--out is required");
  if (!have_size) return Usage("--size is required");
  if (o.templates.empty()) return Usage("--templates is required");
  return Generator(std::move(o)).Run();
}
