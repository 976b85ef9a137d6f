#include "edgarix/fetch/input_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include "byte_source.h"
#include "edgarix/core/status_macros.h"
#include "edgarix/core/text.h"

namespace edgarix::fetch {
namespace {

namespace fs = std::filesystem;
using internal::ByteSource;
using internal::FileSource;
using internal::GzipLimits;
using internal::GzipSource;
using internal::PeekableSource;

struct InputItem {
  std::string path;
  // Set when the item could not be listed; reported as a read error.
  std::string error;
  uint64_t size = 0;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Appends `path` (a file) or the regular files under it (a folder), sorted.
absl::Status ExpandPath(const std::string& path, std::vector<InputItem>* out) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return absl::NotFoundError(path + ": no such file or directory");
  }
  if (!fs::is_directory(status)) {
    uint64_t size = 0;
    if (fs::is_regular_file(status)) {
      auto s = fs::file_size(path, ec);
      if (!ec) size = s;
    }
    out->push_back({path, "", size});
    return absl::OkStatus();
  }
  std::vector<InputItem> files;
  std::string listing_error;
  fs::recursive_directory_iterator it(
      path, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    out->push_back({path, path + ": cannot list folder: " + ec.message(), 0});
    return absl::OkStatus();
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& entry = *it;
    std::string name = entry.path().filename().string();
    std::error_code entry_ec;
    if (!name.empty() && name[0] == '.') {
      if (entry.is_directory(entry_ec)) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(entry_ec) || EndsWith(name, ".part")) continue;
    uint64_t size = entry.file_size(entry_ec);
    files.push_back({entry.path().string(), "", entry_ec ? 0 : size});
  }
  if (ec) listing_error = path + ": folder listing stopped: " + ec.message();
  std::sort(
      files.begin(), files.end(),
      [](const InputItem& a, const InputItem& b) { return a.path < b.path; });
  for (auto& f : files) out->push_back(std::move(f));
  if (!listing_error.empty()) out->push_back({path, listing_error, 0});
  return absl::OkStatus();
}

// A member name as a printable UTF-8 label.
std::string MemberLabel(struct archive_entry* entry, int index) {
  const char* name = archive_entry_pathname_utf8(entry);
  if (name == nullptr) name = archive_entry_pathname(entry);
  if (name == nullptr || *name == '\0') {
    return "member-" + std::to_string(index);
  }
  std::string label = ToUtf8(name);
  for (char& c : label) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return label;
}

RawFiling ErrorFiling(std::string source, std::string error) {
  RawFiling f;
  f.source = std::move(source);
  f.read_error = std::move(error);
  return f;
}

}  // namespace

struct InputReader::Rep {
  InputOptions options;
  std::vector<InputItem> items;
  size_t next_item = 0;
  uint64_t total_bytes = 0;
  uint64_t bytes_read_closed = 0;

  // The input being read.
  std::string path;
  std::unique_ptr<FileSource> file;
  std::unique_ptr<PeekableSource> raw;  // the file, to look for gzip magic
  std::unique_ptr<GzipSource> gzip;
  std::unique_ptr<PeekableSource> stream;  // inflated, to look for tar
  struct archive* archive = nullptr;
  absl::Status stream_error;  // an error of `stream` that libarchive saw
  bool archive_done = false;
  bool in_damaged_region = false;
  int members = 0;  // entries seen in the current archive
  uint64_t damaged_blocks = 0;
  static constexpr uint64_t kMaxDamagedBlocks = 1ull << 24;  // 8 GiB of tar

  ~Rep() { CloseInput(); }

  GzipLimits Limits() const {
    return {options.bomb_check_bytes, options.max_inflate_ratio};
  }

  void CloseInput() {
    if (archive != nullptr) {
      archive_read_free(archive);
      archive = nullptr;
    }
    if (file != nullptr) bytes_read_closed += file->bytes_read();
    stream.reset();
    gzip.reset();
    raw.reset();
    file.reset();
    stream_error = absl::OkStatus();
    archive_done = false;
    in_damaged_region = false;
    members = 0;
    damaged_blocks = 0;
    path.clear();
  }

  static la_ssize_t ReadCallback(struct archive* a, void* client,
                                 const void** buffer) {
    Rep* rep = static_cast<Rep*>(client);
    auto chunk = rep->stream->Next();
    if (!chunk.ok()) {
      rep->stream_error = chunk.status();
      archive_set_error(a, EIO, "%s",
                        std::string(chunk.status().message()).c_str());
      return -1;
    }
    *buffer = chunk->data();
    return static_cast<la_ssize_t>(chunk->size());
  }

  // The reason libarchive stopped: the stream's own error (corrupt gzip,
  // read failure) when there was one, else libarchive's message.
  std::string ArchiveError() const {
    if (!stream_error.ok()) return std::string(stream_error.message());
    const char* message = archive_error_string(archive);
    return path + ": " + (message != nullptr ? message : "tar read failed");
  }

