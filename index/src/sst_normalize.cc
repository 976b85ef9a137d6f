#include "sst_normalize.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <isa-l/crc.h>
// For XXH32_state_t / XXH64_state_t on the stack (stable since xxHash 0.8).
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "edgarix/core/status_macros.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_reader.h"
#include "rocksdb/table_properties.h"

namespace edgarix::index {
namespace {

// On-disk constants of the RocksDB 7.8 block-based table format
// (table/format.h, table/block_based/block_based_table_builder.cc).
constexpr uint64_t kBlockBasedTableMagic = 0x88e241b785f4cff7ULL;
constexpr uint64_t kLegacyBlockBasedTableMagic = 0xdb4775248b80fb57ULL;
constexpr size_t kBlockHandleMaxLength = 20;  // two varint64s
constexpr size_t kLegacyFooterLength = 2 * kBlockHandleMaxLength + 8;
constexpr size_t kFooterLength = 1 + 2 * kBlockHandleMaxLength + 4 + 8;
constexpr uint32_t kMaxFormatVersion = 5;
constexpr size_t kBlockTrailerLength = 5;  // compression type + fixed32
constexpr char kNoCompression = 0;
// Meta blocks are small; a bigger handle means a corrupt footer.
constexpr uint64_t kMaxMetaBlockSize = 64ULL << 20;

constexpr std::string_view kPropertiesBlockName = "rocksdb.properties";
constexpr std::string_view kSessionIdProperty =
    "rocksdb.creating.session.identity";  // TablePropertiesNames::kDbSessionId
constexpr std::string_view kDbIdProperty = "rocksdb.creating.db.identity";
constexpr std::string_view kSstWriterDbId = "SST Writer";
constexpr size_t kHashChunk = 1 << 20;

enum ChecksumType : uint8_t {  // rocksdb::ChecksumType
  kNoChecksum = 0,
  kCrc32c = 1,
  kXxHash = 2,
  kXxHash64 = 3,
  kXxh3 = 4,
};

uint32_t DecodeFixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t DecodeFixed64(const char* p) {
  return static_cast<uint64_t>(DecodeFixed32(p)) |
         (static_cast<uint64_t>(DecodeFixed32(p + 4)) << 32);
}

void EncodeFixed32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// Reads a varint of at most `max_bits` bits from [*p, end); advances *p.
std::optional<uint64_t> GetVarint(std::string_view* in, int max_bits) {
  uint64_t v = 0;
  for (int shift = 0; shift < max_bits && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return v;
  }
  return std::nullopt;
}

struct BlockHandle {
  uint64_t offset = 0;
  uint64_t size = 0;
};

std::optional<BlockHandle> GetBlockHandle(std::string_view* in) {
  std::optional<uint64_t> offset = GetVarint(in, 64);
  if (!offset) return std::nullopt;
  std::optional<uint64_t> size = GetVarint(in, 64);
  if (!size) return std::nullopt;
  return BlockHandle{*offset, *size};
}

// ComputeBuiltinChecksumWithLastByte() of RocksDB 7.8 (table/format.cc): the
// checksum of `data` followed by `last_byte` (the compression type).
std::optional<uint32_t> BlockChecksum(uint8_t type, std::string_view data,
                                      char last_byte) {
  switch (type) {
    case kNoChecksum:
      return 0;
    case kCrc32c: {
      // ISA-L's crc32_iscsi neither pre- nor post-inverts; standard CRC32C
      // does both. Then RocksDB's crc32c::Mask().
      uint32_t crc = crc32_iscsi(
          reinterpret_cast<unsigned char*>(const_cast<char*>(data.data())),
          static_cast<int>(data.size()), 0xffffffffU);
      unsigned char lb = static_cast<unsigned char>(last_byte);
      crc = ~crc32_iscsi(&lb, 1, crc);
      return ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
    }
    case kXxHash: {
      XXH32_state_t state;
      XXH32_reset(&state, 0);
      XXH32_update(&state, data.data(), data.size());
      XXH32_update(&state, &last_byte, 1);
      return XXH32_digest(&state);
    }
    case kXxHash64: {
      XXH64_state_t state;
      XXH64_reset(&state, 0);
      XXH64_update(&state, data.data(), data.size());
      XXH64_update(&state, &last_byte, 1);
      return static_cast<uint32_t>(XXH64_digest(&state));
    }
    case kXxh3: {
      // RocksDB hashes the data with XXH3 and folds the last byte in with a
      // multiply (ModifyChecksumForLastByte) instead of hashing it.
      constexpr uint32_t kRandomPrime = 0x6b9083d9;
      const auto v =
          static_cast<uint32_t>(XXH3_64bits(data.data(), data.size()));
      return v ^ (static_cast<uint32_t>(static_cast<uint8_t>(last_byte)) *
                  kRandomPrime);
    }
    default:
      return std::nullopt;
  }
}

class File {
 public:
  File() = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }

