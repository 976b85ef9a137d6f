#pragma once

// A content digest of one or more edgarix indexes that does not depend on doc
// ids, segments, batch sizes, the order filings were added in, replaced
// copies or how many databases hold them. Two indexes with the same live
// filings (same records, texts, postings with positions, and facet values)
// have the same digest; any difference in those changes it (up to 64-bit
// hash collisions). Used by `edgarix stats --digest`, scripts/crash-test and
// to compare a sharded/merged index with a single-process build.
//
// What is hashed (docs/RELIABILITY.md, "Crash tests"):
//   live filings   every `accessions` entry whose doc id is not deleted; a key
//                  live in several databases counts once, in the copy the
//                  Searcher would use (newest filed, then accepted; ties to
//                  the later database)
//   records        each live filing's doc record bytes (no doc ids in them)
//   text           each live filing's document texts, by document index
//   terms          per term: the multiset of (filing key, freq, positions)
//                  of its live filings (an order-independent sum of per-
//                  posting hashes, equal to hashing them sorted by key)
//   facets         per (field, value): the set of live filing keys
// Not hashed: parse failures, meta counters and BM25 norms (derived),
// registrant name lists (they keep names of replaced copies).
//
// Streams every family once; memory is one 8-byte slot per doc id of each
// database plus one posting segment / one facet bitmap at a time.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace edgarix::index {

struct IndexDigest {
  uint64_t filings = 0;       // live filings (distinct keys)
  uint64_t terms = 0;         // distinct terms with a live posting (text + company)
  uint64_t postings = 0;      // live (term, filing) pairs
  uint64_t facet_values = 0;  // distinct (field, value) pairs with a live filing
  uint64_t documents = 0;     // live filings' stored document texts
  uint64_t records_checksum = 0;
  uint64_t text_checksum = 0;
  uint64_t postings_checksum = 0;
  uint64_t facets_checksum = 0;
  uint64_t digest = 0;  // of everything above

  // 16 lower-case hex digits.
  static std::string Hex(uint64_t v);
};

struct DigestOptions {
  // When set, called once per term with a live posting, in term byte order
  // (company-name terms start with byte 0x01), with the term's checksum.
  std::function<void(std::string_view term, uint64_t checksum)> on_term;
  // Likewise per facet value: field, value and checksum.
  std::function<void(std::string_view field, std::string_view value, uint64_t checksum)>
      on_facet;
};

// Opens every database read-only (beside a live writer is fine: it sees the
// index as of opening). NotFound when a path holds no index; DataLoss on
// corrupt bytes or a live filing without a record.
absl::StatusOr<IndexDigest> ComputeDigest(const std::vector<std::string>& dbs,
                                          const DigestOptions& options = {});

}  // namespace edgarix::index