  std::string AfterMembers() const {
    return " (after " + std::to_string(members) + " archive entries)";
  }

  std::optional<RawFiling> Open(const InputItem& item);
  std::optional<RawFiling> NextMember();
  RawFiling ReadMember(struct archive_entry* entry);
  RawFiling ReadWhole();
};

std::optional<RawFiling> InputReader::Rep::Open(const InputItem& item) {
  if (!item.error.empty()) return ErrorFiling(item.path, item.error);
  auto opened = FileSource::Open(item.path);
  if (!opened.ok()) {
    return ErrorFiling(item.path, std::string(opened.status().message()));
  }
  path = item.path;
  file = *std::move(opened);
  raw = std::make_unique<PeekableSource>(file.get());
  auto magic = raw->Peek(2);
  if (!magic.ok()) {
    RawFiling f = ErrorFiling(path, std::string(magic.status().message()));
    CloseInput();
    return f;
  }
  ByteSource* inflated = raw.get();
  if (internal::LooksLikeGzip(*magic)) {
    gzip = std::make_unique<GzipSource>(raw.get(), path, Limits());
    inflated = gzip.get();
  }
  stream = std::make_unique<PeekableSource>(inflated);
  auto head = stream->Peek(512);
  if (!head.ok()) {
    RawFiling f = ErrorFiling(path, std::string(head.status().message()));
    CloseInput();
    return f;
  }
  if (!internal::LooksLikeTarHeader(*head)) return ReadWhole();

  archive = archive_read_new();
  if (archive == nullptr) {
    RawFiling f = ErrorFiling(path, path + ": out of memory (libarchive)");
    CloseInput();
    return f;
  }
  // Only tar (ustar, pax, GNU, v7): the stream is already inflated.
  archive_read_support_format_tar(archive);
  if (archive_read_open(archive, this, nullptr, &Rep::ReadCallback, nullptr) !=
      ARCHIVE_OK) {
    RawFiling f = ErrorFiling(path, ArchiveError());
    CloseInput();
    return f;
  }
  return NextMember();
}

std::optional<RawFiling> InputReader::Rep::NextMember() {
  while (!archive_done) {
    struct archive_entry* entry = nullptr;
    int r = archive_read_next_header(archive, &entry);
    if (r == ARCHIVE_EOF) {
      archive_done = true;
      // Read what follows the tar end so a gzip trailer (CRC, size) and
      // any further gzip members are checked too.
      while (true) {
        auto chunk = stream->Next();
        if (!chunk.ok()) {
          return ErrorFiling(path, std::string(chunk.status().message()) +
                                       " after the end of the tar archive" +
                                       AfterMembers());
        }
        if (chunk->empty()) break;
      }
      break;
    }
    if (r == ARCHIVE_FATAL) {
      archive_done = true;
      return ErrorFiling(path, ArchiveError() + AfterMembers());
    }
    if (r == ARCHIVE_RETRY) {
      // A damaged header: libarchive skips ahead block by block. Report the
      // damaged stretch once.
      if (!stream_error.ok()) {
        archive_done = true;
        return ErrorFiling(path, ArchiveError() + AfterMembers());
      }
      // libarchive moves on one block per retry; a stream that never yields
      // a good header again ends at its end, but guard against a stall.
      if (++damaged_blocks > kMaxDamagedBlocks) {
        archive_done = true;
        return ErrorFiling(path, path + ": too much damaged tar data, gave up" +
                                     AfterMembers());
      }
      if (in_damaged_region) continue;
      in_damaged_region = true;
      return ErrorFiling(path, ArchiveError() +
                                   "; skipping to the next valid header" +
                                   AfterMembers());
    }
    // ARCHIVE_OK or ARCHIVE_WARN (e.g. an odd pax attribute): use the entry.
    in_damaged_region = false;
    ++members;
    if (archive_entry_filetype(entry) != AE_IFREG ||
        archive_entry_hardlink(entry) != nullptr ||
        archive_entry_symlink(entry) != nullptr) {
      continue;  // libarchive skips the entry's data on the next header
    }
    return ReadMember(entry);
  }
  CloseInput();
  return std::nullopt;
}

