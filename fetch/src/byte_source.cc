#include "byte_source.h"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace edgarix::fetch::internal {
namespace {

absl::Status ErrnoStatus(int err, const std::string& what) {
  std::string message = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

const char* InflateErrorText(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK:
      return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
      return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
      return "invalid deflate back-reference";
    case ISAL_INVALID_WRAPPER:
      return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unsupported compression method in gzip header";
    case ISAL_INCORRECT_CHECKSUM:
      return "gzip trailer mismatch (CRC-32 or length): data is corrupt";
    case ISAL_NEED_DICT:
      return "stream needs a preset dictionary";
    default:
      return "inflate failed";
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// FileSource

absl::StatusOr<std::unique_ptr<FileSource>> FileSource::Open(
    const std::string& path, size_t buffer_size) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoStatus(errno, path);
  struct stat st;
  int64_t size = -1;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return absl::InvalidArgumentError(path + ": is a directory");
    }
    if (S_ISREG(st.st_mode)) size = st.st_size;
  }
  // A small file needs no 1 MiB buffer (most filings are far smaller); one
  // byte more than the file lets the first read see it whole.
  if (size >= 0) buffer_size = std::min<size_t>(buffer_size, static_cast<size_t>(size) + 1);
  return std::unique_ptr<FileSource>(
      new FileSource(fd, path, std::max<size_t>(buffer_size, 4096), size));
}

FileSource::FileSource(int fd, std::string path, size_t buffer_size,
                       int64_t size)
    : fd_(fd),
      path_(std::move(path)),
      buffer_(new char[buffer_size]),
      buffer_size_(buffer_size),
      size_(size) {}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::string_view> FileSource::Next() {
  if (!error_.ok()) return error_;
  while (true) {
    ssize_t n = ::read(fd_, buffer_.get(), buffer_size_);
    if (n >= 0) {
      bytes_read_ += static_cast<uint64_t>(n);
      return std::string_view(buffer_.get(), static_cast<size_t>(n));
    }
    if (errno == EINTR) continue;
    error_ = ErrnoStatus(errno, path_ + ": read failed");
    return error_;
  }
}

// ---------------------------------------------------------------------------
// MemorySource

absl::StatusOr<std::string_view> MemorySource::Next() {
  std::string_view chunk = bytes_.substr(0, chunk_size_);
  bytes_.remove_prefix(chunk.size());
  return chunk;
}

// ---------------------------------------------------------------------------
// GzipSource

GzipSource::GzipSource(ByteSource* input, std::string name, GzipLimits limits,
                       size_t buffer_size)
    : input_(input),
      name_(std::move(name)),
      limits_(limits),
      state_(std::make_unique<inflate_state>()),
      out_(std::max<size_t>(buffer_size, 4096)) {
  isal_inflate_init(state_.get());
}

GzipSource::~GzipSource() = default;

absl::Status GzipSource::Fail(std::string message) {
  error_ = absl::DataLossError(name_ + ": " + message);
  return error_;
}

absl::StatusOr<bool> GzipSource::Refill() {
  auto chunk = input_->Next();
  if (!chunk.ok()) {
    error_ = chunk.status();
    return error_;
  }
  if (chunk->empty()) {
    input_done_ = true;
    return false;
  }
  // ISA-L takes a 32-bit length; FileSource chunks are far smaller, but a
  // MemorySource could in principle hand over more.
  pending_in_ = *chunk;
  bytes_in_ += chunk->size();
  size_t take = std::min<size_t>(pending_in_.size(), 1u << 30);
  state_->next_in =
      reinterpret_cast<uint8_t*>(const_cast<char*>(pending_in_.data()));
  state_->avail_in = static_cast<uint32_t>(take);
  pending_in_.remove_prefix(take);
  return true;
}

void GzipSource::StartMember() {
  uint8_t* next_in = state_->next_in;
  uint32_t avail_in = state_->avail_in;
  isal_inflate_init(state_.get());
  state_->crc_flag = ISAL_GZIP;
  state_->next_in = next_in;
  state_->avail_in = avail_in;
  in_member_ = true;
  ++members_;
}

