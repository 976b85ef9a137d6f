#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rocksdb {
class DB;
}

namespace edgarix::fetch::internal {

// One journal record per archive-relative path.
struct JournalEntry {
  // DO NOT CHANGE the letters: stored in the journal.
  enum class State : char { kPartial = 'P', kComplete = 'C' };
  State state = State::kPartial;
  uint64_t size = 0;   // complete: bytes on disk
  uint32_t crc32 = 0;  // complete: zlib CRC-32 of the bytes
  std::string etag;    // validators the server sent with the body
  std::string last_modified;
  int64_t unix_time = 0;  // when the record was written
};

// The fetch journal: a small RocksDB database (key = path, value = the
// entry's fields, one per line, after a "v1" line). Thread-safe.
class Journal {
 public:
  // Creates `dir` when missing. Internal/Unavailable when RocksDB cannot
  // open it (e.g. another process holds its lock).
  static absl::StatusOr<std::unique_ptr<Journal>> Open(const std::string& dir);
  ~Journal();

  absl::StatusOr<std::optional<JournalEntry>> Get(const std::string& path) const;
  absl::Status Put(const std::string& path, const JournalEntry& entry);
  absl::Status Delete(const std::string& path);

 private:
  explicit Journal(rocksdb::DB* db) : db_(db) {}
  rocksdb::DB* db_;  // owned
};

}  // namespace edgarix::fetch::internal
