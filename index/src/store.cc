#include "store.h"

#include <filesystem>
#include <system_error>

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
  }
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path, bool read_only) {
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
