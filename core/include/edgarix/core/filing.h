#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The types that cross stage boundaries: RawFiling leaves fetch (or any
// reader of files on disk), ParsedFiling leaves parse. Plain values, no
// behaviour; each stage owns the logic that fills them.

namespace edgarix {

// One filing's bytes as read from disk, an archive member or the network.
struct RawFiling {
  // Where the bytes came from: a path, a URL, or "archive#member" for a
  // member of a tar archive. Printed in every result and error.
  std::string source;
  // The filing exactly as stored (not decoded, not normalised).
  std::string bytes;
  // Non-empty when the reader could not produce the bytes (a corrupt archive
  // member, a member over the size limit, an unreadable file). `bytes` is
  // then empty or partial and must not be parsed; the pipeline records the
  // failure under `source` and goes on.
  std::string read_error;
  // What an index file said about this filing, when known (the daily index
  // a crawl read, say). Empty otherwise. Fills in what a bare document
  // cannot say about itself.
  std::string cik_hint;
  std::string form_hint;
  std::string filed_hint;  // ISO date
};

// A party to a filing, from the SGML header (or a bare document's cover).
struct Party {
  // "filer", "subject", "filed_by", "reporting_owner", "issuer", or another
  // header role in lower snake case ("depositor", "issuing_entity", ...).
  std::string role;
  std::string cik;             // without leading zeros; empty when unknown
  std::string name;
  std::string irs;             // IRS employer id, digits only as in the header
  std::string sic;             // 4-digit code, e.g. "6022"
  std::string state_of_inc;    // e.g. "DE"
  std::string business_state;  // state of the business address, e.g. "CA"
  std::string fiscal_year_end; // MMDD
  std::string file_number;     // SEC file number / commission file number
  std::vector<std::string> former_names;
};

// One <DOCUMENT> of a submission (or the whole of a bare document).
struct Document {
  int sequence = 0;           // 1-based; <SEQUENCE>, or position when absent
  std::string type;           // <TYPE>, e.g. "8-K", "EX-99.1", "GRAPHIC"
  std::string filename;
  std::string description;
  // True when the payload is uuencoded, a <PDF> block, or otherwise not
  // text; its text is then empty and it is never tokenized.
  bool binary = false;
  // Extracted plain text in UTF-8 (HTML turned into text, entities decoded,
  // block elements as line breaks, hidden iXBRL header content dropped).
  std::string text;
};

// A section of one document's text: an 8-K item, a 10-K item, ...
struct Section {
  // "2.02", "5" (old 8-K numbering), "1A", "7A", "I-2", "II-1A", "II-8"...
  std::string id;
  std::string title;     // the heading's title as written, whitespace collapsed
  int document = 0;      // the Document::sequence it lies in
  // Byte range [begin, end) of Document::text; begins at the heading.
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct ParsedFiling {
  std::string source;
  std::string accession;  // dashed form; empty when the filing has none
  std::string form;       // as filed, e.g. "10-K/A"
  std::string root_form;  // without "/A", e.g. "10-K"
  bool amendment = false;
  std::string filed;      // ISO "YYYY-MM-DD"; empty when unknown
  std::string period;     // ISO; empty when unknown
  std::string accepted;   // "YYYY-MM-DDThh:mm:ss" Eastern; empty when unknown
  int public_document_count = -1;  // from the header; -1 when absent
  std::vector<Party> parties;
  // 8-K items as numbered by the filing: "1.01".."9.01", or "1".."12"
  // before 2004-08-23.
  std::vector<std::string> items;
  // `items` in today's numbering (old 5 -> 8.01, 7 -> 9.01, 12 -> 2.02, ...).
  std::vector<std::string> events;
  std::vector<Document> documents;
  std::vector<Section> sections;
  // Things a reader should know: unparseable header lines, missing closing
  // tags, "not a filing: XML information table", truncated input.
  std::vector<std::string> warnings;
  // Size of the raw input in bytes.
  uint64_t raw_bytes = 0;
};

}  // namespace edgarix
