// The cover page of a bare document: form, registrant, IRS number, state,
// commission file number, address, date of report, filing date.

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "re2/re2.h"
#include "sections.h"

namespace edgarix::parse {
namespace {

inline char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

struct StateName {
  std::string_view name;
  std::string_view code;
};

constexpr StateName kStates[] = {
    {"alabama", "AL"},        {"alaska", "AK"},         {"arizona", "AZ"},
    {"arkansas", "AR"},       {"california", "CA"},     {"colorado", "CO"},
    {"connecticut", "CT"},    {"delaware", "DE"},       {"florida", "FL"},
    {"georgia", "GA"},        {"hawaii", "HI"},         {"idaho", "ID"},
    {"illinois", "IL"},       {"indiana", "IN"},        {"iowa", "IA"},
    {"kansas", "KS"},         {"kentucky", "KY"},       {"louisiana", "LA"},
    {"maine", "ME"},          {"maryland", "MD"},       {"massachusetts", "MA"},
    {"michigan", "MI"},       {"minnesota", "MN"},      {"mississippi", "MS"},
    {"missouri", "MO"},       {"montana", "MT"},        {"nebraska", "NE"},
    {"nevada", "NV"},         {"new hampshire", "NH"},  {"new jersey", "NJ"},
    {"new mexico", "NM"},     {"new york", "NY"},       {"north carolina", "NC"},
    {"north dakota", "ND"},   {"ohio", "OH"},           {"oklahoma", "OK"},
    {"oregon", "OR"},         {"pennsylvania", "PA"},   {"rhode island", "RI"},
    {"south carolina", "SC"}, {"south dakota", "SD"},   {"tennessee", "TN"},
    {"texas", "TX"},          {"utah", "UT"},           {"vermont", "VT"},
    {"virginia", "VA"},       {"washington", "WA"},     {"west virginia", "WV"},
    {"wisconsin", "WI"},      {"wyoming", "WY"},        {"district of columbia", "DC"},
    {"puerto rico", "PR"},    {"guam", "GU"},           {"us virgin islands", "VI"},
    {"virgin islands", "VI"}, {"american samoa", "AS"}, {"northern mariana islands", "MP"},
};

// Lower-cased, punctuation to spaces, whitespace collapsed, trimmed.
std::string Key(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c)) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(Lower(c));
    } else if (c == '.' && !out.empty() && out.size() <= 2) {
      // "U.S." -> "us"
    } else {
      space = true;
    }
  }
  return out;
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

size_t FindNoCase(std::string_view hay, std::string_view needle_lower) {
  if (needle_lower.size() > hay.size()) return std::string_view::npos;
  for (size_t i = 0; i + needle_lower.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle_lower.size() && Lower(hay[i + k]) == needle_lower[k]) ++k;
    if (k == needle_lower.size()) return i;
  }
  return std::string_view::npos;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  // A no-break space (UTF-8) at either end.
  while (e - b >= 2 && static_cast<unsigned char>(s[b]) == 0xC2 &&
         static_cast<unsigned char>(s[b + 1]) == 0xA0) {
    b += 2;
  }
  while (e - b >= 2 && static_cast<unsigned char>(s[e - 2]) == 0xC2 &&
         static_cast<unsigned char>(s[e - 1]) == 0xA0) {
    e -= 2;
  }
  return s.substr(b, e - b);
}

std::string Collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() &&
        static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      space = true;
      ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// A line of only rule characters ("-----", "_____", "=====").
bool IsRule(std::string_view line) {
  if (line.empty()) return false;
  for (char c : line) {
    if (c != '-' && c != '_' && c != '=' && c != '*' && !IsSpace(c)) return false;
  }
  return true;
}

// Cells of a line: split at tabs and at runs of two or more spaces.
std::vector<std::string_view> Cells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i >= n) break;
    size_t j = i;
    while (j < n) {
      if (line[j] == '\t') break;
      if (line[j] == ' ' && j + 1 < n && (line[j + 1] == ' ' || line[j + 1] == '\t')) break;
      ++j;
    }
    std::string_view cell = Trim(line.substr(i, j - i));
    if (!cell.empty()) cells.push_back(cell);
    i = j;
  }
  return cells;
}