  absl::Status Open(const std::string& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) return ErrnoError("cannot open");
    struct stat st;
    if (::fstat(fd_, &st) != 0) return ErrnoError("cannot stat");
    if (!S_ISREG(st.st_mode)) {
      return absl::FailedPreconditionError(path_ + ": not a regular file");
    }
    size_ = static_cast<uint64_t>(st.st_size);
    return absl::OkStatus();
  }

  uint64_t size() const { return size_; }

  absl::StatusOr<std::string> Read(uint64_t offset, uint64_t n) const {
    std::string out(n, '\0');
    uint64_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, out.data() + done, n - done,
                          static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return ErrnoError("read failed");
      if (r == 0) return absl::DataLossError(path_ + ": unexpected end of file");
      done += static_cast<uint64_t>(r);
    }
    return out;
  }

  absl::Status Write(uint64_t offset, std::string_view data) {
    uint64_t done = 0;
    while (done < data.size()) {
      ssize_t r = ::pwrite(fd_, data.data() + done, data.size() - done,
                           static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return ErrnoError("write failed");
      done += static_cast<uint64_t>(r);
    }
    return absl::OkStatus();
  }

  absl::Status Sync() {
    if (::fsync(fd_) != 0) return ErrnoError("fsync failed");
    return absl::OkStatus();
  }

  absl::Status Close() {
    int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) return ErrnoError("close failed");
    return absl::OkStatus();
  }

 private:
  absl::Status ErrnoError(std::string_view what) const {
    const int e = errno;
    std::string msg = path_ + ": " + std::string(what) + ": " + std::strerror(e);
    if (e == ENOENT) return absl::NotFoundError(msg);
    return absl::InternalError(msg);
  }

  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

struct Footer {
  uint8_t checksum_type = kCrc32c;
  BlockHandle metaindex;
  uint64_t end = 0;  // blocks must end before the footer
};

absl::StatusOr<Footer> ReadFooter(const File& file, const std::string& path) {
  if (file.size() < kLegacyFooterLength) {
    return absl::DataLossError(path + ": too short for an SST file (" +
                               std::to_string(file.size()) + " bytes)");
  }
  const uint64_t n = std::min<uint64_t>(file.size(), kFooterLength);
  EDGARIX_ASSIGN_OR_RETURN(std::string tail, file.Read(file.size() - n, n));
  const uint64_t magic = DecodeFixed64(tail.data() + tail.size() - 8);
  Footer footer;
  std::string_view handles;
  if (magic == kLegacyBlockBasedTableMagic) {
    // format_version 0: handles, padding, magic; always CRC32c.
    handles = std::string_view(tail).substr(tail.size() - kLegacyFooterLength,
                                            2 * kBlockHandleMaxLength);
    footer.end = file.size() - kLegacyFooterLength;
  } else if (magic == kBlockBasedTableMagic) {
    if (tail.size() < kFooterLength) {
      return absl::DataLossError(path + ": truncated SST footer");
    }
    // checksum type, handles, padding, format_version, magic.
    const uint32_t version = DecodeFixed32(tail.data() + tail.size() - 12);
    if (version < 1 || version > kMaxFormatVersion) {
      return absl::FailedPreconditionError(
          path + ": unsupported SST format_version " + std::to_string(version));
    }
    footer.checksum_type = static_cast<uint8_t>(tail[0]);
    handles = std::string_view(tail).substr(1, 2 * kBlockHandleMaxLength);
    footer.end = file.size() - kFooterLength;
  } else {
    return absl::DataLossError(
        path + ": not a block-based SST file (bad magic number)");
  }
  std::optional<BlockHandle> metaindex = GetBlockHandle(&handles);
  if (!metaindex) {
    return absl::DataLossError(path + ": bad metaindex handle in SST footer");
  }
  footer.metaindex = *metaindex;
  return footer;
}

