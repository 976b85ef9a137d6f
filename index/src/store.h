#pragma once

// Opening an edgarix RocksDB database with its column families, and mapping
// rocksdb::Status to absl::Status. Private to index/.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "schema.h"

namespace edgarix::index {

absl::Status ToStatus(const rocksdb::Status& s, std::string_view context);

// Options of column family `cf` (compression per family: ZSTD for text,
// LZ4 elsewhere).
rocksdb::ColumnFamilyOptions CfOptions(int cf);

// An open database and its column family handles (indexed by Cf).
struct Store {
  std::string path;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  // A shard opened for reading is ingested into a scratch database here,
  // removed when the Store closes.
  std::string scratch_dir;
  rocksdb::ColumnFamilyHandle* cf(int i) const { return cfs[static_cast<size_t>(i)]; }
  ~Store();
};

// Opens (read-write, creating it and missing column families) or read-only.
// Checks the schema version. NotFound when a read-only open finds no index.
// A read-only open of a shard directory (edgarix shard) gives a scratch
// database holding the shard's files (hard links when possible), which reads
// exactly like the index the shard was exported from. A read-write open of a
// shard is refused.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path, bool read_only);

// Reads an unsigned counter from `meta` (0 when absent).
absl::StatusOr<uint64_t> ReadCounter(const Store& store, std::string_view key);
std::string EncodeCounter(uint64_t v);

}  // namespace edgarix::index
