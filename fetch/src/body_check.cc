#include "body_check.h"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>

namespace edgarix::fetch::internal {
namespace {

constexpr size_t kOutChunk = 256 * 1024;
// An inflated stream larger than this is refused (a decompression bomb).
constexpr uint64_t kMaxInflated = 1ull << 38;  // 256 GiB
constexpr size_t kZipTail = 65536 + 22;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Parses a tar numeric field: octal digits (space/NUL padded) or GNU
// base-256 (high bit of the first byte set). Returns false when malformed.
bool ParseTarNumber(const unsigned char* field, size_t len, uint64_t* value) {
  if (field[0] & 0x80) {
    uint64_t v = field[0] & 0x7f;
    for (size_t i = 1; i < len; ++i) {
      if (v >> 56) return false;
      v = (v << 8) | field[i];
    }
    *value = v;
    return true;
  }
  uint64_t v = 0;
  size_t i = 0;
  while (i < len && field[i] == ' ') ++i;
  bool any = false;
  for (; i < len && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (v >> 60) return false;
    v = v * 8 + (field[i] - '0');
    any = true;
  }
  for (; i < len; ++i) {
    if (field[i] != ' ' && field[i] != '\0') return false;
  }
  *value = any ? v : 0;
  return true;
}

}  // namespace

BodyChecker::BodyChecker(std::string_view path) : path_(path) {
  const std::string lower = Lower(path);
  gzip_ = EndsWith(lower, ".gz") || EndsWith(lower, ".tgz");
  tar_ = EndsWith(lower, ".tar") || EndsWith(lower, ".tar.gz") || EndsWith(lower, ".tgz");
  zip_ = EndsWith(lower, ".zip");
  if (gzip_) {
    out_.resize(kOutChunk);
    inflater_ = std::make_unique<inflate_state>();
  }
}

BodyChecker::~BodyChecker() = default;

void BodyChecker::Fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

void BodyChecker::Update(const char* data, size_t size) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  crc_ = crc32_gzip_refl(crc_, bytes, size);
  size_ += size;
  if (!error_.empty()) return;
  if (zip_) {
    tail_.append(data, size);
    if (tail_.size() > 2 * kZipTail) tail_.erase(0, tail_.size() - kZipTail);
  }
  if (gzip_) {
    Inflate(bytes, size);
  } else if (tar_) {
    Tar(bytes, size);
  }
}

void BodyChecker::Inflate(const unsigned char* data, size_t size) {
  inflate_state* st = inflater_.get();
  while (size > 0 && error_.empty()) {
    if (trailing_zeros_) {
      for (size_t i = 0; i < size; ++i) {
        if (data[i] != 0) return Fail("garbage after the last gzip member");
      }
      return;
    }
    if (!in_member_) {
      if (members_done_ && data[0] != 0x1f) {
        // Zero padding after the last member is tolerated, like gzip(1).
        trailing_zeros_ = true;
        continue;
      }
      isal_inflate_init(st);
      // ISAL_GZIP: parses the header, checks the CRC-32 and ISIZE trailer.
      st->crc_flag = ISAL_GZIP;
      in_member_ = true;
    }
    const size_t n = std::min<size_t>(size, 1u << 30);
    st->next_in = const_cast<unsigned char*>(data);
    st->avail_in = static_cast<uint32_t>(n);
    size_t produced_total = 0;
    do {
      st->next_out = reinterpret_cast<uint8_t*>(out_.data());
      st->avail_out = static_cast<uint32_t>(out_.size());
      const int rc = isal_inflate(st);
      const size_t produced = out_.size() - st->avail_out;
      produced_total += produced;
      inflated_ += produced;
      if (inflated_ > kMaxInflated) return Fail("gzip inflates beyond 256 GiB");
      if (tar_ && produced > 0) {
        Tar(reinterpret_cast<const unsigned char*>(out_.data()), produced);
      }
      if (rc < 0) {
        return Fail(rc == ISAL_INCORRECT_CHECKSUM
                        ? "gzip CRC-32/ISIZE trailer does not match the data"
                        : "corrupt gzip data (ISA-L error " + std::to_string(rc) + ")");
      }
      if (st->block_state == ISAL_BLOCK_FINISH) break;
    } while (st->avail_in > 0 || st->avail_out == 0);
    const size_t used = n - st->avail_in;
    data += used;
    size -= used;
    if (st->block_state == ISAL_BLOCK_FINISH) {
      in_member_ = false;
      members_done_ = true;
    } else if (used == 0 && produced_total == 0) {
      return Fail("gzip stream makes no progress");
    }
  }
}

void BodyChecker::Tar(const unsigned char* data, size_t size) {
  while (size > 0 && !tar_ended_ && error_.empty()) {
    if (tar_skip_ > 0) {
      const uint64_t n = std::min<uint64_t>(tar_skip_, size);
      tar_skip_ -= n;
      tar_offset_ += n;
      data += n;
      size -= n;
      continue;
    }
    const size_t need = 512 - header_.size();
    const size_t n = std::min(need, size);
    header_.append(reinterpret_cast<const char*>(data), n);
    data += n;
    size -= n;
    tar_offset_ += n;
    if (header_.size() < 512) return;
    const auto* h = reinterpret_cast<const unsigned char*>(header_.data());
    const bool zero = std::all_of(h, h + 512, [](unsigned char c) { return c == 0; });
    if (zero) {
      if (++zero_blocks_ >= 2) tar_ended_ = true;
      header_.clear();
      continue;
    }
    zero_blocks_ = 0;
    uint64_t stored = 0;
    if (!ParseTarNumber(h + 148, 8, &stored)) {
      return Fail("bad tar header checksum field at offset " + std::to_string(tar_offset_ - 512));
    }
    uint64_t sum = 0;
    for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
    if (sum != stored) {
      return Fail("tar header checksum mismatch at offset " + std::to_string(tar_offset_ - 512));
    }
    uint64_t member_size = 0;
    if (!ParseTarNumber(h + 124, 12, &member_size)) {
      return Fail("bad tar size field at offset " + std::to_string(tar_offset_ - 512));
    }
    const char type = static_cast<char>(h[156]);
    // Links, devices, directories and FIFOs carry no data blocks.
    if (type >= '1' && type <= '6') member_size = 0;
    tar_skip_ = (member_size + 511) / 512 * 512;
    header_.clear();
  }
}

absl::Status BodyChecker::Finish() {
  const std::string where = path_ + ": ";
  if (!error_.empty()) return absl::DataLossError(where + error_);
  if (gzip_) {
    if (size_ == 0) return absl::DataLossError(where + "empty gzip file");
    if (in_member_ || !members_done_) {
      return absl::DataLossError(where + "truncated gzip stream (no CRC-32/ISIZE trailer)");
    }
  }
  if (tar_ && !tar_ended_) {
    return absl::DataLossError(where + "tar archive ends without its end-of-archive blocks");
  }
  if (zip_) {
    static constexpr char kEocd[] = {'P', 'K', 5, 6};
    const size_t from = tail_.size() > kZipTail ? tail_.size() - kZipTail : 0;
    bool found = false;
    for (size_t i = tail_.size() >= 22 ? tail_.size() - 22 + 1 : 0; i-- > from;) {
      if (std::memcmp(tail_.data() + i, kEocd, 4) == 0) {
        found = true;
        break;
      }
    }
    if (!found) {
      return absl::DataLossError(where + "zip file lacks its end-of-central-directory record");
    }
  }
  return absl::OkStatus();
}

}  // namespace edgarix::fetch::internal