// A block read with its trailer; `contents` excludes the trailer.
struct Block {
  BlockHandle handle;
  std::string contents;
  char compression = 0;
};

absl::StatusOr<Block> ReadBlock(const File& file, const Footer& footer,
                                const BlockHandle& handle,
                                std::string_view what,
                                const std::string& path) {
  if (handle.size > kMaxMetaBlockSize || handle.offset > footer.end ||
      footer.end - handle.offset < handle.size + kBlockTrailerLength) {
    return absl::DataLossError(path + ": " + std::string(what) +
                               " block handle out of range");
  }
  EDGARIX_ASSIGN_OR_RETURN(
      std::string raw,
      file.Read(handle.offset, handle.size + kBlockTrailerLength));
  Block block;
  block.handle = handle;
  block.compression = raw[handle.size];
  const uint32_t stored = DecodeFixed32(raw.data() + handle.size + 1);
  raw.resize(handle.size);
  block.contents = std::move(raw);
  std::optional<uint32_t> computed =
      BlockChecksum(footer.checksum_type, block.contents, block.compression);
  if (!computed) {
    return absl::FailedPreconditionError(
        path + ": unsupported SST checksum type " +
        std::to_string(footer.checksum_type));
  }
  if (*computed != stored) {
    return absl::DataLossError(path + ": checksum mismatch in " +
                               std::string(what) + " block");
  }
  if (block.compression != kNoCompression) {
    return absl::FailedPreconditionError(path + ": " + std::string(what) +
                                         " block is compressed");
  }
  return block;
}

// One key/value of a block, the value located by its offset in the block.
struct Entry {
  std::string key;
  size_t value_offset = 0;
  size_t value_size = 0;
};

// Visits the entries of an uncompressed block (table/block_based/block.h):
// entries {varint32 shared, varint32 non_shared, varint32 value_size,
// key delta, value}, then fixed32 restarts[num_restarts], fixed32
// num_restarts. Stops early when `visit` returns false.
template <typename Visit>
absl::Status ForEachEntry(std::string_view block, std::string_view what,
                          const std::string& path, Visit visit) {
  auto corrupt = [&](std::string_view why) {
    return absl::DataLossError(path + ": corrupt " + std::string(what) +
                               " block: " + std::string(why));
  };
  if (block.size() < 4) return corrupt("too short");
  const uint32_t num_restarts = DecodeFixed32(block.data() + block.size() - 4);
  // Meta blocks never carry a data-block hash index (the top bit).
  if ((num_restarts & 0x80000000U) != 0 ||
      (static_cast<uint64_t>(num_restarts) + 1) * 4 > block.size()) {
    return corrupt("bad restart count");
  }
  const size_t entries_end = block.size() - (num_restarts + 1) * 4;
  std::string_view in = block.substr(0, entries_end);
  Entry entry;
  while (!in.empty()) {
    std::optional<uint64_t> shared = GetVarint(&in, 32);
    std::optional<uint64_t> non_shared = GetVarint(&in, 32);
    std::optional<uint64_t> value_size = GetVarint(&in, 32);
    if (!shared || !non_shared || !value_size) return corrupt("bad entry header");
    if (*shared > entry.key.size()) return corrupt("bad shared key length");
    if (*non_shared > in.size() || *value_size > in.size() - *non_shared) {
      return corrupt("entry overruns block");
    }
    entry.key.resize(*shared);
    entry.key.append(in.data(), *non_shared);
    in.remove_prefix(*non_shared);
    entry.value_offset = static_cast<size_t>(in.data() - block.data());
    entry.value_size = *value_size;
    in.remove_prefix(*value_size);
    if (!visit(entry)) break;
  }
  return absl::OkStatus();
}

