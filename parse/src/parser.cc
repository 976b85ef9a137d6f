#include "edgarix/parse/parser.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "edgarix/core/ids.h"
#include "edgarix/core/status_macros.h"
#include "edgarix/core/text.h"
#include "html_to_text.h"
#include "sections.h"
#include "sgml.h"

namespace edgarix::parse {
namespace {

constexpr size_t kNpos = std::string_view::npos;
// How much of a document's text may hold its cover page.
constexpr size_t kCoverPrefix = 64 * 1024;

// A document body of at least kGarbageMinBytes of which more than a quarter
// of the bytes are not UTF-8 (nor ASCII) is garbage, not text: it is kept as
// a binary document and its text is skipped, with a warning. Real EDGAR text
// is ASCII with the odd Latin-1/cp1252 byte (well under 1%); 100 MB of random
// invalid bytes made ~10^7 distinct junk terms, and the index needed 1.8 GB
// for them (issue 6).
constexpr size_t kGarbageMinBytes = size_t{1} << 20;

// Bytes of `s` that are not part of a valid UTF-8 sequence (ASCII is valid).
size_t InvalidUtf8Bytes(std::string_view s) {
  size_t bad = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len > 0 && i + len <= s.size() && IsValidUtf8(s.substr(i, len))) {
      i += len;
      continue;
    }
    ++bad;
    ++i;
  }
  return bad;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

size_t FindNoCaseLower(std::string_view s, std::string_view lower_needle) {
  if (s.size() < lower_needle.size()) return kNpos;
  for (size_t i = 0; i + lower_needle.size() <= s.size(); ++i) {
    if (Lower(s[i]) != lower_needle[0]) continue;
    size_t j = 1;
    while (j < lower_needle.size() && Lower(s[i + j]) == lower_needle[j]) ++j;
    if (j == lower_needle.size()) return i;
  }
  return kNpos;
}

std::string_view TrimView(std::string_view s) {
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r' ||
                          s[b] == '\f' || s[b] == '\v')) {
    ++b;
  }
  size_t e = s.size();
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' ||
                   s[e - 1] == '\r' || s[e - 1] == '\f' || s[e - 1] == '\v')) {
    --e;
  }
  return s.substr(b, e - b);
}

// Why `bytes` cannot be a filing at all, or empty when it may be one.
std::string NotAFilingReason(std::string_view bytes) {
  if (TrimView(bytes).empty()) return "empty input";
  const std::string_view head = bytes.substr(0, 4096);
  if (head.substr(0, 2) == "\x1f\x8b") return "gzip data, not a filing (decompress it first)";
  if (head.substr(0, 4) == "PK\x03\x04") return "zip archive, not a filing";
  if (head.substr(0, 5) == "%PDF-") return "PDF file, not a filing";
  if (head.substr(0, 4) == "\x89PNG" || head.substr(0, 4) == "GIF8" ||
      head.substr(0, 3) == "\xFF\xD8\xFF") {
    return "image file, not a filing";
  }
  size_t control = 0;
  for (char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return "binary data (NUL bytes), not a filing";
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++control;
  }
  if (control * 10 > head.size()) return "binary data, not a filing";
  return "";
}

bool HasStrongHtmlMarker(std::string_view body) {
  const std::string_view head = body.substr(0, 65536);
  for (std::string_view m : {"<html", "<body", "<div", "<p>", "<p ", "<font", "<br", "<td",
                             "<span", "<h1", "<h2", "<b>", "<center"}) {
    if (FindNoCaseLower(head, m) != kNpos) return true;
  }
  return false;
}

enum class BodyKind { kHtml, kXml, kText };

BodyKind KindOf(std::string_view body) {
  if (LooksLikeHtml(body) && HasStrongHtmlMarker(body)) return BodyKind::kHtml;
  const std::string_view t = TrimView(body.substr(0, 4096));
  if (t.empty() || t[0] != '<') return BodyKind::kText;
  if (t.substr(0, 5) == "<?xml" || t.substr(0, 5) == "<?XML") return BodyKind::kXml;
  // EDGAR's own text markup (<PAGE>, <TABLE>, <S>, <C>, ...) means plain text.
  size_t n = 1;
  while (n < t.size() && t[n] != '>' && t[n] != ' ' && t[n] != '\n') ++n;
  std::string name(t.substr(1, n - 1));
  for (char& c : name) c = Lower(c);
  if (name == "page" || name == "table" || name == "caption" || name == "s" || name == "c" ||
      name == "fn" || name == "/page" || name == "pre") {
    return BodyKind::kText;
  }
  return BodyKind::kXml;
}

std::string BodyToText(std::string_view body, BodyKind kind) {
  switch (kind) {
    case BodyKind::kHtml:
      return HtmlToText(body);
    case BodyKind::kXml:
      return XmlToText(body);
    case BodyKind::kText:
      break;
  }
  return PlainText(body);
}

