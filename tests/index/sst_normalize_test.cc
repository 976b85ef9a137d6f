// Tests of index/src/sst_normalize.h against real files from RocksDB 7.8's
// SstFileWriter: the rewrite must make repeated runs byte-identical, keep the
// files valid for RocksDB (VerifyChecksum, IngestExternalFile) and reject
// damaged input with an error.

#include "sst_normalize.h"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "index_fixtures.h"
#include "rocksdb/cache.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_reader.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/table.h"
#include "rocksdb/table_properties.h"
#include "status_matchers.h"

namespace edgarix::index {
namespace {

using testing::TempDir;

struct SstConfig {
  rocksdb::CompressionType compression = rocksdb::kNoCompression;
  size_t block_size = 4096;
  rocksdb::ChecksumType checksum = rocksdb::kXXH3;  // the RocksDB 7.8 default
  uint32_t format_version = 5;
  int num_keys = 2000;
  size_t value_size = 100;
  bool bloom = false;
  bool pin_host_id = true;
};

std::string Key(int i) {
  char buf[32];
  snprintf(buf, sizeof buf, "key%09d", i);
  return buf;
}

// Values compress somewhat but not entirely.
std::string Value(int i, size_t size) {
  std::string v;
  uint64_t x = static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL + 1;
  while (v.size() < size) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    v += "filing-text ";
    v.push_back(static_cast<char>('a' + x % 26));
    v.push_back(static_cast<char>('a' + (x >> 8) % 26));
  }
  v.resize(size);
  return v;
}

rocksdb::Options WriterOptions(const SstConfig& c) {
  rocksdb::Options options;
  options.compression = c.compression;
  if (c.pin_host_id) options.db_host_id = "";
  rocksdb::BlockBasedTableOptions t;
  t.block_size = c.block_size;
  t.checksum = c.checksum;
  t.format_version = c.format_version;
  if (c.bloom) t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return options;
}

void WriteSst(const std::string& path, const SstConfig& c) {
  rocksdb::Options options = WriterOptions(c);
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options);
  ASSERT_TRUE(writer.Open(path).ok());
  for (int i = 0; i < c.num_keys; ++i) {
    ASSERT_TRUE(writer.Put(Key(i), Value(i, c.value_size)).ok());
  }
  ASSERT_TRUE(writer.Finish().ok());
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Spit(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

std::shared_ptr<const rocksdb::TableProperties> Props(const std::string& path) {
  rocksdb::Options options;
  rocksdb::SstFileReader reader(options);
  if (!reader.Open(path).ok()) return nullptr;
  return reader.GetTableProperties();
}

size_t DiffBytes(const std::string& a, const std::string& b) {
  size_t n = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += a[i] != b[i];
  return n;
}

bool Supported(rocksdb::CompressionType t) {
  if (t == rocksdb::kNoCompression) return true;
  for (rocksdb::CompressionType s : rocksdb::GetSupportedCompressions()) {
    if (s == t) return true;
  }
  return false;
}

TEST(SessionIdFromSeed, IsDeterministicWellFormedAndDistinct) {
  std::set<std::string> seen;
  for (uint64_t seed : {0ULL, 1ULL, 2ULL, 42ULL, ~0ULL, 0x8000000000000000ULL}) {
    std::string id = SessionIdFromSeed(seed);
    EXPECT_EQ(id, SessionIdFromSeed(seed));
    ASSERT_EQ(id.size(), kSstSessionIdLength);
    for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 6u);
  for (uint64_t seed = 0; seed < 10000; ++seed) seen.insert(SessionIdFromSeed(seed * 7919));
  EXPECT_EQ(seen.size(), 6u + 10000u - 1u);  // seed 0 appears twice
}

// The problem exists, and only the session id (and the checksum covering it)
// differs, even when the two runs are more than a second apart.
TEST(SstNormalize, TwoRunsSecondsApartDifferOnlyInSessionId) {
  TempDir dir;
  SstConfig c;
  const std::string a = dir.Sub("a.sst"), b = dir.Sub("b.sst");
  WriteSst(a, c);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  WriteSst(b, c);
  const std::string raw_a = Slurp(a), raw_b = Slurp(b);
  ASSERT_EQ(raw_a.size(), raw_b.size());
  EXPECT_NE(raw_a, raw_b);
  EXPECT_LE(DiffBytes(raw_a, raw_b), 24u);

  auto pa = Props(a), pb = Props(b);
  ASSERT_NE(pa, nullptr);
  ASSERT_NE(pb, nullptr);
  EXPECT_NE(pa->db_session_id, pb->db_session_id);
  EXPECT_EQ(pa->db_session_id.size(), kSstSessionIdLength);
  EXPECT_EQ(pa->db_id, "SST Writer");
  EXPECT_EQ(pa->db_host_id, "");
  EXPECT_EQ(pa->orig_file_number, 1u);  // why ids must be unique per content
  EXPECT_EQ(pa->creation_time, 0u);
  EXPECT_EQ(pa->oldest_key_time, 0u);
  EXPECT_EQ(pa->file_creation_time, pb->file_creation_time);

  const std::string id = SessionIdFromSeed(7);
  absl::Status s = NormalizeSstSessionId(a, id);
  ASSERT_OK(s);
  s = NormalizeSstSessionId(b, id);
  ASSERT_OK(s);
  EXPECT_EQ(Slurp(a), Slurp(b));
  EXPECT_EQ(Props(a)->db_session_id, id);
}

// Without Options::db_host_id = "", the host name is stored in the file.
TEST(SstNormalize, DefaultHostIdIsTheHostName) {
  TempDir dir;
  SstConfig c;
  c.pin_host_id = false;
  c.num_keys = 10;
  WriteSst(dir.Sub("a.sst"), c);
  auto p = Props(dir.Sub("a.sst"));
  ASSERT_NE(p, nullptr);
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(p->db_host_id, std::string(host));
}

class SstNormalizeMatrix
    : public ::testing::TestWithParam<
          std::tuple<rocksdb::CompressionType, size_t, rocksdb::ChecksumType>> {};

TEST_P(SstNormalizeMatrix, SameContentBecomesByteIdenticalAndValid) {
  SstConfig c;
  std::tie(c.compression, c.block_size, c.checksum) = GetParam();
  if (!Supported(c.compression)) GTEST_SKIP() << "compression not built into RocksDB";
  c.bloom = c.block_size == 16384;
  TempDir dir;
  const std::string a = dir.Sub("a.sst"), b = dir.Sub("b.sst");
  WriteSst(a, c);
  WriteSst(b, c);
  ASSERT_NE(Slurp(a), Slurp(b));
  const std::string id = SessionIdFromSeed(99);
  absl::Status s = NormalizeSstSessionId(a, id);
  ASSERT_OK(s);
  s = NormalizeSstSessionId(b, id);
  ASSERT_OK(s);
  EXPECT_EQ(Slurp(a), Slurp(b));

  rocksdb::Options options;
  rocksdb::SstFileReader reader(options);
  ASSERT_TRUE(reader.Open(a).ok());
  EXPECT_TRUE(reader.VerifyChecksum().ok());
  auto p = reader.GetTableProperties();
  EXPECT_EQ(p->db_session_id, id);
  EXPECT_EQ(p->num_entries, static_cast<uint64_t>(c.num_keys));
  EXPECT_GT(p->num_data_blocks, 5u);
}

INSTANTIATE_TEST_SUITE_P(
    Options, SstNormalizeMatrix,
    ::testing::Combine(::testing::Values(rocksdb::kNoCompression, rocksdb::kLZ4Compression,
                                         rocksdb::kZSTD),
                       ::testing::Values(size_t{4096}, size_t{16384}),
                       ::testing::Values(rocksdb::kNoChecksum, rocksdb::kCRC32c,
                                         rocksdb::kxxHash, rocksdb::kxxHash64,
                                         rocksdb::kXXH3)));

TEST(SstNormalize, OlderFormatVersionsWork) {
  for (uint32_t version : {0u, 1u, 2u, 3u, 4u}) {
    TempDir dir;
    SstConfig c;
    c.format_version = version;
    c.checksum = rocksdb::kCRC32c;
    WriteSst(dir.Sub("a.sst"), c);
    WriteSst(dir.Sub("b.sst"), c);
    absl::Status s = NormalizeSstSessionId(dir.Sub("a.sst"), SessionIdFromSeed(1));
    ASSERT_OK(s);
    s = NormalizeSstSessionId(dir.Sub("b.sst"), SessionIdFromSeed(1));
    ASSERT_OK(s);
    EXPECT_EQ(Slurp(dir.Sub("a.sst")), Slurp(dir.Sub("b.sst"))) << version;
  }
}

TEST(SstNormalize, LargeFileWithManyBlocksIngestsAndReadsBack) {
  TempDir dir;
  SstConfig c;
  c.compression = Supported(rocksdb::kZSTD) ? rocksdb::kZSTD : rocksdb::kNoCompression;
  c.num_keys = 60000;
  c.value_size = 200;
  c.bloom = true;
  const std::string a = dir.Sub("a.sst"), b = dir.Sub("b.sst");
  WriteSst(a, c);
  WriteSst(b, c);
  const std::string id = SessionIdFromSeed(12345);
  absl::Status s = NormalizeSstSessionId(a, id);
  ASSERT_OK(s);
  s = NormalizeSstSessionId(b, id);
  ASSERT_OK(s);
  EXPECT_EQ(Slurp(a), Slurp(b));
  auto p = Props(a);
  ASSERT_NE(p, nullptr);
  EXPECT_GT(p->num_data_blocks, 1000u);

  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir.Sub("db"), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::IngestExternalFileOptions ingest;
  ingest.move_files = false;
  rocksdb::Status rs = db->IngestExternalFile({a}, ingest);
  ASSERT_TRUE(rs.ok()) << rs.ToString();
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  int i = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++i) {
    ASSERT_EQ(it->key().ToString(), Key(i));
    ASSERT_EQ(it->value().ToString(), Value(i, c.value_size));
  }
  ASSERT_TRUE(it->status().ok());
  EXPECT_EQ(i, c.num_keys);
  std::string v;
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), Key(31337), &v).ok());
  EXPECT_EQ(v, Value(31337, c.value_size));
}