bool IsSessionId(std::string_view id) {
  if (id.size() != kSstSessionIdLength) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

absl::Status VerifyWithRocksDb(const std::string& path,
                               std::string_view session_id) {
  rocksdb::Options options;
  rocksdb::SstFileReader reader(options);
  rocksdb::Status s = reader.Open(path);
  if (s.ok()) s = reader.VerifyChecksum();
  if (!s.ok()) {
    return absl::DataLossError(path + ": verification after rewrite failed: " +
                               s.ToString());
  }
  std::shared_ptr<const rocksdb::TableProperties> props =
      reader.GetTableProperties();
  if (props == nullptr || props->db_session_id != session_id) {
    return absl::DataLossError(
        path + ": verification after rewrite failed: session id reads back as '" +
        (props == nullptr ? std::string() : props->db_session_id) + "'");
  }
  return absl::OkStatus();
}

// Where the session id lives in an SstFileWriter file.
struct SessionIdLocation {
  Footer footer;
  Block props;
  Entry session;
  // Offsets in the file of the id's value and of the properties block's
  // 4-byte checksum.
  uint64_t id_offset = 0;
  uint64_t checksum_offset = 0;
};

absl::StatusOr<SessionIdLocation> Locate(const File& file,
                                         const std::string& path) {
  SessionIdLocation loc;
  EDGARIX_ASSIGN_OR_RETURN(loc.footer, ReadFooter(file, path));
  EDGARIX_ASSIGN_OR_RETURN(
      Block metaindex,
      ReadBlock(file, loc.footer, loc.footer.metaindex, "metaindex", path));

  std::optional<BlockHandle> props_handle;
  bool bad_handle = false;
  EDGARIX_RETURN_IF_ERROR(ForEachEntry(
      metaindex.contents, "metaindex", path, [&](const Entry& e) {
        if (e.key != kPropertiesBlockName) return true;
        std::string_view v(metaindex.contents.data() + e.value_offset,
                           e.value_size);
        props_handle = GetBlockHandle(&v);
        bad_handle = !props_handle.has_value();
        return false;
      }));
  if (bad_handle) {
    return absl::DataLossError(path + ": bad properties block handle");
  }
  if (!props_handle) {
    return absl::DataLossError(path + ": SST has no properties block");
  }
  EDGARIX_ASSIGN_OR_RETURN(
      loc.props,
      ReadBlock(file, loc.footer, *props_handle, "properties", path));

  const std::string& contents = loc.props.contents;
  std::optional<Entry> session;
  std::optional<std::string> db_id;
  EDGARIX_RETURN_IF_ERROR(
      ForEachEntry(contents, "properties", path, [&](const Entry& e) {
        if (e.key == kSessionIdProperty) {
          session = e;
        } else if (e.key == kDbIdProperty) {
          db_id = contents.substr(e.value_offset, e.value_size);
        }
        return true;
      }));
  // Files a DB wrote share one session id among many files, which their
  // block-cache keys rely on; only SstFileWriter output is ours to rewrite.
  if (db_id != kSstWriterDbId) {
    return absl::FailedPreconditionError(
        path + ": " + std::string(kDbIdProperty) + " is '" +
        db_id.value_or("(absent)") + "', not '" + std::string(kSstWriterDbId) +
        "': not an SstFileWriter file");
  }
  if (!session) {
    return absl::DataLossError(path + ": SST has no " +
                               std::string(kSessionIdProperty) + " property");
  }
  if (session->value_size != kSstSessionIdLength) {
    return absl::FailedPreconditionError(
        path + ": existing " + std::string(kSessionIdProperty) + " has " +
        std::to_string(session->value_size) + " characters, not " +
        std::to_string(kSstSessionIdLength));
  }
  loc.session = *session;
  loc.id_offset = loc.props.handle.offset + session->value_offset;
  loc.checksum_offset = loc.props.handle.offset + loc.props.handle.size + 1;
  return loc;
}

absl::Status Rewrite(File& file, SessionIdLocation& loc,
                     std::string_view session_id, const std::string& path) {
  std::string& contents = loc.props.contents;
  if (contents.compare(loc.session.value_offset, loc.session.value_size,
                       session_id.data(), session_id.size()) != 0) {
    contents.replace(loc.session.value_offset, loc.session.value_size,
                     session_id.data(), session_id.size());
    std::array<char, 4> checksum;
    EncodeFixed32(checksum.data(),
                  *BlockChecksum(loc.footer.checksum_type, contents,
                                 loc.props.compression));
    // The id first, then the trailer: both lie inside the properties block
    // and its trailer, so no offsets elsewhere in the file change.
    EDGARIX_RETURN_IF_ERROR(file.Write(loc.id_offset, session_id));
    EDGARIX_RETURN_IF_ERROR(file.Write(
        loc.checksum_offset,
        std::string_view(checksum.data(), checksum.size())));
    EDGARIX_RETURN_IF_ERROR(file.Sync());
  }
  EDGARIX_RETURN_IF_ERROR(file.Close());
  return VerifyWithRocksDb(path, session_id);
}

constexpr std::string_view kBase36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// 13 base-36 digits hold any 64-bit value (36^13 > 2^64), so `a` maps
// injectively into the first 13; `b` fills the other 7.
std::string IdFrom128(uint64_t a, uint64_t b) {
  std::string id(kSstSessionIdLength, '0');
  for (size_t i = 0; i < 13; ++i) {
    id[i] = kBase36[a % 36];
    a /= 36;
  }
  for (size_t i = 13; i < kSstSessionIdLength; ++i) {
    id[i] = kBase36[b % 36];
    b /= 36;
  }
  return id;
}

// XXH3-128 of the whole file with the session id and the properties block's
// checksum (which depends on it) read as zeros.
absl::StatusOr<XXH128_hash_t> HashContent(const File& file,
                                          const SessionIdLocation& loc,
                                          const std::string& path) {
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(
      XXH3_createState(), &XXH3_freeState);
  if (state == nullptr) {
    return absl::ResourceExhaustedError(path + ": cannot allocate XXH3 state");
  }
  XXH3_128bits_reset(state.get());
  auto zero = [](std::string& buf, uint64_t buf_at, uint64_t at, uint64_t n) {
    const uint64_t lo = std::max(buf_at, at);
    const uint64_t hi = std::min(buf_at + buf.size(), at + n);
    for (uint64_t i = lo; i < hi; ++i) buf[i - buf_at] = 0;
  };
  for (uint64_t at = 0; at < file.size(); at += kHashChunk) {
    EDGARIX_ASSIGN_OR_RETURN(
        std::string buf,
        file.Read(at, std::min<uint64_t>(kHashChunk, file.size() - at)));
    zero(buf, at, loc.id_offset, kSstSessionIdLength);
    zero(buf, at, loc.checksum_offset, 4);
    XXH3_128bits_update(state.get(), buf.data(), buf.size());
  }
  return XXH3_128bits_digest(state.get());
}

}  // namespace

