#include "sgml.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgarix/core/ids.h"
#include "edgarix/core/text.h"

namespace edgarix::parse {
namespace {

constexpr size_t kNpos = std::string_view::npos;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && (IsBlank(s[b]) || s[b] == '\r')) ++b;
  size_t e = s.size();
  while (e > b && (IsBlank(s[e - 1]) || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Upper(c);
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Upper(s[i]) != Upper(prefix[i])) return false;
  }
  return true;
}

// Case-insensitive search for an ASCII needle (the needle is upper case).
size_t FindNoCase(std::string_view s, std::string_view upper_needle, size_t from = 0) {
  if (upper_needle.empty() || s.size() < upper_needle.size()) return kNpos;
  const char first_u = upper_needle[0];
  const char first_l = (first_u >= 'A' && first_u <= 'Z') ? static_cast<char>(first_u + 32) : first_u;
  for (size_t i = from; i + upper_needle.size() <= s.size(); ++i) {
    if (s[i] != first_u && s[i] != first_l) continue;
    if (StartsWithNoCase(s.substr(i), upper_needle)) return i;
  }
  return kNpos;
}

// CRLF and bare CR become LF.
std::string NormalizeNewlines(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t pos = 0;
  while (pos < in.size()) {
    const void* hit = std::memchr(in.data() + pos, '\r', in.size() - pos);
    if (hit == nullptr) {
      out.append(in.data() + pos, in.size() - pos);
      break;
    }
    const size_t cr = static_cast<const char*>(hit) - in.data();
    out.append(in.data() + pos, cr - pos);
    out.push_back('\n');
    pos = cr + 1;
    if (pos < in.size() && in[pos] == '\n') ++pos;
  }
  return out;
}

// Finds `needle` at the start of a line, from `from`.
size_t FindAtLineStart(std::string_view s, std::string_view needle, size_t from) {
  while (true) {
    const size_t p = s.find(needle, from);
    if (p == kNpos) return kNpos;
    if (p == 0 || s[p - 1] == '\n') return p;
    from = p + 1;
  }
}

// Repeated forward searches for one needle over monotonically increasing
// start positions, each byte scanned at most once overall.
class ForwardFinder {
 public:
  ForwardFinder(std::string_view s, std::string_view needle, bool line_start)
      : s_(s), needle_(needle), line_start_(line_start) {}
  size_t Find(size_t from) {
    if (valid_ && from >= from_ && (result_ == kNpos || result_ >= from)) return result_;
    from_ = from;
    result_ = line_start_ ? FindAtLineStart(s_, needle_, from) : s_.find(needle_, from);
    valid_ = true;
    return result_;
  }

 private:
  std::string_view s_;
  std::string_view needle_;
  bool line_start_;
  bool valid_ = false;
  size_t from_ = 0;
  size_t result_ = kNpos;
};

// The line starting at `pos` (without its '\n') and the position after it.
std::string_view LineAt(std::string_view s, size_t pos, size_t* next) {
  size_t nl = s.find('\n', pos);
  if (nl == kNpos) nl = s.size();
  *next = nl < s.size() ? nl + 1 : s.size();
  return s.substr(pos, nl - pos);
}

// A header line of either dialect.
struct HeaderLine {
  enum Kind { kBlank, kTag, kCloseTag, kLabel, kOther } kind = kBlank;
  std::string name;  // upper case; labels with internal blanks collapsed
  std::string_view value;
};

HeaderLine ClassifyLine(std::string_view raw) {
  HeaderLine out;
  const std::string_view line = Trim(raw);
  if (line.empty()) return out;
  if (line[0] == '<') {
    const size_t gt = line.find('>');
    if (gt == kNpos || gt < 2) {
      out.kind = HeaderLine::kOther;
      return out;
    }
    if (line[1] == '/') {
      out.kind = HeaderLine::kCloseTag;
      out.name = ToUpper(Trim(line.substr(2, gt - 2)));
      return out;
    }
    out.kind = HeaderLine::kTag;
    out.name = ToUpper(Trim(line.substr(1, gt - 1)));
    out.value = Trim(line.substr(gt + 1));
    return out;
  }
  const size_t colon = line.find(':');
  if (colon == kNpos || colon == 0 || colon > 64) {
    out.kind = HeaderLine::kOther;
    return out;
  }
  std::string label;
  bool space = false;
  for (char c : line.substr(0, colon)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '(' || c == ')' || c == '/' || c == '.' ||
                    c == '&' || c == '\'';
    if (!ok) {
      out.kind = HeaderLine::kOther;
      return out;
    }
    if (space && !label.empty()) label.push_back(' ');
    space = false;
    label.push_back(Upper(c));
  }
  out.kind = HeaderLine::kLabel;
  out.name = std::move(label);
  out.value = Trim(line.substr(colon + 1));
  return out;
}

