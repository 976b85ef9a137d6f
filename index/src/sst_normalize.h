#pragma once

// Making SST files written by rocksdb::SstFileWriter byte-reproducible.
// Private to index/.
//
// RocksDB 7.8's SstFileWriter stores a random 20-character
// `rocksdb.creating.session.identity` (DBImpl::GenerateDbSessionId, not
// controllable) in the properties block of every file it writes, so two runs
// over the same keys and values produce files that differ in that value and in
// the properties block's checksum. NormalizeSstSessionId() overwrites the value
// in place and recomputes the block trailer, after which such files are
// byte-identical.
//
// THE ID MUST BE UNIQUE PER DISTINCT FILE CONTENT. SstFileWriter files in
// RocksDB 7.8 carry `rocksdb.original.file.number` 1, and RocksDB then keys
// their blocks in the block cache by (session id, file number 1, offset) and
// derives their SST unique id from the same pair. Two files with different
// contents but one session id, read through one block cache (e.g. two shards
// ingested into one DB whose column families share a cache, or one process
// opening both), get colliding cache keys and return each other's blocks:
// wrong data with no checksum error (demonstrated in
// tests/index/sst_normalize_test.cc). Files with identical bytes may share an
// id harmlessly. So prefer NormalizeSstSessionIdFromContent(), which derives
// the id from a 128-bit hash of the file itself; with NormalizeSstSessionId()
// the caller must guarantee the uniqueness (e.g. SessionIdFromSeed() of a
// strong hash of everything written to the file plus the options).
//
// Other sources of variation the caller must pin when it builds the writer's
// rocksdb::Options (see tests/index/sst_normalize_test.cc):
//  - Options::db_host_id: the host name by default, stored as
//    `rocksdb.creating.host.identity`. Set it to "" (or a constant) so shards
//    built on different machines agree.
//  - Compression, block size, checksum type, format_version, filter policy and
//    the rest of the table options are part of the bytes, as are the keys and
//    values themselves and the order of Put() calls.
// Measured on RocksDB 7.8.3: nothing else varies between runs, including runs
// more than a second apart (creation and oldest-key times are 0,
// `rocksdb.creating.db.identity` is the constant "SST Writer").
//
// Supported block checksum types (BlockBasedTableOptions::checksum): all of
// RocksDB 7.8's, i.e. kNoChecksum, kCRC32c, kxxHash, kxxHash64 and kXXH3 (the
// 7.8 default). Supported footers: the block-based table format_version 0
// (legacy footer) through 5 (the 7.8 default).
//
// Thread safety: the functions are safe to call concurrently on different
// files; concurrent calls on one file, or a call while another process writes
// the file, are not.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace edgarix::index {

// Length of a RocksDB session id, and so of `session_id` below.
inline constexpr size_t kSstSessionIdLength = 20;

// Rewrites, in place, the session-identity property of the SST file at `path`,
// written by rocksdb::SstFileWriter, with `session_id`, and fixes the
// properties block's checksum, so files with the same keys and values (and
// options) become byte-identical.
//
// REQUIRES: `session_id` is kSstSessionIdLength characters of [0-9A-Z] (as
// RocksDB's own ids are); otherwise InvalidArgument.
// REQUIRES (not checked): no file with different contents that may be read
// through the same block cache gets the same `session_id` (see the top).
//
// Before writing, verifies the footer, the metaindex and properties blocks and
// their checksums, that the existing value has the same length, and that
// `rocksdb.creating.db.identity` is "SST Writer"; after writing, fsyncs the file,
// reopens it with rocksdb::SstFileReader, runs VerifyChecksum() over every
// block and checks the property reads back as `session_id`.
// Returns: OK; NotFound if the file does not exist; DataLoss if the file is
// not a valid block-based SST (truncated, bad magic, bad checksum, missing
// property) or fails verification afterwards; FailedPrecondition if the file
// is valid but not one this function may rewrite (not from SstFileWriter,
// compressed properties block, unknown checksum type); Internal for I/O
// errors. Every error message names `path`. A file already holding
// `session_id` is left byte-for-byte unchanged (apart from the verification).
// Memory use is bounded by the size of the metaindex and properties blocks,
// not the file.
absl::Status NormalizeSstSessionId(const std::string& path,
                                   std::string_view session_id);

// Like NormalizeSstSessionId(), with the id derived from an XXH3-128 hash of
// the file's bytes (with the session id and the properties block checksum
// read as zeros), so files with equal bytes get equal ids and different files
// different ids. Reads the whole file once, in 1 MiB chunks. Returns the id.
absl::StatusOr<std::string> NormalizeSstSessionIdFromContent(
    const std::string& path);

// A deterministic kSstSessionIdLength-character [0-9A-Z] id derived from
// `seed` (for example a hash of the shard's content). Distinct seeds give
// distinct ids; the seed must therefore differ for files whose contents
// differ (see the top). The mapping is part of the shard format: DO NOT CHANGE.
std::string SessionIdFromSeed(uint64_t seed);

}  // namespace edgarix::index
