#pragma once

// Byte-level encodings of the index (docs/FORMAT.md): varints, big-endian
// ids, posting blocks, doc records and bitmaps. Pure functions; every decoder
// checks bounds and returns false (or an error) on malformed bytes instead of
// reading past the end.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "roaring/roaring.hh"

namespace edgarix::index {

// --- primitives -------------------------------------------------------------

void PutVarint32(std::string& out, uint32_t v);
void PutVarint64(std::string& out, uint64_t v);
void PutBigEndian32(std::string& out, uint32_t v);
void PutBigEndian64(std::string& out, uint64_t v);
void PutLengthPrefixed(std::string& out, std::string_view s);

// A bounds-checked reader over a byte string. Every Get* returns false on
// truncated or malformed input and leaves the reader failed.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  bool GetVarint32(uint32_t& v);
  bool GetVarint64(uint64_t& v);
  bool GetLengthPrefixed(std::string& s);
  bool GetLengthPrefixed(std::string_view& s);
  bool GetBytes(size_t n, std::string_view& s);
  bool done() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

 private:
  const char* p_;
  const char* end_;
};

uint32_t DecodeBigEndian32(const char* p);
uint64_t DecodeBigEndian64(const char* p);

// --- posting blocks ---------------------------------------------------------

// The doc-id half of one posting list segment: `docs` ascending, `freqs`
// parallel (occurrences of the term in that filing).
struct DocBlock {
  std::vector<uint32_t> docs;
  std::vector<uint32_t> freqs;
};

// Incremental encoder: doc ids must be added in ascending order.
class PostingBuilder {
 public:
  // Adds `positions` (ascending) of the term in filing `doc`.
  void Add(uint32_t doc, const uint32_t* positions, size_t n);
  size_t doc_count() const { return count_; }
  size_t bytes() const { return docs_.size() + freqs_.size() + positions_.size(); }
  // Value of the `postings` key: varint count, varint len(doc bytes),
  // doc-id deltas (varints), frequencies (varints).
  std::string FinishDocs() const;
  // Value of the `positions` key: for each doc in order, its positions as
  // deltas (varints); the count is the doc's frequency.
  const std::string& positions() const { return positions_; }

 private:
  std::string docs_;
  std::string freqs_;
  std::string positions_;
  uint32_t last_doc_ = 0;
  size_t count_ = 0;
};

// Appends the decoded block to `out` (docs ascending within a block).
bool DecodeDocBlock(std::string_view value, DocBlock& out);
// Decodes a positions value given the block's freqs: `offsets` gets
// freqs.size()+1 entries into `positions`.
bool DecodePositions(std::string_view value, const uint32_t* freqs, size_t n,
                     std::vector<uint32_t>& offsets,
                     std::vector<uint32_t>& positions);

// --- bitmaps ----------------------------------------------------------------

std::string EncodeBitmap(Roaring& bitmap);  // run-optimizes
absl::StatusOr<Roaring> DecodeBitmap(std::string_view value);

// --- doc records ------------------------------------------------------------

struct PartyRecord {
  std::string role, cik, name, irs, sic, state_of_inc, business_state;
};
struct DocumentRecord {
  uint32_t sequence = 0;
  std::string type, filename, description;
  bool binary = false;
  uint32_t pos_begin = 0, pos_end = 0;  // token positions [begin, end)
  uint32_t text_bytes = 0;
  // Byte offset of every kCheckpointTokens-th token (0, 256, 512, ...), so a
  // snippet re-tokenizes only the text around its window.
  std::vector<uint32_t> checkpoints;
};

inline constexpr uint32_t kCheckpointTokens = 256;
struct SectionRecord {
  std::string id, title;
  uint32_t document = 0;                // Document sequence
  uint32_t pos_begin = 0, pos_end = 0;  // token positions [begin, end)
  uint32_t byte_begin = 0, byte_end = 0;
};
struct DocRecord {
  std::string key;  // accession, or "sha:" + content hash
  std::string source, accession, form, root_form, filed, period, accepted;
  bool amendment = false;
  uint64_t raw_bytes = 0;
  uint32_t total_tokens = 0;    // BM25 length
  uint32_t distinct_terms = 0;  // postings contributed
  std::vector<PartyRecord> parties;
  std::vector<std::string> items, events;
  std::vector<DocumentRecord> documents;
  std::vector<SectionRecord> sections;
};

// DO NOT CHANGE without bumping kSchemaVersion: stored in the index.
std::string EncodeDocRecord(const DocRecord& r);
bool DecodeDocRecord(std::string_view value, DocRecord& r);

}  // namespace edgarix::index
