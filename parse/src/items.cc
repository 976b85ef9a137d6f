// 8-K item vocabulary: numbering cut-over, old -> new mapping, header titles.

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sections.h"

namespace edgarix::parse {
namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr std::string_view kNewCodes[] = {
    "1.01", "1.02", "1.03", "1.04", "1.05", "2.01", "2.02", "2.03", "2.04", "2.05", "2.06", "3.01",
    "3.02", "3.03", "4.01", "4.02", "5.01", "5.02", "5.03", "5.04", "5.05", "5.06", "5.07", "5.08",
    "6.01", "6.02", "6.03", "6.04", "6.05", "6.06", "6.10", "7.01", "8.01", "9.01"};

bool IsNewCode(std::string_view code) {
  for (std::string_view c : kNewCodes) {
    if (c == code) return true;
  }
  return false;
}

// Old item n (1..12) -> nearest new item (EDGAR.md section 5).
constexpr std::string_view kOldToNew[13] = {"",     "5.01", "2.01", "1.03", "4.01", "8.01", "5.02",
                                            "9.01", "5.03", "7.01", "5.05", "5.04", "2.02"};

// Lower-cased words of a title, joined by single spaces; punctuation dropped
// ("Registrant's" -> "registrants", "Mine Safety -- Reporting" -> "mine
// safety reporting").
std::string TitleKey(std::string_view title) {
  std::string out;
  bool space = false;
  for (char c : title) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || IsDigit(c) || u >= 0x80) {
      if (u >= 0x80) continue;  // curly quotes, dashes
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(static_cast<char>(c + 32));
    } else if (c == '\'') {
      // Apostrophes join: "registrant's" -> "registrants".
    } else {
      space = true;
    }
  }
  return out;
}

struct TitleCode {
  std::string_view title;
  std::string_view code;
};

// Titles as written in headers (ITEM INFORMATION) and on 8-K bodies: the
// current list, older wordings, and the old items' titles mapped to their
// nearest new items.
constexpr TitleCode kTitles[] = {
    {"Entry into a Material Definitive Agreement", "1.01"},
    {"Termination of a Material Definitive Agreement", "1.02"},
    {"Bankruptcy or Receivership", "1.03"},
    {"Mine Safety Reporting of Shutdowns and Patterns of Violations", "1.04"},
    {"Material Cybersecurity Incidents", "1.05"},
    {"Completion of Acquisition or Disposition of Assets", "2.01"},
    {"Acquisition or Disposition of Assets", "2.01"},
    {"Results of Operations and Financial Condition", "2.02"},
    {"Creation of a Direct Financial Obligation or an Obligation under an Off-Balance Sheet "
     "Arrangement of a Registrant",
     "2.03"},
    {"Triggering Events That Accelerate or Increase a Direct Financial Obligation or an "
     "Obligation under an Off-Balance Sheet Arrangement",
     "2.04"},
    {"Costs Associated with Exit or Disposal Activities", "2.05"},
    {"Material Impairments", "2.06"},
    {"Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard; Transfer "
     "of Listing",
     "3.01"},
    {"Unregistered Sales of Equity Securities", "3.02"},
    {"Material Modification to Rights of Security Holders", "3.03"},
    {"Changes in Registrant's Certifying Accountant", "4.01"},
    {"Changes in Registrant's Certifying Accountants", "4.01"},
    {"Non-Reliance on Previously Issued Financial Statements or a Related Audit Report or "
     "Completed Interim Review",
     "4.02"},
    {"Changes in Control of Registrant", "5.01"},
    {"Departure of Directors or Certain Officers; Election of Directors; Appointment of "
     "Certain Officers; Compensatory Arrangements of Certain Officers",
     "5.02"},
    {"Departure of Directors or Principal Officers; Election of Directors; Appointment of "
     "Principal Officers",
     "5.02"},
    {"Resignations of Registrant's Directors", "5.02"},
    {"Amendments to Articles of Incorporation or Bylaws; Change in Fiscal Year", "5.03"},
    {"Change in Fiscal Year", "5.03"},
    {"Temporary Suspension of Trading Under Registrant's Employee Benefit Plans", "5.04"},
    {"Amendments to the Registrant's Code of Ethics, or Waiver of a Provision of the Code of "
     "Ethics",
     "5.05"},
    {"Change in Shell Company Status", "5.06"},
    {"Submission of Matters to a Vote of Security Holders", "5.07"},
    {"Shareholder Director Nominations", "5.08"},
    {"ABS Informational and Computational Material", "6.01"},
    {"Change of Servicer or Trustee", "6.02"},
    {"Change in Credit Enhancement or Other External Support", "6.03"},
    {"Failure to Make a Required Distribution", "6.04"},
    {"Securities Act Updating Disclosure", "6.05"},
    {"Static Pool", "6.06"},
    {"Alternative Filings of Asset-Backed Issuers", "6.10"},
    {"Regulation FD Disclosure", "7.01"},
    {"Other Events", "8.01"},
    {"Other Events and Regulation FD Disclosure", "8.01"},
    {"Other Events and Required FD Disclosure", "8.01"},
    {"Financial Statements and Exhibits", "9.01"},
    {"Financial Statements, Pro Forma Financial Information and Exhibits", "9.01"},
    {"Financial Statements, Pro Forma Financial Statements and Exhibits", "9.01"},
};