// The root element name of an XML document ("informationTable").
std::string XmlRoot(std::string_view xml) {
  size_t p = 0;
  while (true) {
    p = xml.find('<', p);
    if (p == kNpos || p + 1 >= xml.size()) return "";
    const char c = xml[p + 1];
    if (c == '?' || c == '!') {
      p = xml.find('>', p);
      if (p == kNpos) return "";
      continue;
    }
    size_t e = p + 1;
    while (e < xml.size() && xml[e] != '>' && xml[e] != ' ' && xml[e] != '\n' && xml[e] != '/') ++e;
    return std::string(xml.substr(p + 1, std::min<size_t>(e - p - 1, 64)));
  }
}

// The text of the first <tag>...</tag> in `xml` (first 64 KB), trimmed.
std::string XmlValue(std::string_view xml, std::string_view tag) {
  const std::string_view head = xml.substr(0, 65536);
  const std::string open = "<" + std::string(tag) + ">";
  const size_t p = head.find(open);
  if (p == kNpos) return "";
  const size_t b = p + open.size();
  const size_t e = head.find('<', b);
  if (e == kNpos || e - b > 64) return "";
  return std::string(TrimView(head.substr(b, e - b)));
}

bool IsEightK(std::string_view root_form) { return root_form.substr(0, 3) == "8-K"; }

void AddUnique(std::vector<std::string>* v, std::string s) {
  if (s.empty()) return;
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(std::move(s));
}

// Old 8-K item code (1..12) whose today's equivalent is `new_code`.
std::string OldCodeFor(std::string_view new_code) {
  for (int i = 1; i <= 12; ++i) {
    const std::string old = std::to_string(i);
    if (EventForItem(old) == new_code) return old;
  }
  return "";
}

}  // namespace

struct Parser::Rep {
  ParseOptions options;
  std::unique_ptr<SectionSplitter> splitter;
};

