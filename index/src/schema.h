#pragma once

// Column families and key layouts of an edgarix index. docs/FORMAT.md is the
// prose version of this file; keep them in step.
// DO NOT CHANGE: stored in the index (bump kSchemaVersion when you must).

#include <cstdint>
#include <string>
#include <string_view>

#include "codec.h"

namespace edgarix::index {

inline constexpr uint32_t kSchemaVersion = 1;

// Column families, in the order the handles vector holds them.
enum Cf : int {
  kCfDefault = 0,
  kCfMeta,
  kCfAccessions,
  kCfDocs,
  kCfPostings,
  kCfPositions,
  kCfFacets,
  kCfText,
  kCfRegistrants,
  kCfLookup,
  kCfFailures,
  kCfCount,
};
inline constexpr const char* kCfNames[kCfCount] = {
    "default", "meta",   "accessions",  "docs",   "postings", "positions",
    "facets",  "text",   "registrants", "lookup", "failures",
};

// The Cf of a column family name; -1 when none has it.
inline int CfByName(std::string_view name) {
  for (int cf = 0; cf < kCfCount; ++cf) {
    if (name == kCfNames[cf]) return cf;
  }
  return -1;
}

// Positions between documents of a filing (and between party names in the
// company field), so that no phrase or NEAR/n with n < kDocGap spans two.
inline constexpr uint32_t kDocGap = 1000;

// Text terms begin with a tokenizer word byte (alnum or >= 0x80); terms of
// party names (the `company:` field) carry this prefix byte instead.
inline constexpr char kCompanyTermPrefix = '\x01';

// meta keys. Internal counters live under "i/", user values from
// IndexWriter::Commit(meta) under "u/".
inline constexpr std::string_view kMetaSchema = "i/schema_version";
inline constexpr std::string_view kMetaNextDoc = "i/next_doc_id";
inline constexpr std::string_view kMetaNextSegment = "i/next_segment";
inline constexpr std::string_view kMetaNextFailure = "i/next_failure";
inline constexpr std::string_view kMetaLiveFilings = "i/live_filings";
inline constexpr std::string_view kMetaTotalTokens = "i/total_tokens";
inline constexpr std::string_view kMetaPostings = "i/postings";
inline constexpr std::string_view kMetaUserPrefix = "u/";
// "n/" + first doc id (big-endian) -> varint token counts (BM25 lengths) of
// the consecutive doc ids of one batch.
inline constexpr std::string_view kMetaNormsPrefix = "n/";

// Facet field that holds replaced (deleted) doc ids.
inline constexpr std::string_view kDeletedField = "_deleted";

// postings / positions key: term '\0' segment (big-endian).
inline std::string PostingKey(std::string_view term, uint32_t segment) {
  std::string k;
  k.reserve(term.size() + 5);
  k.append(term.data(), term.size());
  k.push_back('\0');
  PutBigEndian32(k, segment);
  return k;
}

// Positions of a posting segment are stored in chunks of this many docs
// (key: postings key + chunk number, big-endian), so a reader decodes only the
// chunk holding the filing it needs.
inline constexpr size_t kPositionsChunkDocs = 128;

// facets key: field '\0' value '\0' segment (big-endian).
inline std::string FacetPrefix(std::string_view field, std::string_view value) {
  std::string k;
  k.append(field.data(), field.size());
  k.push_back('\0');
  k.append(value.data(), value.size());
  k.push_back('\0');
  return k;
}

inline std::string DocKey(uint32_t doc) {
  std::string k;
  PutBigEndian32(k, doc);
  return k;
}

// text key: doc id, document sequence (both big-endian).
inline std::string TextKey(uint32_t doc, uint32_t sequence) {
  std::string k;
  PutBigEndian32(k, doc);
  PutBigEndian32(k, sequence);
  return k;
}

}  // namespace edgarix::index