// Writes the 3000-key file of SameKeysOtherValues(): same key range and
// sizes as WriteSst(c) with c.num_keys = 3000, other values, so its blocks sit
// at the same offsets.
void WriteSameKeysOtherValues(const std::string& path, const SstConfig& c) {
  rocksdb::Options options = WriterOptions(c);
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options);
  ASSERT_TRUE(writer.Open(path).ok());
  for (int i = 0; i < c.num_keys; ++i) {
    ASSERT_TRUE(writer.Put(Key(i), Value(i + 1, c.value_size)).ok());
  }
  ASSERT_TRUE(writer.Finish().ok());
}

// Ingests a.sst and b.sst into two column families sharing one block cache,
// reads every key of a then of b, and returns how many values of b came back
// wrong.
int WrongReadsWithSharedCache(const TempDir& dir, const SstConfig& c) {
  auto cache = rocksdb::NewLRUCache(64 << 20);
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, cf_options}, {"other", cf_options}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  EXPECT_TRUE(rocksdb::DB::Open(options, dir.Sub("db"), cfs, &handles, &raw).ok());
  if (raw == nullptr) return -1;
  std::unique_ptr<rocksdb::DB> db(raw);
  EXPECT_TRUE(db->IngestExternalFile(handles[0], {dir.Sub("a.sst")}, {}).ok());
  EXPECT_TRUE(db->IngestExternalFile(handles[1], {dir.Sub("b.sst")}, {}).ok());
  std::string v;
  for (int i = 0; i < c.num_keys; ++i) {
    EXPECT_TRUE(db->Get({}, handles[0], Key(i), &v).ok());
    EXPECT_EQ(v, Value(i, c.value_size));
  }
  int wrong = 0;
  for (int i = 0; i < c.num_keys; ++i) {
    EXPECT_TRUE(db->Get({}, handles[1], Key(i), &v).ok());
    wrong += v != Value(i + 1, c.value_size);
  }
  for (auto* h : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  return wrong;
}