const RE2& DateRe() {
  static const RE2 re(
      "(?i)\\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
      "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?\\s*(\\d{1,2})"
      "(?:st|nd|rd|th)?\\s*,?\\s*(\\d{4})\\b");
  return re;
}

const RE2& NumericDateRe() {
  static const RE2 re("\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})\\b");
  return re;
}

int MonthNumber(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  const char a = Lower(name[0]);
  const char b = Lower(name[1]);
  const char c = Lower(name[2]);
  for (int i = 0; i < 12; ++i) {
    if (kMonths[i][0] == a && kMonths[i][1] == b && kMonths[i][2] == c) return i + 1;
  }
  return 0;
}

std::string Iso(int year, int month, int day) {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return {};
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) return {};
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
  return buf;
}

// The first date written in `text` as ISO, or empty.
std::string FindDate(std::string_view text) {
  re2::StringPiece in(text.data(), text.size());
  std::string month;
  int day = 0;
  int year = 0;
  std::string best;
  size_t best_pos = std::string_view::npos;
  re2::StringPiece m[4];
  if (DateRe().Match(in, 0, in.size(), RE2::UNANCHORED, m, 4)) {
    day = std::atoi(std::string(m[2].data(), m[2].size()).c_str());
    year = std::atoi(std::string(m[3].data(), m[3].size()).c_str());
    best = Iso(year, MonthNumber(std::string_view(m[1].data(), m[1].size())), day);
    if (!best.empty()) best_pos = static_cast<size_t>(m[0].data() - text.data());
  }
  if (NumericDateRe().Match(in, 0, in.size(), RE2::UNANCHORED, m, 4)) {
    const size_t pos = static_cast<size_t>(m[0].data() - text.data());
    if (pos < best_pos) {
      const int mo = std::atoi(std::string(m[1].data(), m[1].size()).c_str());
      day = std::atoi(std::string(m[2].data(), m[2].size()).c_str());
      year = std::atoi(std::string(m[3].data(), m[3].size()).c_str());
      std::string iso = Iso(year, mo, day);
      if (!iso.empty()) best = iso;
    }
  }
  return best;
}

const RE2& IrsRe() {
  static const RE2 re("(?:^|[^\\d-])(\\d{2})\\s?-\\s?(\\d{7})(?:$|[^\\d])");
  return re;
}

const RE2& FileNumberRe() {
  static const RE2 re("(?:^|[^\\d-])(\\d{1,3}-\\d{3,6}(?:-\\d{2})?)(?:$|[^\\d-])");
  return re;
}

const RE2& FormRe() {
  static const RE2 re(
      "(?i)^form[\\s]*((?:[0-9]{1,2}|[a-z]{1,3})-[0-9a-z]{1,6}(?:-[0-9a-z]+)?(?:/a)?)\\b");
  return re;
}

bool FindIrs(std::string_view line, std::string* irs) {
  std::string a;
  std::string b;
  if (!RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), IrsRe(), &a, &b)) {
    return false;
  }
  *irs = a + "-" + b;
  return true;
}

bool FindFileNumber(std::string_view line, std::string* number) {
  std::string n;
  if (!RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), FileNumberRe(), &n)) {
    return false;
  }
  *number = n;
  return true;
}

// The state of an address: "..., CA 90040" or the last state name in it.
std::string StateOfAddress(std::string_view address) {
  if (address.empty()) return {};
  static const RE2 code_zip("(?:^|[\\s,])([A-Z]{2})[\\s,]+\\d{5}(?:-\\d{4})?\\b");
  re2::StringPiece in(address.data(), address.size());
  std::string code;
  std::string last;
  while (RE2::FindAndConsume(&in, code_zip, &code)) {
    if (!StateCode(code).empty()) last = code;
  }
  if (!last.empty()) return last;
  std::string key(1, ' ');
  key += Key(address);
  key.push_back(' ');
  // The name ending last wins; at the same end the longer name ("west
  // virginia" over "virginia").
  size_t best_end = 0;
  size_t best_len = 0;
  std::string best;
  for (const StateName& s : kStates) {
    std::string needle(1, ' ');
    needle.append(s.name.data(), s.name.size());
    needle.push_back(' ');
    const size_t pos = key.rfind(needle);
    if (pos == std::string::npos) continue;
    const size_t end = pos + needle.size();
    if (end > best_end || (end == best_end && needle.size() > best_len)) {
      best_end = end;
      best_len = needle.size();
      best = std::string(s.code);
    }
  }
  return best;
}

