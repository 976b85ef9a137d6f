#include "store.h"

#include <stdlib.h>

#include <filesystem>
#include <system_error>

#include "edgarix/core/status_macros.h"
#include "edgarix/index/shard.h"
#include "rocksdb/table.h"

namespace edgarix::index {

absl::Status ToStatus(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  if (s.IsIOError()) {
    if (msg.find("lock") != std::string::npos || msg.find("LOCK") != std::string::npos) {
      return absl::FailedPreconditionError(msg);
    }
    return absl::UnavailableError(msg);
  }
  if (s.IsBusy() || s.IsTryAgain()) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

rocksdb::ColumnFamilyOptions CfOptions(int cf) {
  rocksdb::ColumnFamilyOptions o;
  // ZSTD level 1 for text (ingested SST files are compressed on the writer's
  // thread, so speed matters); LZ4 elsewhere (posting blocks are already
  // varint-packed). SstFileWriter uses bottommost_compression when set.
  o.compression = cf == kCfText ? rocksdb::kZSTD : rocksdb::kLZ4Compression;
  o.bottommost_compression = o.compression;
  o.compression_opts.level = 1;
  o.bottommost_compression_opts.level = 1;
  o.bottommost_compression_opts.enabled = true;
  rocksdb::BlockBasedTableOptions t;
  t.block_size = cf == kCfText ? 64 * 1024 : 16 * 1024;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  if (cf == kCfPostings || cf == kCfPositions || cf == kCfText) {
    o.write_buffer_size = 64 << 20;
    o.target_file_size_base = 64 << 20;
  }
  return o;
}

Store::~Store() {
  if (db) {
    for (auto* h : cfs) {
      if (h != nullptr) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    cfs.clear();
    db->Close().PermitUncheckedError();
    db.reset();
  }
  if (!scratch_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir, ec);
  }
}

namespace {

// See OpenStore: a shard read through a scratch database.
absl::StatusOr<std::unique_ptr<Store>> OpenShardForReading(const std::string& shard_dir) {
  namespace fs = std::filesystem;
  EDGARIX_ASSIGN_OR_RETURN(ShardInfo info, ReadShard(shard_dir));
  std::error_code ec;
  fs::path tmp_root = fs::temp_directory_path(ec);
  if (ec) tmp_root = "/tmp";
  std::string pattern = (tmp_root / "edgarix-shard-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::UnavailableError("cannot create a scratch directory in " + tmp_root.string() +
                                  " to read shard " + shard_dir);
  }
  const fs::path scratch(pattern);
  auto cleanup = [&] { fs::remove_all(scratch, ec); };
  auto store = OpenStore((scratch / "db").string(), /*read_only=*/false);
  if (!store.ok()) {
    cleanup();
    return store.status();
  }
  (*store)->scratch_dir = scratch.string();  // removed with the Store from here on
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const ShardFile& f : info.files) {
    const int cf = CfByName(f.family);
    if (cf <= kCfDefault) return absl::DataLossError("shard " + shard_dir + ": unknown family " + f.family);
    // Ingest a link of our own: RocksDB moves (links, then unlinks) it and
    // never writes to it, so the shard's file stays as it was.
    const fs::path link = scratch / f.name;
    fs::create_hard_link(fs::path(shard_dir) / f.name, link, ec);
    if (ec) fs::copy_file(fs::path(shard_dir) / f.name, link, ec);
    if (ec) {
      return absl::UnavailableError("cannot link or copy " + f.name + " of shard " + shard_dir +
                                    ": " + ec.message());
    }
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = (*store)->cf(cf);
    arg.external_files.push_back(link.string());
    arg.options.move_files = true;
    arg.options.write_global_seqno = false;
    arg.options.allow_global_seqno = true;
    args.push_back(std::move(arg));
  }
  if (!args.empty()) {
    EDGARIX_RETURN_IF_ERROR(
        ToStatus((*store)->db->IngestExternalFiles(args), "reading shard " + shard_dir));
  }
  (*store)->path = shard_dir;
  return store;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path, bool read_only) {
  if (IsShard(path)) {
    if (read_only) return OpenShardForReading(path);
    return absl::FailedPreconditionError(
        path + " is a shard, not an index: merge it with `edgarix merge --db DIR " + path + "`");
  }
  auto store = std::make_unique<Store>();
  store->path = path;
  rocksdb::DBOptions options;
  options.create_if_missing = !read_only;
  options.create_missing_column_families = !read_only;
  options.max_background_jobs = 2;
  // A read-only instance beside a live writer must hold every table file
  // open from the start: the writer's compactions may delete them later.
  options.max_open_files = read_only ? -1 : 512;
  options.keep_log_file_num = 3;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int i = 0; i < kCfCount; ++i) {
    descriptors.emplace_back(kCfNames[i], CfOptions(i));
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (read_only) {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec)) {
      return absl::NotFoundError("no edgarix index at " + path);
    }
    s = rocksdb::DB::OpenForReadOnly(options, path, descriptors, &store->cfs, &raw);
  } else {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::path(path).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
    if (!std::filesystem::exists(p / "CURRENT", ec)) {
      // Create the database with all its column families beside `path`, then
      // rename it into place, so a crash never leaves a half-created index.
      const std::filesystem::path tmp = p.string() + ".creating";
      std::filesystem::remove_all(tmp, ec);
      if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
      rocksdb::Status cs = rocksdb::DB::Open(options, tmp.string(), descriptors, &store->cfs, &raw);
      if (!cs.ok()) return ToStatus(cs, "creating index " + path);
      for (auto* h : store->cfs) raw->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      store->cfs.clear();
      cs = raw->Close();
      delete raw;
      raw = nullptr;
      if (!cs.ok()) return ToStatus(cs, "creating index " + path);
      std::filesystem::rename(tmp, p, ec);  // replaces an empty directory
      if (ec) {
        return absl::UnavailableError("cannot create index " + path + ": " + ec.message());
      }
    }
    s = rocksdb::DB::Open(options, path, descriptors, &store->cfs, &raw);
  }
  if (!s.ok()) return ToStatus(s, "opening index " + path);
  store->db.reset(raw);
  std::string version;
  s = store->db->Get(rocksdb::ReadOptions(), store->cf(kCfMeta),
                     rocksdb::Slice(kMetaSchema.data(), kMetaSchema.size()), &version);
  if (s.ok()) {
    if (version != std::to_string(kSchemaVersion)) {
      return absl::FailedPreconditionError("index " + path + " has schema version " +
                                           version + ", this edgarix reads " +
                                           std::to_string(kSchemaVersion));
    }
  } else if (!s.IsNotFound()) {
    return ToStatus(s, "reading meta of " + path);
  }
  return store;
}

std::string EncodeCounter(uint64_t v) { return std::to_string(v); }

absl::StatusOr<uint64_t> ReadCounter(const Store& store, std::string_view key) {
  std::string value;
  rocksdb::Status s = store.db->Get(rocksdb::ReadOptions(), store.cf(kCfMeta),
                                    rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return 0;
  if (!s.ok()) return ToStatus(s, "reading meta");
  uint64_t v = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return absl::DataLossError("corrupt meta counter " + std::string(key));
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace edgarix::index