// Evidence for the warning in sst_normalize.h: one explicit id on two files
// with different contents makes RocksDB serve one file's blocks for the other.
TEST(SstNormalize, OneIdForDifferentContentCollidesInASharedBlockCache) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 3000;
  WriteSst(dir.Sub("a.sst"), c);
  WriteSameKeysOtherValues(dir.Sub("b.sst"), c);
  const std::string id = SessionIdFromSeed(5);
  absl::Status s = NormalizeSstSessionId(dir.Sub("a.sst"), id);
  ASSERT_OK(s);
  s = NormalizeSstSessionId(dir.Sub("b.sst"), id);
  ASSERT_OK(s);
  EXPECT_GT(WrongReadsWithSharedCache(dir, c), 0);
}

TEST(SstNormalize, ContentIdsKeepDifferentFilesApartInASharedBlockCache) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 3000;
  WriteSst(dir.Sub("a.sst"), c);
  WriteSameKeysOtherValues(dir.Sub("b.sst"), c);
  absl::StatusOr<std::string> ida = NormalizeSstSessionIdFromContent(dir.Sub("a.sst"));
  ASSERT_OK(ida);
  absl::StatusOr<std::string> idb = NormalizeSstSessionIdFromContent(dir.Sub("b.sst"));
  ASSERT_OK(idb);
  EXPECT_NE(*ida, *idb);
  EXPECT_EQ(WrongReadsWithSharedCache(dir, c), 0);
}

