#pragma once

// Shards: a unit of index work for a cluster task, and merging shards into
// one index. docs/SCALE.md describes the whole job; docs/FORMAT.md the bytes.
//
// A shard is a directory holding one sorted SST file per non-empty column
// family (`<family>.sst`) and a manifest, `edgarix-shard.json`, written last.
// Its doc ids, segments and failure numbers start at 0, exactly as in a fresh
// index built from the same inputs in the same order, and its bytes are a
// pure function of those inputs: building it twice gives identical files.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace edgarix::index {

inline constexpr char kShardManifestName[] = "edgarix-shard.json";

struct ShardFile {
  std::string family;  // column family name
  std::string name;    // file name inside the shard directory
  uint64_t bytes = 0;
  uint64_t entries = 0;
  std::string digest;  // 16 hex digits over the file's keys and values
};

struct ShardInfo {
  std::string id;                   // 16 hex digits over the files' digests
  std::vector<std::string> inputs;  // as given to `edgarix shard`
  uint64_t filings = 0;             // live filings
  uint64_t doc_ids = 0;             // doc ids used (replaced copies included)
  uint64_t segments = 0;
  uint64_t failures = 0;
  uint64_t total_tokens = 0;
  uint64_t postings = 0;
  std::vector<ShardFile> files;
};

// True when `dir` holds a shard manifest.
bool IsShard(const std::string& dir);

// Reads and checks `dir`/edgarix-shard.json (format, schema version, files
// present with their sizes). Errors name the shard and the reason.
absl::StatusOr<ShardInfo> ReadShard(const std::string& dir);

// Writes the index at `db_path` -- a fresh index built by IndexWriter from
// `inputs` and nothing else -- as a shard into `out_dir` (created; must not
// hold files). The manifest is written last, so a directory without one is
// an unfinished shard. Does not modify `db_path`.
absl::StatusOr<ShardInfo> ExportShard(const std::string& db_path, const std::string& out_dir,
                                      const std::vector<std::string>& inputs);

struct MergeResult {
  std::string dir;  // the shard directory
  ShardInfo shard;
  bool already_merged = false;  // the index holds this shard id: nothing done
  uint64_t added = 0;           // filings new to the index
  uint64_t replaced = 0;        // filings whose copy in the index was older
  uint64_t superseded = 0;      // shard filings older than the index's copy
  double seconds = 0;
};

// Merges shards into the index at `db_path` (created when missing), in the
// order given, each in one atomic IngestExternalFiles step: after a crash a
// shard is fully merged or not at all. Keys and values are rewritten only
// where doc ids, segments and failure numbers move (no parsing, no
// inverting). A filing key present in the index and in a shard is kept once:
// the copy with the newer (filed, accepted) dates, the shard's on a tie --
// the rule multi-database search uses. A shard whose id the index already
// records is skipped, so merging twice changes nothing. The shard's content
// is checked against its manifest digests before it is ingested.
// `on_merged` (may be empty) is called after each shard.
absl::StatusOr<std::vector<MergeResult>> MergeShards(
    const std::string& db_path, const std::vector<std::string>& shard_dirs,
    const std::function<void(const MergeResult&)>& on_merged);

}  // namespace edgarix::index
