#include "edgarix/index/shard.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "codec.h"
#include "edgarix/core/status_macros.h"
#include "nlohmann/json.hpp"
#include "rocksdb/sst_file_reader.h"
#include "rocksdb/sst_file_writer.h"
#include "schema.h"
#include "sst_normalize.h"
#include "store.h"
#include "xxhash.h"

namespace edgarix::index {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kShardFormat = "edgarix-shard";
constexpr int kShardFormatVersion = 1;
// meta key recording a merged shard: "s/" + shard id -> its manifest.
constexpr std::string_view kMetaShardPrefix = "s/";

// XXH3-64 over length-prefixed keys and values: a stable content digest (it
// does not depend on RocksDB's file layout or compression).
class Digest {
 public:
  Digest() : state_(XXH3_createState(), &XXH3_freeState) { XXH3_64bits_reset(state_.get()); }
  void Add(std::string_view key, std::string_view value) {
    AddLength(key.size());
    AddBytes(key);
    AddLength(value.size());
    AddBytes(value);
  }
  void AddBytes(std::string_view s) { XXH3_64bits_update(state_.get(), s.data(), s.size()); }
  void AddLength(uint64_t n) {
    char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(n >> (8 * i));
    AddBytes(std::string_view(buf, 8));
  }
  uint64_t value() const { return XXH3_64bits_digest(state_.get()); }
  std::string hex() const { return Hex(value()); }
  static std::string Hex(uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016" PRIx64, v);
    return buf;
  }

 private:
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state_;
};

std::string FileNameFor(int cf) { return std::string(kCfNames[cf]) + ".sst"; }

// Options for SST files of family `cf`, outside any database. The host name
// RocksDB would record in each file is left out, so files do not depend on
// the machine that wrote them.
rocksdb::Options SstOptions(int cf) {
  rocksdb::DBOptions db_options;
  db_options.db_host_id = "";
  return rocksdb::Options(db_options, CfOptions(cf));
}

// Writes one column family's sorted keys to an SST file and digests them.
class FamilyWriter {
 public:
  FamilyWriter(int cf, std::string path) : cf_(cf), path_(std::move(path)) {}

  absl::Status Put(std::string_view key, std::string_view value) {
    if (!writer_) {
      writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), SstOptions(cf_));
      EDGARIX_RETURN_IF_ERROR(ToStatus(writer_->Open(path_), "writing " + path_));
    }
    digest_.Add(key, value);
    ++entries_;
    return ToStatus(writer_->Put(rocksdb::Slice(key.data(), key.size()),
                                 rocksdb::Slice(value.data(), value.size())),
                    "writing " + path_);
  }
  // Finishes the file (none is written when no key was put).
  absl::Status Finish() {
    if (!writer_) return absl::OkStatus();
    rocksdb::ExternalSstFileInfo info;
    EDGARIX_RETURN_IF_ERROR(ToStatus(writer_->Finish(&info), "writing " + path_));
    writer_.reset();
    bytes_ = info.file_size;
    return absl::OkStatus();
  }
  bool empty() const { return entries_ == 0; }
  int cf() const { return cf_; }
  const std::string& path() const { return path_; }
  uint64_t entries() const { return entries_; }
  uint64_t bytes() const { return bytes_; }
  const Digest& digest() const { return digest_; }

 private:
  int cf_;
  std::string path_;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  Digest digest_;
  uint64_t entries_ = 0;
  uint64_t bytes_ = 0;
};

nlohmann::json ToJson(const ShardInfo& info) {
  nlohmann::json j;
  j["format"] = kShardFormat;
  j["format_version"] = kShardFormatVersion;
  j["schema_version"] = kSchemaVersion;
  j["id"] = info.id;
  j["inputs"] = info.inputs;
  j["filings"] = info.filings;
  j["doc_ids"] = info.doc_ids;
  j["segments"] = info.segments;
  j["failures"] = info.failures;
  j["total_tokens"] = info.total_tokens;
  j["postings"] = info.postings;
  nlohmann::json files = nlohmann::json::array();
  for (const ShardFile& f : info.files) {
    files.push_back({{"family", f.family},
                     {"name", f.name},
                     {"bytes", f.bytes},
                     {"entries", f.entries},
                     {"digest", f.digest}});
  }
  j["files"] = std::move(files);
  return j;
}