TEST(SstNormalize, ContentIdsMakeRepeatedRunsByteIdentical) {
  for (rocksdb::ChecksumType checksum : {rocksdb::kCRC32c, rocksdb::kXXH3}) {
    TempDir dir;
    SstConfig c;
    c.checksum = checksum;
    c.compression = Supported(rocksdb::kLZ4Compression) ? rocksdb::kLZ4Compression
                                                        : rocksdb::kNoCompression;
    const std::string a = dir.Sub("a.sst"), b = dir.Sub("b.sst");
    WriteSst(a, c);
    WriteSst(b, c);
    absl::StatusOr<std::string> ida = NormalizeSstSessionIdFromContent(a);
    ASSERT_OK(ida);
    absl::StatusOr<std::string> idb = NormalizeSstSessionIdFromContent(b);
    ASSERT_OK(idb);
    EXPECT_EQ(*ida, *idb);
    EXPECT_EQ(Slurp(a), Slurp(b));
    EXPECT_EQ(Props(a)->db_session_id, *ida);
    // Idempotent: the id does not depend on the id already in the file.
    absl::StatusOr<std::string> again = NormalizeSstSessionIdFromContent(a);
    ASSERT_OK(again);
    EXPECT_EQ(*again, *ida);
    // Other content, other id.
    c.num_keys += 1;
    WriteSst(b, c);
    idb = NormalizeSstSessionIdFromContent(b);
    ASSERT_OK(idb);
    EXPECT_NE(*ida, *idb);
  }
}

TEST(SstNormalize, ContentIdOfATruncatedFileIsAnError) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 100;
  WriteSst(dir.Sub("good.sst"), c);
  const std::string good = Slurp(dir.Sub("good.sst"));
  Spit(dir.Sub("bad.sst"), good.substr(0, good.size() - 10));
  absl::StatusOr<std::string> id = NormalizeSstSessionIdFromContent(dir.Sub("bad.sst"));
  EXPECT_EQ(id.status().code(), absl::StatusCode::kDataLoss) << id.status();
}

TEST(SstNormalize, IsIdempotentAndAcceptsANewId) {
  TempDir dir;
  SstConfig c;
  const std::string a = dir.Sub("a.sst");
  WriteSst(a, c);
  absl::Status s = NormalizeSstSessionId(a, SessionIdFromSeed(1));
  ASSERT_OK(s);
  const std::string once = Slurp(a);
  s = NormalizeSstSessionId(a, SessionIdFromSeed(1));
  ASSERT_OK(s);
  EXPECT_EQ(Slurp(a), once);
  s = NormalizeSstSessionId(a, SessionIdFromSeed(2));
  ASSERT_OK(s);
  EXPECT_NE(Slurp(a), once);
  EXPECT_EQ(Props(a)->db_session_id, SessionIdFromSeed(2));
}

TEST(SstNormalize, RejectsBadSessionIds) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 10;
  const std::string a = dir.Sub("a.sst");
  WriteSst(a, c);
  const std::string before = Slurp(a);
  for (std::string bad : {"", "ABC", "abcdefghijklmnopqrst", "ABCDEFGHIJKLMNOPQRSTU",
                          "ABCDEFGHIJ KLMNOPQRS"}) {
    absl::Status s = NormalizeSstSessionId(a, bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find(a), std::string::npos) << s;
  }
  EXPECT_EQ(Slurp(a), before);
}