Parser::Parser(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Parser::~Parser() = default;

absl::StatusOr<std::unique_ptr<Parser>> Parser::Create(const ParseOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  EDGARIX_ASSIGN_OR_RETURN(rep->splitter, SectionSplitter::Create());
  return std::unique_ptr<Parser>(new Parser(std::move(rep)));
}

absl::StatusOr<ParsedFiling> Parser::Parse(const RawFiling& raw) const {
  if (!raw.read_error.empty()) {
    return absl::InvalidArgumentError("unreadable input: " + raw.read_error);
  }
  const std::string reason = NotAFilingReason(raw.bytes);
  if (!reason.empty()) return absl::InvalidArgumentError(reason);

  SgmlFiling sg = ReadSgml(raw.bytes);
  ParsedFiling out;
  out.source = raw.source;
  out.raw_bytes = raw.bytes.size();
  out.accession = sg.accession;
  out.form = sg.form;
  out.filed = sg.filed;
  out.period = sg.period;
  out.accepted = sg.accepted;
  out.public_document_count = sg.public_document_count;
  out.parties = std::move(sg.parties);
  out.warnings = std::move(sg.warnings);

  // Documents and their text.
  out.documents.reserve(sg.documents.size());
  for (const SgmlDocument& sd : sg.documents) {
    Document d;
    d.sequence = sd.sequence;
    d.type = sd.type;
    d.filename = sd.filename;
    d.description = sd.description;
    d.binary = sd.binary;
    if (!d.binary && BodyOf(sg, sd).size() >= kGarbageMinBytes) {
      const std::string_view body = BodyOf(sg, sd);
      const size_t bad = InvalidUtf8Bytes(body);
      if (bad > body.size() / 4) {
        d.binary = true;
        out.warnings.push_back("document " + std::to_string(d.sequence) + ": " +
                               std::to_string(bad) + " of " + std::to_string(body.size()) +
                               " bytes are not valid UTF-8; not text, its text is skipped");
      }
    }
    if (!d.binary) {
      const std::string_view body = BodyOf(sg, sd);
      const BodyKind kind = KindOf(body);
      d.text = BodyToText(body, kind);
      if (sg.container == Container::kBare && kind == BodyKind::kXml) {
        const std::string root = XmlRoot(body);
        out.warnings.push_back("not a filing: a bare XML document" +
                               (root.empty() ? std::string() : " <" + ToUtf8(root) + ">"));
        if (out.form.empty()) {
          std::string form = XmlValue(body, "documentType");
          if (form.empty()) form = XmlValue(body, "submissionType");
          out.form = ToUtf8(form);
        }
      }
    }
    out.documents.push_back(std::move(d));
  }
  // Normalised bytes, if any, are no longer needed; free them before sections.
  sg.owned_bytes = std::string();
  sg.owns_bytes = false;

  // Without a header, the cover page of the first text document speaks.
  if (!sg.has_header) {
    const Document* primary = nullptr;
    for (const Document& d : out.documents) {
      if (!d.binary && !d.text.empty()) {
        primary = &d;
        break;
      }
    }
    if (out.form.empty() && !out.documents.empty()) out.form = out.documents.front().type;
    if (primary != nullptr) {
      // The cover page is at the top; a bounded prefix keeps huge bodies cheap.
      const CoverPage cover =
          ExtractCoverPage(std::string_view(primary->text).substr(0, kCoverPrefix));
      if (out.form.empty()) out.form = cover.form;
      if (out.period.empty()) out.period = cover.period;
      if (out.filed.empty()) out.filed = cover.filed;
      if (!cover.registrant.empty() || !cover.irs.empty()) {
        Party p;
        p.role = "filer";
        p.name = cover.registrant;
        p.irs = cover.irs;
        p.state_of_inc = cover.state_of_inc;
        p.business_state = cover.business_state;
        p.file_number = cover.file_number;
        out.parties.push_back(std::move(p));
      }
    }
  }

  // What an index said about the filing fills what the filing lacks.
  if (out.form.empty()) out.form = raw.form_hint;
  if (out.filed.empty() && !raw.filed_hint.empty()) {
    out.filed = NormalizeDate(raw.filed_hint).value_or("");
  }
  if (!raw.cik_hint.empty()) {
    const std::string cik = NormalizeCik(raw.cik_hint).value_or("");
    if (!cik.empty()) {
      if (out.parties.empty()) {
        Party p;
        p.role = "filer";
        p.cik = cik;
        out.parties.push_back(std::move(p));
      } else if (out.parties.front().cik.empty()) {
        out.parties.front().cik = cik;
      }
    }
  }
  if (sg.container == Container::kBare && out.documents.size() == 1 &&
      out.documents.front().type.empty()) {
    out.documents.front().type = out.form;
  }
  if (out.form.empty()) out.warnings.push_back("form type unknown");

  out.form = std::string(TrimView(out.form));
  out.root_form = out.form;
  if (out.root_form.size() > 2 && out.root_form.substr(out.root_form.size() - 2) == "/A") {
    out.amendment = true;
    out.root_form.resize(out.root_form.size() - 2);
  }

  // 8-K items from the header: codes (<ITEMS>) or titles (ITEM INFORMATION).
  const bool eight_k = IsEightK(out.root_form);
  // The filing date decides the item numbering; a bare document without one
  // has at least its period (date of report), which is a few days earlier.
  const std::string& scheme_date = out.filed.empty() ? out.period : out.filed;
  const bool old_numbering = !scheme_date.empty() && UsesOldItemNumbering(scheme_date);
  if (eight_k) {
    for (const std::string& code : sg.item_codes) AddUnique(&out.items, NormalizeItemCode(code));
    if (out.items.empty()) {
      for (const std::string& title : sg.item_titles) {
        if (TrimView(title).empty()) continue;
        std::string code;
        const std::string_view t = TrimView(title);
        if (t.find_first_not_of("0123456789.") == kNpos) {
          code = NormalizeItemCode(t);  // some headers give the code itself
        } else {
          code = ItemCodeForTitle(title);
          if (!code.empty() && old_numbering) code = OldCodeFor(code);
        }
        if (code.empty()) {
          out.warnings.push_back("unrecognised ITEM INFORMATION title: " + title);
          continue;
        }
        AddUnique(&out.items, std::move(code));
      }
    }
  }

  // Sections: the documents whose type is the form (for 8-K, the main one).
  const SectionScheme scheme = SchemeFor(out.root_form, scheme_date);
  if (scheme != SectionScheme::kNone) {
    std::vector<const Document*> targets;
    for (const Document& d : out.documents) {
      if (d.binary || d.text.empty()) continue;
      const std::string type(TrimView(d.type));
      if (type == out.form || type == out.root_form) {
        targets.push_back(&d);
        if (eight_k) break;
      }
    }
    if (targets.empty()) {
      for (const Document& d : out.documents) {
        if (!d.binary && !d.text.empty()) {
          targets.push_back(&d);
          break;
        }
      }
    }
    for (const Document* d : targets) {
      std::vector<Section> found = rep_->splitter->Split(d->text, scheme, d->sequence);
      for (Section& s : found) out.sections.push_back(std::move(s));
    }
  }
  if (eight_k && out.items.empty()) {
    for (const Section& s : out.sections) AddUnique(&out.items, NormalizeItemCode(s.id));
  }
  for (const std::string& item : out.items) AddUnique(&out.events, EventForItem(item));

  if (!rep_->options.keep_text) {
    for (Document& d : out.documents) d.text = std::string();
  }
  return out;
}

}  // namespace edgarix::parse