class Cover {
 public:
  explicit Cover(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      lines_.push_back(text.substr(pos, nl - pos));
      trimmed_.push_back(Trim(lines_.back()));
      pos = nl + 1;
    }
  }

  CoverPage Extract() {
    CoverPage c;
    c.form = Form();
    c.registrant = Registrant();
    c.irs = Irs();
    c.state_of_inc = StateOfIncorporation();
    c.file_number = FileNumber();
    c.address = Address();
    c.business_state = StateOfAddress(c.address);
    c.period = Period();
    c.filed = Filed();
    return c;
  }

 private:
  int Find(std::string_view needle_lower, int from = 0) const {
    for (int i = from; i < static_cast<int>(trimmed_.size()); ++i) {
      if (ContainsNoCase(trimmed_[i], needle_lower)) return i;
    }
    return -1;
  }

  std::string_view Line(int i) const {
    if (i < 0 || i >= static_cast<int>(trimmed_.size())) return {};
    return trimmed_[i];
  }

  // The nearest line above `i` with text that is not a rule.
  int Above(int i) const {
    for (int k = i - 1; k >= 0 && k >= i - 4; --k) {
      if (!trimmed_[k].empty() && !IsRule(trimmed_[k])) return k;
    }
    return -1;
  }

  std::string Form() const {
    for (size_t i = 0; i < trimmed_.size() && i < 200; ++i) {
      std::string form;
      if (RE2::PartialMatch(re2::StringPiece(trimmed_[i].data(), trimmed_[i].size()), FormRe(),
                            &form)) {
        bool digit = false;
        for (char& ch : form) {
          if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
          if (IsDigit(ch)) digit = true;
        }
        if (digit) return form;
      }
    }
    return {};
  }

  std::string Registrant() const {
    int label = Find("exact name of registrant");
    if (label < 0) label = Find("exact name of issuer");
    if (label < 0) return {};
    // The name may share the label's line ("INNOVO GROUP INC. (Exact name ...)").
    std::string_view own = Line(label);
    size_t paren = own.find('(');
    if (paren != std::string_view::npos && paren > 0) {
      std::string before = Collapse(own.substr(0, paren));
      if (!before.empty() &&
          FindNoCase(own.substr(0, paren), "exact name") == std::string_view::npos) {
        return before;
      }
    }
    const int above = Above(label);
    if (above < 0) return {};
    std::string_view name = Line(above);
    // Drop a trailing label cell.
    size_t p = name.find('(');
    if (p != std::string_view::npos && p > 0) name = Trim(name.substr(0, p));
    return Collapse(name);
  }

  std::string Irs() const {
    for (std::string_view needle : {std::string_view("i.r.s."), std::string_view("irs employer"),
                                    std::string_view("employer identification"),
                                    std::string_view("irs no"), std::string_view("i.r.s")}) {
      const int label = Find(needle);
      if (label < 0) continue;
      std::string irs;
      for (int k : {label, label - 1, label - 2, label - 3, label + 1, label + 2}) {
        if (FindIrs(Line(k), &irs)) return irs;
      }
    }
    return {};
  }

  std::string StateOfIncorporation() const {
    for (std::string_view needle :
         {std::string_view("state or other jurisdiction"),
          std::string_view("state of incorporation"),
          std::string_view("jurisdiction of incorporation"),
          std::string_view("state or jurisdiction"), std::string_view("(state of"),
          std::string_view("state or other juris")}) {
      const int label = Find(needle);
      if (label < 0) continue;
      // A value before the label on its own line ("Delaware (State of ...)").
      std::string_view own = Line(label);
      size_t at = FindNoCase(own, needle);
      if (at != std::string_view::npos && at > 0) {
        for (std::string_view cell : Cells(own.substr(0, at))) {
          std::string code = StateCode(cell);
          if (!code.empty()) return code;
        }
      }
      for (int k : {label - 1, label - 2, label - 3, label + 1, label + 2}) {
        for (std::string_view cell : Cells(Line(k))) {
          if (cell.find('(') != std::string_view::npos) continue;
          std::string code = StateCode(cell);
          if (!code.empty()) return code;
        }
      }
    }
    return {};
  }

  std::string FileNumber() const {
    for (std::string_view needle : {std::string_view("commission file"),
                                    std::string_view("file number"), std::string_view("file no")}) {
      const int label = Find(needle);
      if (label < 0) continue;
      std::string_view own = Line(label);
      size_t at = FindNoCase(own, needle);
      std::string number;
      if (at != std::string_view::npos && FindFileNumber(own.substr(at), &number)) return number;
      for (int k : {label - 1, label + 1, label - 2, label - 3}) {
        for (std::string_view cell : Cells(Line(k))) {
          if (FindFileNumber(cell, &number) && number.size() + 2 >= cell.size()) return number;
        }
      }
    }
    return {};
  }

  std::string Address() const {
    int label = Find("address of principal executive office");
    if (label < 0) label = Find("principal executive offices)");
    if (label < 0) return {};
    std::vector<std::string> parts;
    int k = label - 1;
    // Skip rules just above the label.
    while (k >= 0 && label - k <= 2 && IsRule(Line(k))) --k;
    for (; k >= 0 && label - k <= 4; --k) {
      std::string_view line = Line(k);
      if (line.empty() || IsRule(line)) break;
      if (line.front() == '(' || ContainsNoCase(line, "identification") ||
          ContainsNoCase(line, "jurisdiction") || ContainsNoCase(line, "exact name")) {
        break;
      }
      parts.insert(parts.begin(), Collapse(line));
    }
    std::string address;
    for (const std::string& part : parts) {
      if (!address.empty()) address += ", ";
      address += part;
    }
    return address;
  }

  std::string Period() const {
    int label = Find("date of report");
    if (label < 0) label = Find("date of earliest event");
    if (label < 0) label = Find("for the fiscal year ended");
    if (label < 0) label = Find("for the quarterly period ended");
    if (label < 0) label = Find("period of report");
    if (label < 0) return {};
    std::string date = FindDate(Line(label));
    if (!date.empty()) return date;
    for (int k : {label - 1, label + 1, label + 2}) {
      date = FindDate(Line(k));
      if (!date.empty()) return date;
    }
    return {};
  }

  std::string Filed() const {
    const int label = Find("as filed with the securities and exchange commission");
    if (label < 0) return {};
    std::string_view own = Line(label);
    size_t at = FindNoCase(own, "commission");
    std::string date = FindDate(own.substr(at == std::string_view::npos ? 0 : at));
    if (!date.empty()) return date;
    return FindDate(Line(label + 1));
  }

  std::vector<std::string_view> lines_;
  std::vector<std::string_view> trimmed_;
};

}  // namespace

std::string StateCode(std::string_view name) {
  std::string_view t = Trim(name);
  if (t.size() == 2 && ((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z')) &&
      ((t[1] >= 'A' && t[1] <= 'Z') || (t[1] >= 'a' && t[1] <= 'z'))) {
    std::string code{static_cast<char>(t[0] & ~0x20), static_cast<char>(t[1] & ~0x20)};
    for (const StateName& s : kStates) {
      if (s.code == code) return code;
    }
    return {};
  }
  std::string key = Key(t);
  for (std::string_view prefix : {"state of ", "commonwealth of ", "the "}) {
    if (key.compare(0, prefix.size(), prefix) == 0) key.erase(0, prefix.size());
  }
  for (const StateName& s : kStates) {
    if (s.name == key) return std::string(s.code);
  }
  return {};
}

CoverPage ExtractCoverPage(std::string_view text) {
  constexpr size_t kCoverBytes = 10 * 1024;
  if (text.size() > kCoverBytes) {
    size_t nl = text.find('\n', kCoverBytes);
    text = text.substr(
        0, nl == std::string_view::npos ? text.size() : std::min(nl, kCoverBytes + 1024));
  }
  return Cover(text).Extract();
}

}  // namespace edgarix::parse