// A DB's own table files share its session id; they are refused untouched.
TEST(SstNormalize, RefusesFilesWrittenByADb) {
  TempDir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir.Sub("db"), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(db->Put({}, Key(i), Value(i, 50)).ok());
  ASSERT_TRUE(db->Flush({}).ok());
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  ASSERT_EQ(files.size(), 1u);
  const std::string path = files[0].db_path + "/" + files[0].name;
  const std::string before = Slurp(path);
  absl::Status s = NormalizeSstSessionId(path, SessionIdFromSeed(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find(path), std::string::npos) << s;
  EXPECT_EQ(Slurp(path), before);
}

TEST(SstNormalize, MissingFileIsNotFound) {
  TempDir dir;
  absl::Status s = NormalizeSstSessionId(dir.Sub("nope.sst"), SessionIdFromSeed(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(s.message().find("nope.sst"), std::string::npos) << s;
}

TEST(SstNormalize, TruncatedAndGarbageFilesGiveErrors) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 500;
  WriteSst(dir.Sub("good.sst"), c);
  const std::string good = Slurp(dir.Sub("good.sst"));
  const std::string path = dir.Sub("bad.sst");
  for (size_t len : {size_t{0}, size_t{1}, size_t{47}, size_t{52}, size_t{53}, good.size() / 2,
                     good.size() - 1, good.size() - 54}) {
    Spit(path, good.substr(0, len));
    absl::Status s = NormalizeSstSessionId(path, SessionIdFromSeed(1));
    EXPECT_FALSE(s.ok()) << len;
    EXPECT_NE(s.message().find(path), std::string::npos) << s;
  }
  Spit(path, std::string(100000, 'x'));
  EXPECT_EQ(NormalizeSstSessionId(path, SessionIdFromSeed(1)).code(),
            absl::StatusCode::kDataLoss);
  absl::Status s = NormalizeSstSessionId(dir.Sub("."), SessionIdFromSeed(1));
  EXPECT_FALSE(s.ok());
}

// A damaged properties block is reported, not silently given a fresh checksum.
TEST(SstNormalize, CorruptPropertiesBlockIsDataLoss) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 500;
  WriteSst(dir.Sub("good.sst"), c);
  const std::string good = Slurp(dir.Sub("good.sst"));
  auto p = Props(dir.Sub("good.sst"));
  ASSERT_NE(p, nullptr);
  size_t at = good.find(p->db_session_id);
  ASSERT_NE(at, std::string::npos);
  std::string bad = good;
  bad[at] = bad[at] == 'A' ? 'B' : 'A';
  const std::string path = dir.Sub("bad.sst");
  Spit(path, bad);
  absl::Status s = NormalizeSstSessionId(path, SessionIdFromSeed(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("checksum"), std::string::npos) << s;
  EXPECT_EQ(Slurp(path), bad);
}

// A damaged data block passes the metadata checks but fails verification.
TEST(SstNormalize, CorruptDataBlockFailsVerification) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 500;
  WriteSst(dir.Sub("good.sst"), c);
  std::string bad = Slurp(dir.Sub("good.sst"));
  bad[100] ^= 0x01;
  const std::string path = dir.Sub("bad.sst");
  Spit(path, bad);
  absl::Status s = NormalizeSstSessionId(path, SessionIdFromSeed(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find(path), std::string::npos) << s;
}

// Any single damaged byte in the tail (properties, metaindex, footer) gives
// an error or a verified file, never a crash.
TEST(SstNormalize, ByteFlipsInTheTailNeverCrash) {
  TempDir dir;
  SstConfig c;
  c.num_keys = 200;
  WriteSst(dir.Sub("good.sst"), c);
  const std::string good = Slurp(dir.Sub("good.sst"));
  const std::string path = dir.Sub("bad.sst");
  const size_t tail = std::min<size_t>(good.size(), 1200);
  int ok = 0;
  for (size_t i = good.size() - tail; i < good.size(); i += 5) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ (0x5a + i % 7));
    Spit(path, bad);
    absl::Status s = NormalizeSstSessionId(path, SessionIdFromSeed(1));
    if (s.ok()) {
      ++ok;
    } else {
      EXPECT_NE(s.message().find(path), std::string::npos) << s;
    }
  }
  // Flips in the footer's padding may be harmless; most flips are not.
  EXPECT_LT(ok, static_cast<int>(tail / 5 / 2));
}

}  // namespace
}  // namespace edgarix::index