absl::Status WriteFileAtomically(const fs::path& path, const std::string& bytes) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) return absl::UnavailableError("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return absl::UnavailableError("cannot rename " + tmp.string() + ": " + ec.message());
  return absl::OkStatus();
}

// Reads the sorted entries of one shard file.
class ShardFileReader {
 public:
  static absl::StatusOr<std::unique_ptr<ShardFileReader>> Open(const std::string& path, int cf) {
    auto r = std::unique_ptr<ShardFileReader>(new ShardFileReader(cf));
    EDGARIX_RETURN_IF_ERROR(ToStatus(r->reader_.Open(path), "reading shard file " + path));
    rocksdb::ReadOptions ro;
    ro.verify_checksums = true;
    ro.fill_cache = false;
    r->it_.reset(r->reader_.NewIterator(ro));
    r->path_ = path;
    return r;
  }
  rocksdb::Iterator& it() { return *it_; }
  const std::string& path() const { return path_; }

 private:
  explicit ShardFileReader(int cf) : options_(SstOptions(cf)), reader_(options_) {}
  rocksdb::Options options_;
  rocksdb::SstFileReader reader_;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string path_;
};

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

std::vector<std::string> SplitNames(const std::string& v) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find('\n', start);
    if (end == std::string::npos) end = v.size();
    if (end > start) names.push_back(v.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

absl::StatusOr<std::optional<std::string>> Get(const Store& store, int cf, std::string_view key) {
  std::string value;
  rocksdb::Status s = store.db->Get(rocksdb::ReadOptions(), store.cf(cf),
                                    rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return ToStatus(s, "reading index " + store.path);
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<uint64_t> ParseU64(const nlohmann::json& j, const char* field,
                                  const std::string& where) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_number_unsigned()) {
    return absl::DataLossError(where + ": manifest field '" + field + "' missing or not a number");
  }
  return it->get<uint64_t>();
}

// The string value of a length-checked `key` of `n` bytes: returns the
// big-endian u32 at `offset`.
bool ReadU32At(std::string_view key, size_t offset, uint32_t& v) {
  if (key.size() < offset + 4) return false;
  v = DecodeBigEndian32(key.data() + offset);
  return true;
}

void ReplaceU32At(std::string& key, size_t offset, uint32_t v) {
  std::string be;
  PutBigEndian32(be, v);
  key.replace(offset, 4, be);
}

}  // namespace

bool IsShard(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / kShardManifestName, ec);
}