RawFiling InputReader::Rep::ReadMember(struct archive_entry* entry) {
  RawFiling f;
  f.source = path + "#" + MemberLabel(entry, members);
  const uint64_t cap = options.max_filing_bytes;
  auto over_cap = [&](uint64_t size, bool exact) {
    f.bytes.clear();
    f.bytes.shrink_to_fit();
    f.read_error = f.source + ": member is " + (exact ? "" : "more than ") +
                   std::to_string(size) +
                   " bytes, over the max_filing_bytes limit of " +
                   std::to_string(cap);
    if (archive_read_data_skip(archive) == ARCHIVE_FATAL) {
      archive_done = true;
      f.read_error += "; then: " + ArchiveError() + AfterMembers();
    }
  };
  if (archive_entry_size_is_set(entry)) {
    int64_t size = archive_entry_size(entry);
    if (size > 0 && static_cast<uint64_t>(size) > cap) {
      over_cap(static_cast<uint64_t>(size), true);
      return f;
    }
    // The header's size is untrusted: reserve a little, grow as data comes.
    if (size > 0) {
      f.bytes.reserve(static_cast<size_t>(std::min<int64_t>(size, 1 << 20)));
    }
  }
  while (true) {
    const void* block = nullptr;
    size_t length = 0;
    la_int64_t offset = 0;
    int r = archive_read_data_block(archive, &block, &length, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      if (r == ARCHIVE_FATAL) archive_done = true;
      f.bytes.clear();
      f.bytes.shrink_to_fit();
      f.read_error = ArchiveError() + " while reading member " + f.source;
      return f;
    }
    if (offset < 0) offset = 0;
    uint64_t end = static_cast<uint64_t>(offset) + length;
    if (end > cap) {
      over_cap(end, false);
      return f;
    }
    // Sparse members come in blocks with holes between them.
    if (end > f.bytes.capacity()) {
      // Grow geometrically, but never past the cap.
      uint64_t grow = std::max<uint64_t>(end, 2 * f.bytes.capacity());
      f.bytes.reserve(static_cast<size_t>(std::min<uint64_t>(grow, cap)));
    }
    if (static_cast<uint64_t>(offset) != f.bytes.size()) {
      f.bytes.resize(static_cast<size_t>(offset));
    }
    f.bytes.append(static_cast<const char*>(block), length);
  }
  return f;
}

RawFiling InputReader::Rep::ReadWhole() {
  RawFiling f;
  f.source = path;
  const uint64_t cap = options.max_filing_bytes;
  if (gzip == nullptr && file->size() >= 0) {
    uint64_t size = static_cast<uint64_t>(file->size());
    if (size > cap) {
      f.read_error = path + ": file is " + std::to_string(size) +
                     " bytes, over the max_filing_bytes limit of " +
                     std::to_string(cap);
      CloseInput();
      return f;
    }
    f.bytes.reserve(static_cast<size_t>(size));
  }
  while (true) {
    auto chunk = stream->Next();
    if (!chunk.ok()) {
      f.bytes.clear();
      f.bytes.shrink_to_fit();
      f.read_error = std::string(chunk.status().message());
      break;
    }
    if (chunk->empty()) break;
    uint64_t needed = f.bytes.size() + chunk->size();
    if (needed > cap) {
      f.bytes.clear();
      f.bytes.shrink_to_fit();
      f.read_error = path + ": " + (gzip ? "inflated size" : "size") +
                     " exceeds the max_filing_bytes limit of " +
                     std::to_string(cap) + "; stopped reading";
      break;
    }
    if (needed > f.bytes.capacity()) {
      // Grow geometrically, but never past the cap.
      uint64_t grow = std::max<uint64_t>(needed, 2 * f.bytes.capacity());
      f.bytes.reserve(static_cast<size_t>(std::min<uint64_t>(grow, cap)));
    }
    f.bytes.append(chunk->data(), chunk->size());
  }
  CloseInput();
  return f;
}

absl::StatusOr<std::unique_ptr<InputReader>> InputReader::Open(
    const std::vector<std::string>& paths, const InputOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  for (const std::string& path : paths) {
    EDGARIX_RETURN_IF_ERROR(ExpandPath(path, &rep->items));
  }
  for (const InputItem& item : rep->items) rep->total_bytes += item.size;
  return std::unique_ptr<InputReader>(new InputReader(std::move(rep)));
}

InputReader::InputReader(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

InputReader::~InputReader() = default;

std::optional<RawFiling> InputReader::Next() {
  while (true) {
    if (rep_->archive != nullptr) {
      std::optional<RawFiling> member = rep_->NextMember();
      if (member.has_value()) return member;
      continue;  // NextMember closed the finished archive
    }
    if (rep_->next_item >= rep_->items.size()) return std::nullopt;
    const InputItem& item = rep_->items[rep_->next_item++];
    std::optional<RawFiling> filing = rep_->Open(item);
    if (filing.has_value()) return filing;
  }
}

uint64_t InputReader::bytes_read() const {
  return rep_->bytes_read_closed +
         (rep_->file != nullptr ? rep_->file->bytes_read() : 0);
}

uint64_t InputReader::total_bytes() const { return rep_->total_bytes; }

}  // namespace edgarix::fetch