// Sub-blocks of a party, in either dialect ("COMPANY DATA" / "COMPANY-DATA").
enum class Sub { kNone, kCompany, kFilingValues, kBusiness, kMail, kFormer, kOther };

std::string Dashed(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), ' ', '-');
  return out;
}

std::optional<Sub> SubFor(const std::string& name) {
  const std::string n = Dashed(name);
  if (n == "COMPANY-DATA" || n == "OWNER-DATA") return Sub::kCompany;
  if (n == "FILING-VALUES") return Sub::kFilingValues;
  if (n == "BUSINESS-ADDRESS") return Sub::kBusiness;
  if (n == "MAIL-ADDRESS") return Sub::kMail;
  if (n == "FORMER-COMPANY" || n == "FORMER-NAME") return Sub::kFormer;
  return std::nullopt;
}

bool OpensCompanyData(const HeaderLine& l) {
  if (l.kind != HeaderLine::kTag && l.kind != HeaderLine::kLabel) return false;
  if (!l.value.empty()) return false;
  const std::string n = Dashed(l.name);
  return n == "COMPANY-DATA" || n == "OWNER-DATA";
}

std::string DigitsOf(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

// "STATE COMMERCIAL BANKS [6022]" -> "6022"; "3711" -> "3711"; "[]" -> "".
std::string SicOf(std::string_view v) {
  const size_t lb = v.rfind('[');
  if (lb != kNpos) {
    // "[5122" without its "]" occurs in 2000-era headers.
    const size_t rb = v.find(']', lb);
    const std::string d = DigitsOf(v.substr(lb + 1, rb == kNpos ? kNpos : rb - lb - 1));
    return d.size() <= 4 ? d : "";
  }
  const std::string_view t = Trim(v);
  if (!t.empty() && DigitsOf(t).size() == t.size()) return std::string(t);
  return "";
}

class HeaderReader {
 public:
  explicit HeaderReader(SgmlFiling* f) : f_(f) {}

  // Reads header lines of `s` from `pos`; stops before a <DOCUMENT> line or
  // after </SEC-HEADER> / </IMS-HEADER>. Returns where it stopped.
  size_t Read(std::string_view s, size_t pos) {
    int unparsed = 0;
    std::string first_unparsed;
    while (pos < s.size()) {
      size_t next;
      const std::string_view raw = LineAt(s, pos, &next);
      const HeaderLine line = ClassifyLine(raw);
      if (line.kind == HeaderLine::kTag && line.name == "DOCUMENT") return pos;
      if (line.kind == HeaderLine::kCloseTag &&
          (line.name == "SEC-HEADER" || line.name == "IMS-HEADER")) {
        return next;
      }
      if (line.kind == HeaderLine::kOther) {
        if (unparsed++ == 0) first_unparsed = std::string(Trim(raw).substr(0, 80));
      } else if (line.kind != HeaderLine::kBlank) {
        Handle(line, s, next);
      }
      pos = next;
    }
    if (unparsed > 0) {
      f_->warnings.push_back("header: " + std::to_string(unparsed) +
                             " unparseable line(s), first: \"" + ToUtf8(first_unparsed) + "\"");
    }
    return pos;
  }

 private:
  Party* party() { return party_ < 0 ? nullptr : &f_->parties[static_cast<size_t>(party_)]; }

  // True when the next non-blank line after `pos` opens COMPANY/OWNER DATA.
  static bool NextOpensCompany(std::string_view s, size_t pos) {
    for (int i = 0; i < 8 && pos < s.size(); ++i) {
      size_t next;
      const HeaderLine l = ClassifyLine(LineAt(s, pos, &next));
      if (l.kind != HeaderLine::kBlank) return OpensCompanyData(l);
      pos = next;
    }
    return false;
  }

  void OpenRole(const std::string& name) {
    pending_role_ = RoleName(name);
    party_ = -1;
    sub_ = Sub::kNone;
  }

  void Handle(const HeaderLine& line, std::string_view s, size_t next) {
    if (line.kind == HeaderLine::kCloseTag) {
      if (!role_tag_.empty() && line.name == role_tag_) {
        role_tag_.clear();
        party_ = -1;
        sub_ = Sub::kNone;
      } else if (SubFor(line.name)) {
        sub_ = Sub::kNone;
      }
      return;
    }
    if (line.value.empty()) {
      if (const std::optional<Sub> sub = SubFor(line.name)) {
        sub_ = *sub;
        if (sub_ == Sub::kCompany) {
          Party p;
          p.role = pending_role_.empty() ? "filer" : pending_role_;
          f_->parties.push_back(std::move(p));
          party_ = static_cast<int>(f_->parties.size()) - 1;
        }
        return;
      }
      if (NextOpensCompany(s, next)) {
        if (line.kind == HeaderLine::kTag) role_tag_ = line.name;
        OpenRole(line.name);
      }
      return;
    }
    if (TopLevel(line)) return;
    Party* p = party();
    if (p == nullptr) return;
    const std::string n = Dashed(line.name);
    const std::string_view v = line.value;
    if (n == "COMPANY-CONFORMED-NAME" || n == "CONFORMED-NAME") {
      if (p->name.empty()) p->name = ToUtf8(v);
    } else if (n == "CENTRAL-INDEX-KEY" || n == "CIK") {
      if (p->cik.empty()) p->cik = NormalizeCik(v).value_or("");
    } else if (n == "STANDARD-INDUSTRIAL-CLASSIFICATION" || n == "ASSIGNED-SIC") {
      if (p->sic.empty()) p->sic = SicOf(v);
    } else if (n == "IRS-NUMBER" || n == "EIN") {
      if (p->irs.empty()) p->irs = std::string(v);
    } else if (n == "STATE-OF-INCORPORATION") {
      if (p->state_of_inc.empty()) p->state_of_inc = std::string(v);
    } else if (n == "FISCAL-YEAR-END") {
      if (p->fiscal_year_end.empty()) p->fiscal_year_end = std::string(v);
    } else if (n == "SEC-FILE-NUMBER" || n == "FILE-NUMBER") {
      if (p->file_number.empty()) p->file_number = std::string(v);
    } else if (n == "STATE") {
      if (sub_ == Sub::kBusiness && p->business_state.empty()) p->business_state = std::string(v);
    } else if (n == "FORMER-CONFORMED-NAME") {
      p->former_names.push_back(ToUtf8(v));
    }
  }

  // Submission-level fields; true when `line` was one.
  bool TopLevel(const HeaderLine& line) {
    const std::string n = Dashed(line.name);
    const std::string_view v = line.value;
    if (n == "ACCESSION-NUMBER") {
      if (f_->accession.empty()) f_->accession = NormalizeAccession(v).value_or("");
    } else if (n == "CONFORMED-SUBMISSION-TYPE" || (n == "TYPE" && party_ < 0)) {
      if (f_->form.empty()) f_->form = ToUtf8(v);
    } else if (n == "PUBLIC-DOCUMENT-COUNT") {
      const std::string d = DigitsOf(v);
      if (f_->public_document_count < 0 && !d.empty() && d.size() < 7 && d.size() == v.size()) {
        f_->public_document_count = std::stoi(d);
      }
    } else if (n == "CONFORMED-PERIOD-OF-REPORT" || n == "PERIOD") {
      if (f_->period.empty()) f_->period = NormalizeDate(v).value_or("");
    } else if (n == "FILED-AS-OF-DATE" || n == "FILING-DATE") {
      if (f_->filed.empty()) f_->filed = NormalizeDate(v).value_or("");
    } else if (n == "ACCEPTANCE-DATETIME") {
      if (f_->accepted.empty()) f_->accepted = NormalizeDateTime(v).value_or("");
    } else if (n == "ITEMS") {
      f_->item_codes.emplace_back(v);
    } else if (n == "ITEM-INFORMATION") {
      f_->item_titles.push_back(ToUtf8(v));
    } else if (n == "SEC-DOCUMENT" || n == "SEC-HEADER" || n == "IMS-DOCUMENT" ||
               n == "IMS-HEADER") {
      // "0000950129-95-001652.txt : 19960102": a fallback for the accession.
      if (f_->accession.empty() && v.size() >= 20) {
        f_->accession = NormalizeAccession(v.substr(0, 20)).value_or("");
      }
    } else {
      return false;
    }
    return true;
  }

  SgmlFiling* f_;
  std::string pending_role_;
  std::string role_tag_;
  int party_ = -1;
  Sub sub_ = Sub::kNone;
};

// Strips a PEM privacy envelope; narrows [*begin, *end) to its content.
void SkipPem(std::string_view s, size_t* begin, size_t* end) {
  size_t p = *begin;
  while (p < *end && IsBlank(s[p])) ++p;
  constexpr std::string_view kBegin = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----";
  if (s.substr(p, kBegin.size()) != kBegin) return;
  // PEM header fields end at the first blank line; the content starts there.
  size_t q = p + kBegin.size();
  const size_t blank = s.find("\n\n", q);
  const size_t tag = FindAtLineStart(s, "<", q);
  if (blank != kNpos && blank < *end) {
    q = blank + 2;
  } else if (tag != kNpos && tag < *end) {
    q = tag;
  } else {
    q = *end;
  }
  *begin = std::min(q, *end);
  constexpr std::string_view kEnd = "-----END PRIVACY-ENHANCED MESSAGE-----";
  const size_t tail_from = *end > 8192 ? *end - 8192 : *begin;
  const size_t e = s.substr(0, *end).rfind(kEnd);
  if (e != kNpos && e >= tail_from && e >= *begin) *end = e;
}

std::string UnescapeHtmlBasic(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      const std::string_view rest = s.substr(i);
      if (rest.substr(0, 4) == "&lt;") {
        out.push_back('<');
        i += 3;
        continue;
      }
      if (rest.substr(0, 4) == "&gt;") {
        out.push_back('>');
        i += 3;
        continue;
      }
      if (rest.substr(0, 5) == "&amp;") {
        out.push_back('&');
        i += 4;
        continue;
      }
      if (rest.substr(0, 6) == "&quot;") {
        out.push_back('"');
        i += 5;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Drops trailing container closers (</DOCUMENT>, </SEC-DOCUMENT>, ...) that
// a missing </TEXT> left at the end of a body.
size_t TrimClosers(std::string_view s, size_t begin, size_t end) {
  while (end > begin) {
    size_t e = end;
    while (e > begin && IsBlank(s[e - 1])) --e;
    const size_t ls = s.substr(0, e).rfind('\n');
    const size_t line_begin = (ls == kNpos || ls < begin) ? begin : ls + 1;
    const std::string_view line = Trim(s.substr(line_begin, e - line_begin));
    if (line == "</DOCUMENT>" || line == "</SEC-DOCUMENT>" || line == "</IMS-DOCUMENT>" ||
        line == "</SUBMISSION>" || line == "</TEXT>") {
      end = line_begin;
    } else {
      break;
    }
  }
  return end;
}

// Removes an <XBRL>...</XBRL> or <XML>...</XML> wrapper around a body.
void Unwrap(std::string_view s, size_t* begin, size_t* end) {
  size_t b = *begin;
  while (b < *end && IsBlank(s[b])) ++b;
  for (std::string_view tag : {std::string_view("XBRL"), std::string_view("XML")}) {
    const std::string open = "<" + std::string(tag) + ">";
    if (s.substr(b, open.size()) != open) continue;
    const std::string close = "</" + std::string(tag) + ">";
    const size_t c = s.substr(0, *end).rfind(close);
    *begin = b + open.size();
    if (c != kNpos && c >= *begin) *end = c;
    return;
  }
}

void ReadDocuments(std::string_view s, size_t pos, size_t end, SgmlFiling* f) {
  s = s.substr(0, end);
  ForwardFinder next_doc(s, "<DOCUMENT>", /*line_start=*/true);
  ForwardFinder text_close(s, "</TEXT>", /*line_start=*/false);
  ForwardFinder doc_close(s, "</DOCUMENT>", /*line_start=*/false);
  int missing_text_close = 0;
  int missing_doc_close = 0;
  while (true) {
    const size_t d = next_doc.Find(pos);
    if (d == kNpos) break;
    SgmlDocument doc;
    const int position = static_cast<int>(f->documents.size()) + 1;
    size_t p;
    LineAt(s, d, &p);
    // Metadata tags up to <TEXT>.
    size_t body_begin = kNpos;
    for (int i = 0; i < 64 && p < s.size(); ++i) {
      size_t next;
      const std::string_view raw = LineAt(s, p, &next);
      const HeaderLine l = ClassifyLine(raw);
      if (l.kind == HeaderLine::kBlank) {
        p = next;
        continue;
      }
      if (l.kind != HeaderLine::kTag && l.kind != HeaderLine::kCloseTag) break;
      if (l.kind == HeaderLine::kTag && l.name == "DOCUMENT") break;
      if (l.kind == HeaderLine::kCloseTag) {
        if (l.name == "DOCUMENT") break;
        p = next;
        continue;
      }
      if (l.name == "TEXT") {
        // The body starts right after the tag (usually the next line).
        const size_t tag_end = s.find('>', p) + 1;
        body_begin = tag_end;
        if (body_begin < s.size() && Trim(raw.substr(tag_end - p)).empty()) body_begin = next;
        break;
      }
      if (l.name == "PDF") {  // a <PDF> block without <TEXT>
        body_begin = p;
        break;
      }
      if (l.name == "TYPE") {
        doc.type = ToUtf8(l.value);
      } else if (l.name == "SEQUENCE") {
        const std::string dg = DigitsOf(l.value);
        if (!dg.empty() && dg.size() < 7 && dg.size() == l.value.size()) doc.sequence = std::stoi(dg);
      } else if (l.name == "FILENAME") {
        doc.filename = ToUtf8(l.value);
      } else if (l.name == "DESCRIPTION") {
        doc.description = ToUtf8(l.value);
      }
      p = next;
    }
    if (body_begin == kNpos) body_begin = p;
    if (doc.sequence <= 0) doc.sequence = position;
    const size_t nd = next_doc.Find(body_begin);
    const size_t tc = text_close.Find(body_begin);
    size_t body_end;
    size_t after;
    if (tc != kNpos && (nd == kNpos || tc < nd)) {
      body_end = tc;
      after = tc + 7;
    } else {
      ++missing_text_close;
      const size_t dc = doc_close.Find(body_begin);
      body_end = nd == kNpos ? s.size() : nd;
      if (dc != kNpos && dc < body_end) body_end = dc;
      after = body_end;
      body_end = TrimClosers(s, body_begin, body_end);
    }
    const size_t dc = doc_close.Find(after);
    const size_t nd2 = next_doc.Find(after);
    if (dc == kNpos || (nd2 != kNpos && dc > nd2)) ++missing_doc_close;
    Unwrap(s, &body_begin, &body_end);
    doc.body_begin = body_begin;
    doc.body_end = std::max(body_begin, body_end);
    doc.binary = LooksBinary(s.substr(doc.body_begin, doc.body_end - doc.body_begin));
    f->documents.push_back(std::move(doc));
    pos = std::max(after, d + 1);
  }
  if (missing_text_close > 0) {
    f->warnings.push_back(std::to_string(missing_text_close) +
                          " document(s) without </TEXT> (truncated or damaged input)");
  }
  if (missing_doc_close > 0) {
    f->warnings.push_back(std::to_string(missing_doc_close) + " document(s) without </DOCUMENT>");
  }
}

// First non-blank line at or after `pos`.
size_t FirstContentLine(std::string_view s, size_t pos, size_t end) {
  while (pos < end && IsBlank(s[pos])) ++pos;
  // Back up to the start of that line (leading blanks of the line kept out).
  return pos;
}

bool StartsHeader(std::string_view line) {
  static constexpr std::string_view kTags[] = {
      "<SEC-DOCUMENT>", "<IMS-DOCUMENT>", "<SUBMISSION>", "<SEC-HEADER>", "<IMS-HEADER>",
      "<ACCEPTANCE-DATETIME>", "<ACCESSION-NUMBER>", "<PRIVATE-TO-PUBLIC>",
      "ACCESSION NUMBER:", "CONFORMED SUBMISSION TYPE:"};
  for (std::string_view t : kTags) {
    if (StartsWithNoCase(line, t)) return true;
  }
  return false;
}

Container ContainerOf(std::string_view line) {
  if (StartsWithNoCase(line, "<SEC-DOCUMENT>")) return Container::kSecDocument;
  if (StartsWithNoCase(line, "<IMS-DOCUMENT>")) return Container::kImsDocument;
  if (StartsWithNoCase(line, "<SUBMISSION>")) return Container::kSubmission;
  return Container::kHeaderOnly;
}

void ReadIndexHeaders(std::string_view page, SgmlFiling* f) {
  // The tagged header sits in an HTML comment; the spaced-label copy and the
  // document list sit in <PRE> with &lt; &gt; escapes.
  const size_t pre = FindNoCase(page, "<PRE>");
  std::string pre_text;
  if (pre != kNpos) {
    size_t pre_end = FindNoCase(page, "</PRE>", pre);
    if (pre_end == kNpos) pre_end = page.size();
    pre_text = UnescapeHtmlBasic(page.substr(pre + 5, pre_end - pre - 5));
  }
  const size_t hdr = page.find("<SEC-HEADER>");
  if (hdr != kNpos && (pre == kNpos || hdr < pre)) {
    HeaderReader(f).Read(page, hdr);
  } else if (!pre_text.empty()) {
    HeaderReader(f).Read(pre_text, 0);
  }
  f->has_header = !f->form.empty() || !f->accession.empty() || !f->parties.empty();
  f->owned_bytes = std::move(pre_text);
  f->owns_bytes = true;
  const std::string_view bytes = f->bytes();
  const size_t first_doc = FindAtLineStart(bytes, "<DOCUMENT>", 0);
  const size_t warnings = f->warnings.size();
  if (first_doc != kNpos) ReadDocuments(bytes, first_doc, bytes.size(), f);
  // Listings have no </TEXT>; that is not damage.
  f->warnings.resize(warnings);
  // The page only links to the documents: their bodies are not here.
  for (SgmlDocument& d : f->documents) d.body_end = d.body_begin;
  if (!f->documents.empty()) {
    f->warnings.push_back("index page: documents are listed without their text");
  }
}

}  // namespace

std::string RoleName(std::string_view header_role) {
  const std::string n = Dashed(ToUpper(Trim(header_role)));
  if (n == "FILER") return "filer";
  if (n == "SUBJECT-COMPANY") return "subject";
  if (n == "FILED-BY") return "filed_by";
  if (n == "REPORTING-OWNER") return "reporting_owner";
  if (n == "ISSUER") return "issuer";
  std::string out;
  for (char c : n) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c + 32));
    } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