std::vector<std::string> Words(const std::string& key) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < key.size()) {
    size_t j = key.find(' ', i);
    if (j == std::string::npos) j = key.size();
    words.push_back(key.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

}  // namespace

bool UsesOldItemNumbering(std::string_view filed) {
  // ISO "YYYY-MM-DD" (or "YYYYMMDD"): compare digits only.
  std::string digits;
  for (char c : filed) {
    if (IsDigit(c)) digits.push_back(c);
  }
  if (digits.size() < 8) return false;
  return digits.substr(0, 8) < "20040823";
}

std::string NormalizeItemCode(std::string_view code) {
  // Trim spaces and trailing punctuation.
  size_t b = 0;
  size_t e = code.size();
  while (b < e && (code[b] == ' ' || code[b] == '\t')) ++b;
  while (e > b && (code[e - 1] == ' ' || code[e - 1] == '\t' || code[e - 1] == '.' ||
                   code[e - 1] == ':' || code[e - 1] == ',')) {
    --e;
  }
  std::string_view s = code.substr(b, e - b);
  // major [spaces] '.' [spaces] minor, or a plain number.
  size_t i = 0;
  int major = 0;
  size_t major_digits = 0;
  while (i < s.size() && IsDigit(s[i]) && major_digits < 3) {
    major = major * 10 + (s[i] - '0');
    ++i;
    ++major_digits;
  }
  if (major_digits == 0) return {};
  if (i == s.size()) {
    if (i != major_digits || major < 1 || major > 12) return {};
    return std::to_string(major);
  }
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size() || s[i] != '.') return {};
  ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  int minor = 0;
  size_t minor_digits = 0;
  while (i < s.size() && IsDigit(s[i]) && minor_digits < 3) {
    minor = minor * 10 + (s[i] - '0');
    ++i;
    ++minor_digits;
  }
  if (i != s.size() || minor_digits == 0 || minor_digits > 2 || major > 9) return {};
  std::string out = std::to_string(major) + ".";
  if (minor < 10) out.push_back('0');
  out += std::to_string(minor);
  return IsNewCode(out) ? out : std::string();
}

std::string EventForItem(std::string_view item) {
  const std::string code = NormalizeItemCode(item);
  if (code.empty()) return {};
  if (code.find('.') != std::string::npos) return code;
  const int n = std::atoi(code.c_str());
  return std::string(kOldToNew[n]);
}

std::string ItemCodeForTitle(std::string_view title) {
  const std::string key = TitleKey(title);
  if (key.empty()) return {};
  for (const TitleCode& t : kTitles) {
    if (TitleKey(t.title) == key) return std::string(t.code);
  }
  // Near misses ("Cost Associated with ...", "...: Compensatory ...",
  // "Financial statements and exhibits" with extra words): the title whose
  // words overlap most, when the overlap is large.
  const std::vector<std::string> words = Words(key);
  double best = 0;
  std::string_view best_code;
  for (const TitleCode& t : kTitles) {
    const std::vector<std::string> tw = Words(TitleKey(t.title));
    size_t common = 0;
    std::vector<bool> used(tw.size(), false);
    for (const std::string& w : words) {
      for (size_t k = 0; k < tw.size(); ++k) {
        // Plural and singular count as one word.
        const std::string& v = tw[k];
        if (used[k]) continue;
        if (v == w || v + "s" == w || w + "s" == v) {
          used[k] = true;
          ++common;
          break;
        }
      }
    }
    const double score =
        static_cast<double>(common) / static_cast<double>(std::max(words.size(), tw.size()));
    if (score > best) {
      best = score;
      best_code = t.code;
    }
  }
  if (best >= 0.75) return std::string(best_code);
  return {};
}

}  // namespace edgarix::parse