absl::Status NormalizeSstSessionId(const std::string& path,
                                   std::string_view session_id) {
  if (!IsSessionId(session_id)) {
    return absl::InvalidArgumentError(
        path + ": session id must be " + std::to_string(kSstSessionIdLength) +
        " characters of [0-9A-Z], got '" + std::string(session_id) + "'");
  }
  File file;
  EDGARIX_RETURN_IF_ERROR(file.Open(path));
  EDGARIX_ASSIGN_OR_RETURN(SessionIdLocation loc, Locate(file, path));
  return Rewrite(file, loc, session_id, path);
}

absl::StatusOr<std::string> NormalizeSstSessionIdFromContent(
    const std::string& path) {
  File file;
  EDGARIX_RETURN_IF_ERROR(file.Open(path));
  EDGARIX_ASSIGN_OR_RETURN(SessionIdLocation loc, Locate(file, path));
  EDGARIX_ASSIGN_OR_RETURN(XXH128_hash_t hash, HashContent(file, loc, path));
  std::string id = IdFrom128(hash.low64, hash.high64);
  EDGARIX_RETURN_IF_ERROR(Rewrite(file, loc, id, path));
  return id;
}

std::string SessionIdFromSeed(uint64_t seed) {
  // SplitMix64's finalizer is a bijection on 64 bits, so distinct seeds give
  // distinct ids (see IdFrom128).
  auto mix = [](uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return IdFrom128(mix(seed), mix(seed + 0x9e3779b97f4a7c15ULL));
}

}  // namespace edgarix::index