absl::StatusOr<ShardInfo> ReadShard(const std::string& dir) {
  const fs::path manifest = fs::path(dir) / kShardManifestName;
  std::ifstream in(manifest, std::ios::binary);
  if (!in) {
    return absl::NotFoundError("shard " + dir + ": no " + kShardManifestName +
                               " (not a shard, or an unfinished one)");
  }
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  const std::string where = "shard " + dir;
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError(where + ": " + kShardManifestName + " is not valid JSON");
  }
  if (j.value("format", "") != kShardFormat) {
    return absl::DataLossError(where + ": manifest format is not " + std::string(kShardFormat));
  }
  if (j.value("format_version", 0) != kShardFormatVersion) {
    return absl::FailedPreconditionError(where + ": shard format version " +
                                         j.value("format_version", nlohmann::json()).dump() +
                                         ", this edgarix reads " +
                                         std::to_string(kShardFormatVersion));
  }
  if (j.value("schema_version", 0u) != kSchemaVersion) {
    return absl::FailedPreconditionError(where + ": index schema version " +
                                         j.value("schema_version", nlohmann::json()).dump() +
                                         ", this edgarix reads " +
                                         std::to_string(kSchemaVersion));
  }
  ShardInfo info;
  info.id = j.value("id", "");
  if (info.id.size() != 16) return absl::DataLossError(where + ": manifest has no valid id");
  if (!j.contains("inputs") || !j["inputs"].is_array()) {
    return absl::DataLossError(where + ": manifest has no inputs list");
  }
  for (const auto& p : j["inputs"]) {
    if (!p.is_string()) return absl::DataLossError(where + ": manifest input is not a string");
    info.inputs.push_back(p.get<std::string>());
  }
  EDGARIX_ASSIGN_OR_RETURN(info.filings, ParseU64(j, "filings", where));
  EDGARIX_ASSIGN_OR_RETURN(info.doc_ids, ParseU64(j, "doc_ids", where));
  EDGARIX_ASSIGN_OR_RETURN(info.segments, ParseU64(j, "segments", where));
  EDGARIX_ASSIGN_OR_RETURN(info.failures, ParseU64(j, "failures", where));
  EDGARIX_ASSIGN_OR_RETURN(info.total_tokens, ParseU64(j, "total_tokens", where));
  EDGARIX_ASSIGN_OR_RETURN(info.postings, ParseU64(j, "postings", where));
  if (info.doc_ids > UINT32_MAX || info.segments > UINT32_MAX || info.filings > info.doc_ids) {
    return absl::DataLossError(where + ": manifest counts out of range");
  }
  if (!j.contains("files") || !j["files"].is_array()) {
    return absl::DataLossError(where + ": manifest has no files list");
  }
  std::set<std::string> seen;
  for (const auto& f : j["files"]) {
    if (!f.is_object()) return absl::DataLossError(where + ": manifest file entry is not an object");
    ShardFile file;
    file.family = f.value("family", "");
    file.name = f.value("name", "");
    file.digest = f.value("digest", "");
    const int cf = CfByName(file.family);
    if (cf <= kCfDefault || file.name != FileNameFor(cf) || !seen.insert(file.family).second) {
      return absl::DataLossError(where + ": manifest lists an unknown or repeated file '" +
                                 file.name + "'");
    }
    EDGARIX_ASSIGN_OR_RETURN(file.bytes, ParseU64(f, "bytes", where));
    EDGARIX_ASSIGN_OR_RETURN(file.entries, ParseU64(f, "entries", where));
    std::error_code ec;
    const uint64_t size = fs::file_size(fs::path(dir) / file.name, ec);
    if (ec) return absl::DataLossError(where + ": missing file " + file.name);
    if (size != file.bytes) {
      return absl::DataLossError(where + ": " + file.name + " has " + std::to_string(size) +
                                 " bytes, the manifest says " + std::to_string(file.bytes));
    }
    info.files.push_back(std::move(file));
  }
  return info;
}

