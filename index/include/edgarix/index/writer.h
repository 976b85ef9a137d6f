#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "edgarix/core/filing.h"

namespace edgarix::index {

// The indexable form of one filing: its record, its terms with positions and
// its text for snippets. Built by Analyze() on any thread, consumed by
// IndexWriter::Add() on one. Opaque outside index/.
struct AnalyzedFiling;
struct AnalyzedFilingDeleter {
  void operator()(AnalyzedFiling* p) const;
};
using AnalyzedFilingPtr = std::unique_ptr<AnalyzedFiling, AnalyzedFilingDeleter>;

// Tokenizes and inverts one filing in memory. Pure function of `filing`;
// safe to call concurrently from many threads. Approximate memory held by the
// result is reported by AnalyzedBytes().
AnalyzedFilingPtr Analyze(ParsedFiling filing);
uint64_t AnalyzedBytes(const AnalyzedFiling& filing);

struct WriterOptions {
  // A batch is committed when it holds this many filings... Default: 4096.
  size_t batch_max_filings = 4096;
  // ... or this many bytes of analyzed data. Default: 256 MiB.
  uint64_t batch_max_bytes = 256ull << 20;
  // Write each batch as sorted SST files and ingest them
  // (SstFileWriter + IngestExternalFile) rather than a WriteBatch.
  // Default: true.
  bool ingest_sst = true;
};

// Writes filings into a RocksDB index at `db_path`, creating it if needed.
//
// Each batch commits atomically: after a crash (SIGKILL at any moment) the
// database opens, and every filing is either fully in (record, postings,
// facets, text) or fully out. Adding a filing whose key (accession number,
// or content hash when it has none) is already indexed replaces it.
//
// Not thread-safe: one thread calls Add/AddFailure/Commit. Only one writer
// may have a database open at a time (RocksDB's LOCK file enforces it).
class IndexWriter {
 public:
  static absl::StatusOr<std::unique_ptr<IndexWriter>> Open(
      const std::string& db_path, const WriterOptions& options);
  ~IndexWriter();  // Does not commit: call Commit() first.
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds one filing to the current batch; commits the batch when full.
  absl::Status Add(AnalyzedFilingPtr filing);
  // Records that `source` could not be read or parsed, and why. Stored with
  // the next commit; shown by `edgarix stats` and `edgarix verify`.
  absl::Status AddFailure(std::string_view source, std::string_view reason);
  // Commits the current batch, with `meta` key/values (a crawl watermark,
  // say) written in the same atomic step.
  absl::Status Commit(
      const std::vector<std::pair<std::string, std::string>>& meta = {});
  // Reads a meta value written by Commit(); nullopt when absent.
  absl::StatusOr<std::optional<std::string>> GetMeta(std::string_view key) const;

  // Filings added since Open() (replacements included) and failures recorded.
  uint64_t filings_added() const;
  uint64_t failures_added() const;

 private:
  struct Rep;
  explicit IndexWriter(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace edgarix::index