bool LooksBinary(std::string_view body) {
  const std::string_view head = body.substr(0, 1024);
  if (head.find('\0') != kNpos) return true;
  size_t p = 0;
  for (int lines = 0; lines < 4 && p < body.size();) {
    size_t next;
    const std::string_view line = Trim(LineAt(body, p, &next));
    p = next;
    if (line.empty()) continue;
    ++lines;
    if (StartsWithNoCase(line, "<PDF>")) return true;
    if (line.size() > 10 && line.substr(0, 6) == "begin ") {
      size_t i = 6;
      size_t digits = 0;
      while (i < line.size() && line[i] >= '0' && line[i] <= '7') {
        ++i;
        ++digits;
      }
      if (digits >= 3 && digits <= 4 && i < line.size() && line[i] == ' ') return true;
    }
    if (line.substr(0, 5) == "%PDF-") return true;
  }
  return false;
}

std::string XmlToText(std::string_view xml) {
  std::string out;
  out.reserve(xml.size() / 2);
  // Text of the current line; flushed (trimmed) at each tag boundary.
  std::string line;
  auto flush = [&]() {
    const std::string_view t = Trim(line);
    if (!t.empty()) {
      out.append(t);
      out.push_back('\n');
    }
    line.clear();
  };
  size_t i = 0;
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '<') {
      if (xml.substr(i, 4) == "<!--") {
        const size_t e = xml.find("-->", i + 4);
        i = e == kNpos ? xml.size() : e + 3;
        continue;
      }
      if (xml.substr(i, 9) == "<![CDATA[") {
        const size_t e = xml.find("]]>", i + 9);
        const size_t stop = e == kNpos ? xml.size() : e;
        line.append(xml.substr(i + 9, stop - i - 9));
        i = e == kNpos ? xml.size() : e + 3;
        continue;
      }
      const size_t e = xml.find('>', i + 1);
      flush();
      i = e == kNpos ? xml.size() : e + 1;
      continue;
    }
    if (c == '&') {
      const size_t semi = xml.find(';', i + 1);
      if (semi != kNpos && semi - i <= 10) {
        const std::string_view ent = xml.substr(i + 1, semi - i - 1);
        std::string rep;
        if (ent == "amp") rep = "&";
        else if (ent == "lt") rep = "<";
        else if (ent == "gt") rep = ">";
        else if (ent == "quot") rep = "\"";
        else if (ent == "apos") rep = "'";
        else if (ent.size() > 1 && ent[0] == '#') {
          unsigned long cp = 0;
          bool ok = true;
          const bool hex = ent[1] == 'x' || ent[1] == 'X';
          for (char d : ent.substr(hex ? 2 : 1)) {
            int v;
            if (d >= '0' && d <= '9') v = d - '0';
            else if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
            else if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
            else { ok = false; break; }
            cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
            if (cp > 0x10FFFF) { ok = false; break; }
          }
          if (ok && cp > 0 && (cp < 0xD800 || cp > 0xDFFF)) {
            if (cp < 0x80) {
              rep.push_back(static_cast<char>(cp));
            } else if (cp < 0x800) {
              rep.push_back(static_cast<char>(0xC0 | (cp >> 6)));
              rep.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else if (cp < 0x10000) {
              rep.push_back(static_cast<char>(0xE0 | (cp >> 12)));
              rep.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
              rep.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else {
              rep.push_back(static_cast<char>(0xF0 | (cp >> 18)));
              rep.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
              rep.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
              rep.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            }
          }
        }
        if (!rep.empty()) {
          line.append(rep);
          i = semi + 1;
          continue;
        }
      }
    }
    if (c == '\n') {
      flush();
    } else {
      line.push_back(c);
    }
    ++i;
  }
  flush();
  if (IsValidUtf8(out)) return out;
  return ToUtf8(out);
}