absl::StatusOr<ShardInfo> ExportShard(const std::string& db_path, const std::string& out_dir,
                                      const std::vector<std::string>& inputs) {
  EDGARIX_ASSIGN_OR_RETURN(auto store, OpenStore(db_path, /*read_only=*/true));
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return absl::UnavailableError("cannot create " + out_dir + ": " + ec.message());
  if (!fs::is_empty(out_dir, ec)) {
    return absl::FailedPreconditionError("shard directory " + out_dir + " is not empty");
  }
  ShardInfo info;
  info.inputs = inputs;
  EDGARIX_ASSIGN_OR_RETURN(info.filings, ReadCounter(*store, kMetaLiveFilings));
  EDGARIX_ASSIGN_OR_RETURN(info.doc_ids, ReadCounter(*store, kMetaNextDoc));
  EDGARIX_ASSIGN_OR_RETURN(info.segments, ReadCounter(*store, kMetaNextSegment));
  EDGARIX_ASSIGN_OR_RETURN(info.failures, ReadCounter(*store, kMetaNextFailure));
  EDGARIX_ASSIGN_OR_RETURN(info.total_tokens, ReadCounter(*store, kMetaTotalTokens));
  EDGARIX_ASSIGN_OR_RETURN(info.postings, ReadCounter(*store, kMetaPostings));

  Digest shard_digest;
  for (int cf = kCfDefault + 1; cf < kCfCount; ++cf) {
    FamilyWriter w(cf, (fs::path(out_dir) / FileNameFor(cf)).string());
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(store->db->NewIterator(ro, store->cf(cf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      EDGARIX_RETURN_IF_ERROR(w.Put(View(it->key()), View(it->value())));
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "reading " + db_path));
    EDGARIX_RETURN_IF_ERROR(w.Finish());
    if (w.empty()) continue;
    // RocksDB stamps every SST file with a random session id; replace it with
    // one derived from the content so the shard's bytes are reproducible.
    // RocksDB keys its block cache by that id, so it must differ whenever the
    // bytes do: it is taken from a hash of the file itself.
    EDGARIX_RETURN_IF_ERROR(NormalizeSstSessionIdFromContent(w.path()).status());
    ShardFile file;
    file.family = kCfNames[cf];
    file.name = FileNameFor(cf);
    file.bytes = w.bytes();
    file.entries = w.entries();
    file.digest = w.digest().hex();
    shard_digest.Add(file.family, file.digest);
    info.files.push_back(std::move(file));
  }
  shard_digest.AddLength(info.filings);
  shard_digest.AddLength(info.doc_ids);
  shard_digest.AddLength(info.segments);
  shard_digest.AddLength(info.failures);
  info.id = shard_digest.hex();
  EDGARIX_RETURN_IF_ERROR(WriteFileAtomically(fs::path(out_dir) / kShardManifestName,
                                              ToJson(info).dump(1) + "\n"));
  return info;
}

namespace {

// Everything a merge needs to know about the index it merges into.
struct Target {
  uint64_t next_doc = 0, next_segment = 0, next_failure = 0;
  uint64_t live = 0, total_tokens = 0, postings = 0;
};

// Merges one shard into `store`. See MergeShards.
class ShardMerge {
 public:
  ShardMerge(Store& store, const std::string& shard_dir, ShardInfo info)
      : store_(store), shard_dir_(shard_dir), info_(std::move(info)) {}

  absl::StatusOr<MergeResult> Run() {
    const auto start = std::chrono::steady_clock::now();
    MergeResult result;
    result.dir = shard_dir_;
    result.shard = info_;
    EDGARIX_ASSIGN_OR_RETURN(auto done,
                             Get(store_, kCfMeta, std::string(kMetaShardPrefix) + info_.id));
    if (done) {
      result.already_merged = true;
      return result;
    }
    EDGARIX_ASSIGN_OR_RETURN(t_.next_doc, ReadCounter(store_, kMetaNextDoc));
    EDGARIX_ASSIGN_OR_RETURN(t_.next_segment, ReadCounter(store_, kMetaNextSegment));
    EDGARIX_ASSIGN_OR_RETURN(t_.next_failure, ReadCounter(store_, kMetaNextFailure));
    EDGARIX_ASSIGN_OR_RETURN(t_.live, ReadCounter(store_, kMetaLiveFilings));
    EDGARIX_ASSIGN_OR_RETURN(t_.total_tokens, ReadCounter(store_, kMetaTotalTokens));
    EDGARIX_ASSIGN_OR_RETURN(t_.postings, ReadCounter(store_, kMetaPostings));
    if (t_.next_doc + info_.doc_ids >= UINT32_MAX - 1) {
      return absl::ResourceExhaustedError("index " + store_.path + " cannot take shard " +
                                          shard_dir_ + ": 2^32 doc ids");
    }
    base_doc_ = static_cast<uint32_t>(t_.next_doc);
    base_segment_ = static_cast<uint32_t>(t_.next_segment);

    ingest_dir_ = fs::path(store_.path) / "edgarix-merge";
    std::error_code ec;
    fs::remove_all(ingest_dir_, ec);
    fs::create_directories(ingest_dir_, ec);
    if (ec) return absl::UnavailableError("cannot create " + ingest_dir_.string() + ": " + ec.message());

    EDGARIX_RETURN_IF_ERROR(ResolveDuplicates(result));
    EDGARIX_RETURN_IF_ERROR(RewriteFamilies());
    EDGARIX_RETURN_IF_ERROR(WriteDeletionsAlone());
    EDGARIX_RETURN_IF_ERROR(WriteMeta(result));
    EDGARIX_RETURN_IF_ERROR(Ingest());
    fs::remove_all(ingest_dir_, ec);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  }

  ~ShardMerge() {
    std::error_code ec;
    if (!ingest_dir_.empty()) fs::remove_all(ingest_dir_, ec);
  }

 private:
  std::string ShardPath(const ShardFile& f) const { return (fs::path(shard_dir_) / f.name).string(); }
  const ShardFile* FileOf(int cf) const {
    for (const ShardFile& f : info_.files) {
      if (f.family == kCfNames[cf]) return &f;
    }
    return nullptr;
  }
  absl::Status Corrupt(const std::string& file, const std::string& what) const {
    return absl::DataLossError("shard " + shard_dir_ + ": " + file + ": " + what);
  }

  // Decides, for each filing key of the shard that the index already holds,
  // which copy stays.
  absl::Status ResolveDuplicates(MergeResult& result) {
    const ShardFile* acc = FileOf(kCfAccessions);
    if (acc == nullptr) return absl::OkStatus();
    EDGARIX_ASSIGN_OR_RETURN(auto accessions, ShardFileReader::Open(ShardPath(*acc), kCfAccessions));
    std::unique_ptr<ShardFileReader> docs;
    if (const ShardFile* d = FileOf(kCfDocs)) {
      EDGARIX_ASSIGN_OR_RETURN(docs, ShardFileReader::Open(ShardPath(*d), kCfDocs));
    }
    rocksdb::Iterator& it = accessions->it();
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      if (it.value().size() != 4) return Corrupt(acc->name, "accession value is not a doc id");
      const uint32_t shard_doc = DecodeBigEndian32(it.value().data());
      if (shard_doc >= info_.doc_ids) return Corrupt(acc->name, "doc id beyond the manifest's");
      EDGARIX_ASSIGN_OR_RETURN(auto existing, Get(store_, kCfAccessions, View(it.key())));
      if (!existing) {
        ++result.added;
        continue;
      }
      if (existing->size() != 4) {
        return absl::DataLossError("index " + store_.path + ": corrupt accessions entry");
      }
      const uint32_t old_doc = DecodeBigEndian32(existing->data());
      EDGARIX_ASSIGN_OR_RETURN(auto old_value, Get(store_, kCfDocs, DocKey(old_doc)));
      DocRecord old_record;
      if (!old_value || !DecodeDocRecord(*old_value, old_record)) {
        return absl::DataLossError("index " + store_.path + ": missing or corrupt record of doc " +
                                   std::to_string(old_doc));
      }
      DocRecord new_record;
      if (docs == nullptr) return Corrupt(acc->name, "filing without a docs file");
      const std::string key = DocKey(shard_doc);
      docs->it().Seek(key);
      if (!docs->it().Valid() || docs->it().key() != rocksdb::Slice(key) ||
          !DecodeDocRecord(View(docs->it().value()), new_record)) {
        return Corrupt(docs->path(), "missing or corrupt record of doc " + std::to_string(shard_doc));
      }
      const auto new_date = std::make_pair(new_record.filed, new_record.accepted);
      const auto old_date = std::make_pair(old_record.filed, old_record.accepted);
      if (new_date >= old_date) {
        // The shard's copy wins: the index's copy is deleted.
        deleted_.add(old_doc);
        t_.total_tokens -= std::min<uint64_t>(t_.total_tokens, old_record.total_tokens);
        t_.postings -= std::min<uint64_t>(t_.postings, old_record.distinct_terms);
        --t_.live;
        ++result.replaced;
      } else {
        // The index's copy is newer: the shard's copy is deleted.
        superseded_.insert(shard_doc);
        deleted_.add(base_doc_ + shard_doc);
        superseded_tokens_ += new_record.total_tokens;
        superseded_postings_ += new_record.distinct_terms;
        ++result.superseded;
      }
    }
    return ToStatus(it.status(), "reading " + accessions->path());
  }

  // Rewrites the families on up to hardware_concurrency() threads, largest
  // files first (text and positions dominate).
  absl::Status RewriteFamilies() {
    std::vector<const ShardFile*> files;
    for (const ShardFile& f : info_.files) files.push_back(&f);
    std::sort(files.begin(), files.end(),
              [](const ShardFile* a, const ShardFile* b) { return a->bytes > b->bytes; });
    const size_t n_threads =
        std::clamp<size_t>(std::thread::hardware_concurrency(), 1, std::max<size_t>(files.size(), 1));
    std::atomic<size_t> next{0};
    std::vector<absl::Status> errors(files.size());
    auto work = [&] {
      for (size_t i = next++; i < files.size(); i = next++) errors[i] = RewriteFamily(*files[i]);
    };
    std::vector<std::thread> threads;
    for (size_t t = 1; t < n_threads; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    for (const auto& e : errors) EDGARIX_RETURN_IF_ERROR(e);
    return absl::OkStatus();
  }

  // Copies one family of the shard into a new SST file, moving doc ids,
  // segments and failure numbers past those the index holds.
  absl::Status RewriteFamily(const ShardFile& file) {
    const int cf = CfByName(file.family);
    if (cf == kCfMeta) return absl::OkStatus();  // WriteMeta reads it
    EDGARIX_ASSIGN_OR_RETURN(auto reader, ShardFileReader::Open(ShardPath(file), cf));
    auto writer = std::make_unique<FamilyWriter>(cf, (ingest_dir_ / file.name).string());
    Digest check;
    uint64_t entries = 0;
    std::string key, value;
    // The merge's deletions go to a facet key of their own segment, written
    // where it sorts among the shard's facet keys.
    std::optional<std::pair<std::string, std::string>> pending_deleted;
    if (cf == kCfFacets && !deleted_.isEmpty()) {
      std::string k = FacetPrefix(kDeletedField, "");
      PutBigEndian32(k, DeletionSegment());
      pending_deleted.emplace(std::move(k), EncodeBitmap(deleted_));
    }
    rocksdb::Iterator& it = reader->it();
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      const std::string_view k = View(it.key());
      const std::string_view v = View(it.value());
      check.Add(k, v);
      ++entries;
      key.assign(k.data(), k.size());
      value.assign(v.data(), v.size());
      switch (cf) {
        case kCfAccessions: {
          const uint32_t doc = DecodeBigEndian32(v.data());  // checked above
          if (superseded_.count(doc) != 0) continue;
          value.clear();
          PutBigEndian32(value, base_doc_ + doc);
          break;
        }
        case kCfDocs:
        case kCfText: {
          uint32_t doc = 0;
          if (!ReadU32At(k, 0, doc) || doc >= info_.doc_ids) return Corrupt(file.name, "bad doc id key");
          ReplaceU32At(key, 0, base_doc_ + doc);
          break;
        }
        case kCfPostings: {
          EDGARIX_RETURN_IF_ERROR(MoveSegment(file, key, key.size() - 4));
          EDGARIX_RETURN_IF_ERROR(MoveDocBlock(file, v, value));
          break;
        }
        case kCfPositions:
          EDGARIX_RETURN_IF_ERROR(MoveSegment(file, key, key.size() - 8));
          break;
        case kCfFacets: {
          EDGARIX_RETURN_IF_ERROR(MoveSegment(file, key, key.size() - 4));
          auto bitmap = DecodeBitmap(v);
          if (!bitmap.ok()) return Corrupt(file.name, std::string(bitmap.status().message()));
          std::vector<uint32_t> ids(bitmap->cardinality());
          bitmap->toUint32Array(ids.data());
          for (uint32_t& id : ids) {
            if (id >= info_.doc_ids) return Corrupt(file.name, "facet doc id beyond the manifest's");
            id += base_doc_;
          }
          Roaring moved;
          moved.addMany(ids.size(), ids.data());
          value = EncodeBitmap(moved);
          if (pending_deleted && pending_deleted->first < key) {
            EDGARIX_RETURN_IF_ERROR(writer->Put(pending_deleted->first, pending_deleted->second));
            pending_deleted.reset();
          }
          break;
        }
        case kCfRegistrants: {
          // Names the index knows first, then the shard's new ones.
          EDGARIX_ASSIGN_OR_RETURN(auto stored, Get(store_, kCfRegistrants, k));
          if (stored) {
            std::vector<std::string> names = SplitNames(*stored);
            for (std::string& n : SplitNames(std::string(v))) {
              if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
            }
            value.clear();
            for (const auto& n : names) {
              if (!value.empty()) value.push_back('\n');
              value += n;
            }
          }
          break;
        }
        case kCfLookup:
          break;  // the shard's filings are the later ones: its mapping wins
        case kCfFailures: {
          if (k.size() != 8) return Corrupt(file.name, "bad failure key");
          key.clear();
          PutBigEndian64(key, t_.next_failure + DecodeBigEndian64(k.data()));
          break;
        }
        default:
          return Corrupt(file.name, "unexpected column family");
      }
      EDGARIX_RETURN_IF_ERROR(writer->Put(key, value));
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(it.status(), "reading " + reader->path()));
    if (pending_deleted) {
      EDGARIX_RETURN_IF_ERROR(writer->Put(pending_deleted->first, pending_deleted->second));
    }
    if (entries != file.entries || check.hex() != file.digest) {
      return Corrupt(file.name, "content does not match the manifest (" +
                                    std::to_string(entries) + " entries, digest " + check.hex() +
                                    "; manifest: " + std::to_string(file.entries) + ", " +
                                    file.digest + ")");
    }
    EDGARIX_RETURN_IF_ERROR(writer->Finish());
    std::lock_guard<std::mutex> lock(mu_);
    if (!writer->empty()) writers_.push_back(std::move(writer));
    if (cf == kCfFacets) wrote_facets_ = true;
    return absl::OkStatus();
  }

  uint32_t DeletionSegment() const {
    return base_segment_ + static_cast<uint32_t>(info_.segments);
  }

  absl::Status MoveSegment(const ShardFile& file, std::string& key, size_t offset) {
    uint32_t segment = 0;
    if (key.size() < 5 || offset >= key.size() || !ReadU32At(key, offset, segment) ||
        segment >= info_.segments) {
      return Corrupt(file.name, "bad segment in key");
    }
    ReplaceU32At(key, offset, base_segment_ + segment);
    return absl::OkStatus();
  }

  // A doc block's first doc id is absolute, the rest are deltas: only the
  // first one (and the length of the doc bytes) changes.
  absl::Status MoveDocBlock(const ShardFile& file, std::string_view in, std::string& out) {
    Decoder d(in);
    uint32_t count = 0, len = 0, first = 0;
    if (!d.GetVarint32(count) || !d.GetVarint32(len) || count == 0 || len > d.remaining()) {
      return Corrupt(file.name, "bad posting block");
    }
    const size_t before = d.remaining();
    if (!d.GetVarint32(first) || first >= info_.doc_ids) return Corrupt(file.name, "bad posting block");
    const size_t first_len = before - d.remaining();
    if (first_len > len) return Corrupt(file.name, "bad posting block");
    std::string_view rest;
    d.GetBytes(d.remaining(), rest);
    std::string first_bytes;
    PutVarint32(first_bytes, base_doc_ + first);
    out.clear();
    PutVarint32(out, count);
    PutVarint32(out, static_cast<uint32_t>(len - first_len + first_bytes.size()));
    out += first_bytes;
    out.append(rest.data(), rest.size());
    return absl::OkStatus();
  }

  absl::Status WriteMeta(const MergeResult& result) {
    std::map<std::string, std::string> meta;
    if (const ShardFile* f = FileOf(kCfMeta)) {
      EDGARIX_ASSIGN_OR_RETURN(auto reader, ShardFileReader::Open(ShardPath(*f), kCfMeta));
      Digest check;
      uint64_t entries = 0;
      rocksdb::Iterator& it = reader->it();
      for (it.SeekToFirst(); it.Valid(); it.Next()) {
        const std::string_view k = View(it.key());
        check.Add(k, View(it.value()));
        ++entries;
        if (k.substr(0, kMetaNormsPrefix.size()) != kMetaNormsPrefix) continue;  // counters: below
        std::string key(k);
        uint32_t first = 0;
        if (!ReadU32At(key, kMetaNormsPrefix.size(), first) || first >= info_.doc_ids) {
          return Corrupt(f->name, "bad norms key");
        }
        ReplaceU32At(key, kMetaNormsPrefix.size(), base_doc_ + first);
        meta[key] = std::string(View(it.value()));
      }
      EDGARIX_RETURN_IF_ERROR(ToStatus(it.status(), "reading " + reader->path()));
      if (entries != f->entries || check.hex() != f->digest) {
        return Corrupt(f->name, "content does not match the manifest");
      }
    }
    const uint64_t segments = info_.segments + (deleted_.isEmpty() ? 0 : 1);
    meta[std::string(kMetaSchema)] = std::to_string(kSchemaVersion);
    meta[std::string(kMetaNextDoc)] = EncodeCounter(t_.next_doc + info_.doc_ids);
    meta[std::string(kMetaNextSegment)] = EncodeCounter(t_.next_segment + segments);
    meta[std::string(kMetaNextFailure)] = EncodeCounter(t_.next_failure + info_.failures);
    meta[std::string(kMetaLiveFilings)] =
        EncodeCounter(t_.live + info_.filings - result.superseded);
    meta[std::string(kMetaTotalTokens)] =
        EncodeCounter(t_.total_tokens + info_.total_tokens - superseded_tokens_);
    meta[std::string(kMetaPostings)] =
        EncodeCounter(t_.postings + info_.postings - superseded_postings_);
    nlohmann::json record = ToJson(info_);
    record.erase("files");
    record["added"] = result.added;
    record["replaced"] = result.replaced;
    record["superseded"] = result.superseded;
    meta[std::string(kMetaShardPrefix) + info_.id] = record.dump();
    auto writer = std::make_unique<FamilyWriter>(kCfMeta, (ingest_dir_ / "meta.sst").string());
    for (const auto& [k, v] : meta) EDGARIX_RETURN_IF_ERROR(writer->Put(k, v));
    EDGARIX_RETURN_IF_ERROR(writer->Finish());
    writers_.push_back(std::move(writer));
    return absl::OkStatus();
  }

  // A shard without a facets file still needs the merge's deletions recorded.
  absl::Status WriteDeletionsAlone() {
    if (deleted_.isEmpty() || wrote_facets_) return absl::OkStatus();
    auto writer = std::make_unique<FamilyWriter>(kCfFacets, (ingest_dir_ / "facets.sst").string());
    std::string k = FacetPrefix(kDeletedField, "");
    PutBigEndian32(k, DeletionSegment());
    EDGARIX_RETURN_IF_ERROR(writer->Put(k, EncodeBitmap(deleted_)));
    EDGARIX_RETURN_IF_ERROR(writer->Finish());
    writers_.push_back(std::move(writer));
    return absl::OkStatus();
  }

  absl::Status Ingest() {
    std::vector<rocksdb::IngestExternalFileArg> args;
    for (const auto& w : writers_) {
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = store_.cf(w->cf());
      arg.external_files.push_back(w->path());
      arg.options.move_files = true;
      arg.options.snapshot_consistency = true;
      arg.options.allow_global_seqno = true;
      arg.options.allow_blocking_flush = true;
      args.push_back(std::move(arg));
    }
    // One call for all families: RocksDB ingests them atomically.
    return ToStatus(store_.db->IngestExternalFiles(args),
                    "merging shard " + shard_dir_ + " into " + store_.path);
  }

  Store& store_;
  std::string shard_dir_;
  ShardInfo info_;
  Target t_;
  uint32_t base_doc_ = 0;
  uint32_t base_segment_ = 0;
  fs::path ingest_dir_;
  Roaring deleted_;                 // doc ids (in the merged numbering) deleted by the merge
  std::set<uint32_t> superseded_;  // shard doc ids whose key the index keeps
  uint64_t superseded_tokens_ = 0;
  uint64_t superseded_postings_ = 0;
  std::mutex mu_;  // guards the two below while families are rewritten
  bool wrote_facets_ = false;
  std::vector<std::unique_ptr<FamilyWriter>> writers_;
};

}  // namespace

absl::StatusOr<std::vector<MergeResult>> MergeShards(
    const std::string& db_path, const std::vector<std::string>& shard_dirs,
    const std::function<void(const MergeResult&)>& on_merged) {
  // Check every manifest before touching the index.
  std::vector<ShardInfo> infos;
  for (const auto& dir : shard_dirs) {
    EDGARIX_ASSIGN_OR_RETURN(ShardInfo info, ReadShard(dir));
    infos.push_back(std::move(info));
  }
  EDGARIX_ASSIGN_OR_RETURN(auto store, OpenStore(db_path, /*read_only=*/false));
  std::vector<MergeResult> results;
  for (size_t i = 0; i < shard_dirs.size(); ++i) {
    ShardMerge merge(*store, shard_dirs[i], std::move(infos[i]));
    EDGARIX_ASSIGN_OR_RETURN(MergeResult r, merge.Run());
    if (on_merged) on_merged(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace edgarix::index