absl::StatusOr<std::string_view> GzipSource::Next() {
  if (!error_.ok()) return error_;
  if (done_) return std::string_view();
  int stalls = 0;
  while (true) {
    if (state_->avail_in == 0 && !pending_in_.empty()) {
      size_t take = std::min<size_t>(pending_in_.size(), 1u << 30);
      state_->next_in =
          reinterpret_cast<uint8_t*>(const_cast<char*>(pending_in_.data()));
      state_->avail_in = static_cast<uint32_t>(take);
      pending_in_.remove_prefix(take);
    }
    if (!in_member_) {
      // Between members: another member, zero padding, or the end.
      if (state_->avail_in == 0) {
        auto more = Refill();
        if (!more.ok()) return more.status();
        if (!*more) {
          if (members_ == 0) return Fail("empty input, not a gzip stream");
          done_ = true;
          return std::string_view();
        }
        continue;
      }
      const uint8_t* p = state_->next_in;
      if (members_ > 0 && *p == 0) {
        const uint8_t* end = p + state_->avail_in;
        while (p < end && *p == 0) ++p;
        state_->avail_in -= static_cast<uint32_t>(p - state_->next_in);
        state_->next_in = const_cast<uint8_t*>(p);
        continue;
      }
      if (*p != 0x1f) {
        uint64_t offset = bytes_in_ - pending_in_.size() - state_->avail_in;
        if (members_ == 0) return Fail("not a gzip stream");
        return Fail("trailing garbage after gzip member " +
                    std::to_string(members_) + " at compressed byte " +
                    std::to_string(offset));
      }
      StartMember();
    }

    if (state_->avail_in == 0 && !input_done_) {
      auto more = Refill();
      if (!more.ok()) return more.status();
    }
    state_->next_out = out_.data();
    state_->avail_out = static_cast<uint32_t>(out_.size());
    uint32_t avail_in_before = state_->avail_in;
    int ret = isal_inflate(state_.get());
    uint64_t consumed = bytes_in_ - pending_in_.size() - state_->avail_in;
    if (ret < 0) {
      return Fail(std::string("corrupt gzip: ") + InflateErrorText(ret) +
                  " in member " + std::to_string(members_) +
                  " near compressed byte " + std::to_string(consumed));
    }
    size_t produced = out_.size() - state_->avail_out;
    bytes_out_ += produced;
    if (state_->block_state == ISAL_BLOCK_FINISH) in_member_ = false;
    if (limits_.bomb_check_bytes > 0 && limits_.max_ratio > 0 &&
        bytes_out_ > limits_.bomb_check_bytes &&
        bytes_out_ / std::max<uint64_t>(consumed, 1) > limits_.max_ratio) {
      error_ = absl::ResourceExhaustedError(
          name_ + ": decompression bomb: " + std::to_string(bytes_out_) +
          " bytes inflated from " + std::to_string(consumed) +
          " compressed bytes (more than " + std::to_string(limits_.max_ratio) +
          ":1); stopped");
      return error_;
    }
    if (produced > 0) {
      return std::string_view(reinterpret_cast<const char*>(out_.data()),
                              produced);
    }
    if (!in_member_) continue;
    if (state_->avail_in == 0 && pending_in_.empty() && input_done_) {
      return Fail("truncated gzip: input ends inside member " +
                  std::to_string(members_) + " after " +
                  std::to_string(consumed) + " compressed bytes");
    }
    if (state_->avail_in == avail_in_before && avail_in_before > 0) {
      if (++stalls > 4) return Fail("gzip decoder made no progress");
    } else {
      stalls = 0;
    }
  }
}

// ---------------------------------------------------------------------------
// PeekableSource

absl::StatusOr<std::string_view> PeekableSource::Peek(size_t n) {
  while (head_.size() < n && !input_done_) {
    // head_ may view the input's buffer, which the next call invalidates.
    if (!head_.empty() && owned_.empty()) {
      owned_.assign(head_);
      head_ = owned_;
    }
    auto chunk = input_->Next();
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) {
      input_done_ = true;
      break;
    }
    if (head_.empty()) {
      head_ = *chunk;
    } else {
      owned_.append(chunk->data(), chunk->size());
      head_ = owned_;
    }
  }
  return head_;
}

absl::StatusOr<std::string_view> PeekableSource::Next() {
  if (!returned_head_) {
    returned_head_ = true;
    if (!head_.empty()) {
      std::string_view head = head_;
      head_ = {};
      return head;
    }
  }
  if (!owned_.empty()) {
    owned_.clear();
    owned_.shrink_to_fit();
  }
  if (input_done_) return std::string_view();
  return input_->Next();
}

// ---------------------------------------------------------------------------

bool LooksLikeTarHeader(std::string_view block) {
  if (block.size() < 512) return false;
  uint32_t unsigned_sum = 0;
  int32_t signed_sum = 0;
  for (size_t i = 0; i < 512; ++i) {
    if (i >= 148 && i < 156) {
      unsigned_sum += ' ';
      signed_sum += ' ';
    } else {
      unsigned_sum += static_cast<unsigned char>(block[i]);
      signed_sum += static_cast<signed char>(block[i]);
    }
  }
  // The checksum field: optional leading spaces, octal digits, then NUL or
  // space.
  size_t i = 148;
  while (i < 156 && block[i] == ' ') ++i;
  uint32_t stored = 0;
  int digits = 0;
  while (i < 156 && block[i] >= '0' && block[i] <= '7') {
    stored = stored * 8 + static_cast<uint32_t>(block[i] - '0');
    ++digits;
    ++i;
  }
  if (digits == 0) return false;
  if (i < 156 && block[i] != '\0' && block[i] != ' ') return false;
  return stored == unsigned_sum || static_cast<int32_t>(stored) == signed_sum;
}

}  // namespace edgarix::fetch::internal