namespace {

// Appends `bytes` to `out` as UTF-8, converting pieces of at most 64 KiB at a
// time, each cut where no valid UTF-8 sequence can span the cut (before a
// byte that is not a continuation byte, or after three continuation bytes in
// a row), so the result equals ToUtf8(bytes).
void AppendAsUtf8(std::string& out, std::string_view bytes) {
  constexpr size_t kPiece = size_t{1} << 16;
  auto cont = [&](size_t i) { return (static_cast<unsigned char>(bytes[i]) & 0xC0) == 0x80; };
  while (!bytes.empty()) {
    size_t n = bytes.size();
    if (n > kPiece) {
      n = kPiece;
      if (cont(n)) {
        size_t k = 1;
        while (k <= 3 && cont(n - k)) ++k;
        if (k <= 3) n -= k;  // cut before the lead byte of the sequence
      }
    }
    const std::string_view piece = bytes.substr(0, n);
    if (IsValidUtf8(piece)) {
      out.append(piece);
    } else {
      out.append(ToUtf8(piece));
    }
    bytes.remove_prefix(n);
  }
}

}  // namespace

std::string PlainText(std::string_view text) {
  static constexpr std::string_view kMarkup[] = {"PAGE", "TABLE", "CAPTION", "S", "C", "FN"};
  std::string out;
  // Invalid UTF-8 is converted line by line while copying, never by a
  // whole-body ToUtf8 pass afterwards: that held a second, larger copy of the
  // body (each invalid byte becomes 2 or 3 bytes), and 100 MB of invalid
  // UTF-8 broke the memory bound (issue 6). The reservation for the worst
  // case (3 bytes per byte) is address space only: pages are touched as
  // they are written, and it saves the copies of a doubling string.
  const bool valid = IsValidUtf8(text);
  out.reserve(valid ? text.size() : 3 * text.size());
  size_t p = 0;
  while (p < text.size()) {
    size_t next;
    const std::string_view raw = LineAt(text, p, &next);
    p = next;
    const std::string_view t = Trim(raw);
    bool markup_only = false;
    if (t.size() >= 3 && t[0] == '<') {
      const size_t gt = t.find('>');
      if (gt != kNpos) {
        std::string_view name = t.substr(1, gt - 1);
        if (!name.empty() && name[0] == '/') name.remove_prefix(1);
        const std::string_view rest = Trim(t.substr(gt + 1));
        for (std::string_view m : kMarkup) {
          if (name.size() == m.size() && StartsWithNoCase(name, m) &&
              (rest.empty() || (m == "PAGE" && DigitsOf(rest).size() == rest.size()))) {
            markup_only = true;
          }
        }
      }
    }
    if (markup_only) {
      out.push_back('\n');
      continue;
    }
    // Column markers of EDGAR text tables: "<S>", "<C>" become blanks.
    const size_t at_out = out.size();
    if (valid) {
      out.append(raw);
    } else {
      AppendAsUtf8(out, raw);
    }
    if (raw.find("<S>") != kNpos || raw.find("<C>") != kNpos) {
      for (size_t i = at_out; i + 3 <= out.size(); ++i) {
        if (out[i] == '<' && (out[i + 1] == 'S' || out[i + 1] == 'C') && out[i + 2] == '>') {
          out[i] = out[i + 1] = out[i + 2] = ' ';
        }
      }
    }
    if (next > 0 && text[next - 1] == '\n') out.push_back('\n');
  }
  if (IsValidUtf8(out)) return out;
  return ToUtf8(out);
}

