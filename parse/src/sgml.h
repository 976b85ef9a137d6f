#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edgarix/core/filing.h"

// The SGML container of an EDGAR submission: envelope, header and the
// <DOCUMENT> list, without interpreting document bodies (no HTML, no
// sections). Private to the parse stage; Parser builds on it.

namespace edgarix::parse {

// Which wrapper the input had.
enum class Container {
  kBare,          // no SGML at all: one document, the whole input
  kDocumentsOnly, // <DOCUMENT> elements without a header
  kSecDocument,   // <SEC-DOCUMENT>/<SEC-HEADER> (spaced-label dialect)
  kImsDocument,   // 1990s <IMS-DOCUMENT>/<IMS-HEADER>
  kSubmission,    // feed .nc <SUBMISSION> (tagged dialect)
  kHeaderOnly,    // .hdr.sgml or a bare header: header, no documents
  kIndexHeaders,  // -index-headers.html: header in an HTML page
};

// One <DOCUMENT> as found. Its body is SgmlFiling::bytes[body_begin,
// body_end): the bytes between <TEXT> and </TEXT> (line endings already LF),
// with an <XBRL>/<XML> wrapper removed.
struct SgmlDocument {
  int sequence = 0;  // <SEQUENCE>, or position (1-based) when absent/invalid
  std::string type;
  std::string filename;
  std::string description;
  bool binary = false;  // uuencoded, <PDF>, or bytes that are not text
  size_t body_begin = 0;
  size_t body_end = 0;
};

// The header fields and documents of one submission.
struct SgmlFiling {
  Container container = Container::kBare;
  bool has_header = false;
  // The input with CRLF and bare CR turned into LF; SgmlDocument body
  // offsets index into it. It is the caller's input itself when that needed
  // no change and was passed as a view, else a string owned here.
  std::string_view bytes() const {
    return owns_bytes ? std::string_view(owned_bytes) : input_bytes;
  }
  bool owns_bytes = false;
  std::string owned_bytes;
  std::string_view input_bytes;
  std::string accession;   // dashed; empty when absent
  std::string form;        // as filed, e.g. "10-K/A"
  std::string filed;       // ISO
  std::string period;      // ISO
  std::string accepted;    // "YYYY-MM-DDThh:mm:ss"
  int public_document_count = -1;
  std::vector<std::string> item_codes;   // <ITEMS> values as written
  std::vector<std::string> item_titles;  // ITEM INFORMATION titles
  std::vector<Party> parties;
  std::vector<SgmlDocument> documents;
  std::vector<std::string> warnings;
};

// Reads the container and header of `input` (any EDGAR submission: .txt,
// .nc, .hdr.sgml, -index-headers.html, IMS/PEM, <DOCUMENT>-only, or a bare
// document). Accepts LF, CRLF and bare CR. Never fails: damaged input
// (truncated, missing closing tags, unparseable header lines) yields what
// could be read plus warnings. Linear time; memory about the input size
// again when the input has CR line endings, else a small constant. Pure;
// thread-safe.
// REQUIRES: `input` outlives the result (its bytes are not copied unless
// they need normalising). The std::string&& overload takes ownership.
SgmlFiling ReadSgml(std::string_view input);
SgmlFiling ReadSgml(std::string&& input);

// The body of `doc` inside `filing.bytes`.
inline std::string_view BodyOf(const SgmlFiling& filing, const SgmlDocument& doc) {
  return filing.bytes().substr(doc.body_begin,
                                               doc.body_end - doc.body_begin);
}

// Maps a header role ("FILER", "SUBJECT COMPANY", "FILED-BY",
// "REPORTING-OWNER") to its ParsedFiling role: "filer", "subject",
// "filed_by", "reporting_owner", "issuer", others lower snake case.
std::string RoleName(std::string_view header_role);

// Turns XML (Form 4, 13F information tables, XBRL) into text: tags become
// line breaks, the five predefined and numeric entities are decoded, runs of
// blank lines collapse. Never fails; output is at most the input size.
std::string XmlToText(std::string_view xml);

// Plain-text body cleanup: drops EDGAR markup lines such as <PAGE>,
// </PAGE>, <TABLE>, <CAPTION>, <S>, <C>, <FN> and turns the rest to UTF-8.
std::string PlainText(std::string_view text);

// True when `body` starts (after blanks) with a uuencoded payload
// ("begin 644 name") or a <PDF> block, or holds NUL bytes near its start.
bool LooksBinary(std::string_view body);

}  // namespace edgarix::parse