namespace {

void ReadInto(SgmlFiling& f) {
  const std::string_view s = f.bytes();
  size_t begin = 0;
  size_t end = s.size();
  // A UTF-8 byte order mark.
  if (s.substr(0, 3) == "\xEF\xBB\xBF") begin = 3;
  SkipPem(s, &begin, &end);

  const size_t first = FirstContentLine(s, begin, end);
  const std::string_view head = s.substr(first, std::min<size_t>(end - first, 65536));

  // -index-headers.html: an HTML page carrying the header.
  if ((StartsWithNoCase(head, "<HTML") || StartsWithNoCase(head, "<!DOCTYPE")) &&
      (head.find("<SEC-HEADER>") != kNpos || head.find("&lt;SEC-HEADER&gt;") != kNpos)) {
    f.container = Container::kIndexHeaders;
    const std::string page(s.substr(first, end - first));
    ReadIndexHeaders(page, &f);
    return;
  }

  size_t start = first;
  if (!StartsHeader(head) && !StartsWithNoCase(head, "<DOCUMENT>")) {
    // A container that starts a little later (junk or a banner before it).
    for (std::string_view tag : {"<SEC-DOCUMENT>", "<IMS-DOCUMENT>", "<SUBMISSION>",
                                 "<SEC-HEADER>", "<IMS-HEADER>"}) {
      const size_t at = FindAtLineStart(head, tag, 0);
      if (at != kNpos && at < 4096 && (start == first || first + at < start)) start = first + at;
    }
    if (start != first) {
      f.warnings.push_back("skipped " + std::to_string(start - first) +
                           " byte(s) before the SGML container");
    }
  }
  const std::string_view line = s.substr(start, std::min<size_t>(end - start, 64));
  if (StartsHeader(line)) {
    f.container = ContainerOf(line);
    f.has_header = true;
    const size_t after = HeaderReader(&f).Read(s.substr(0, end), start);
    const size_t first_doc = FindAtLineStart(s.substr(0, end), "<DOCUMENT>", after);
    if (first_doc != kNpos) {
      if (f.container == Container::kHeaderOnly) f.container = Container::kSecDocument;
      ReadDocuments(s, first_doc, end, &f);
    }
    if (f.container != Container::kHeaderOnly && f.documents.empty()) {
      f.warnings.push_back("no <DOCUMENT> found after the header");
    }
    if (f.form.empty()) f.warnings.push_back("header without a submission type");
  } else if (StartsWithNoCase(line, "<DOCUMENT>")) {
    f.container = Container::kDocumentsOnly;
    ReadDocuments(s, start, end, &f);
  } else {
    f.container = Container::kBare;
    SgmlDocument doc;
    doc.sequence = 1;
    doc.body_begin = begin;
    doc.body_end = end;
    doc.binary = LooksBinary(s.substr(begin, end - begin));
    f.documents.push_back(std::move(doc));
  }
  if (f.public_document_count >= 0 && !f.documents.empty() &&
      static_cast<size_t>(f.public_document_count) != f.documents.size()) {
    f.warnings.push_back("PUBLIC DOCUMENT COUNT is " + std::to_string(f.public_document_count) +
                         " but " + std::to_string(f.documents.size()) + " document(s) were found");
  }
}

}  // namespace

SgmlFiling ReadSgml(std::string_view input) {
  SgmlFiling f;
  if (input.find('\r') == kNpos) {
    f.input_bytes = input;
  } else {
    f.owned_bytes = NormalizeNewlines(input);
    f.owns_bytes = true;
  }
  ReadInto(f);
  return f;
}

SgmlFiling ReadSgml(std::string&& input) {
  SgmlFiling f;
  f.owned_bytes = input.find('\r') == std::string::npos ? std::move(input)
                                                         : NormalizeNewlines(input);
  f.owns_bytes = true;
  ReadInto(f);
  return f;
}

}  // namespace edgarix::parse
