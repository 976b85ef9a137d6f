#pragma once

// Pull streams of bytes used by the fetch readers: a file, a memory buffer,
// an ISA-L gzip inflater over another stream, and a wrapper that lets the
// caller look at the first bytes before deciding how to read the rest.
//
// None of these classes is thread-safe; each is used by one thread.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct inflate_state;

namespace edgarix::fetch::internal {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Returns the next chunk of the stream, or an empty view at the end. The
  // view stays valid until the next call. After an error every later call
  // returns the same error.
  virtual absl::StatusOr<std::string_view> Next() = 0;
};

// Reads a file (or anything open()-able) in chunks of `buffer_size` bytes.
class FileSource final : public ByteSource {
 public:
  // NotFound / PermissionDenied / Internal when the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<FileSource>> Open(
      const std::string& path, size_t buffer_size = 1 << 20);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  absl::StatusOr<std::string_view> Next() override;
  // Bytes read from the file so far.
  uint64_t bytes_read() const { return bytes_read_; }
  // The file's size when it is a regular file, else -1.
  int64_t size() const { return size_; }

 private:
  FileSource(int fd, std::string path, size_t buffer_size, int64_t size);
  int fd_;
  std::string path_;
  // Not zero-filled: read() overwrites what Next() returns.
  std::unique_ptr<char[]> buffer_;
  size_t buffer_size_;
  uint64_t bytes_read_ = 0;
  int64_t size_;
  absl::Status error_;
};

// Serves one memory buffer (not owned; must outlive the source), in chunks of
// at most `chunk_size` bytes.
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes, size_t chunk_size = 1 << 20)
      : bytes_(bytes), chunk_size_(chunk_size) {}
  absl::StatusOr<std::string_view> Next() override;

 private:
  std::string_view bytes_;
  size_t chunk_size_;
};

struct GzipLimits {
  // The stream is a decompression bomb once its output passes
  // `bomb_check_bytes` while being more than `max_ratio` times the compressed
  // bytes consumed. 0 in either field disables the check.
  uint64_t bomb_check_bytes = 64ull << 20;
  uint64_t max_ratio = 200;
};

// Inflates a gzip stream (RFC 1952, one or more members, each trailer's CRC-32
// and ISIZE checked) with ISA-L. Zero bytes after the last member are
// ignored; anything else after a member that is not another gzip member is an
// error, as are a truncated stream, a bad header and corrupt deflate data.
class GzipSource final : public ByteSource {
 public:
  // `input` must outlive this source. `name` labels error messages.
  GzipSource(ByteSource* input, std::string name, GzipLimits limits = {},
             size_t buffer_size = 256 << 10);
  ~GzipSource() override;
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  absl::StatusOr<std::string_view> Next() override;
  // Compressed bytes taken from `input` so far.
  uint64_t bytes_in() const { return bytes_in_; }
  // Inflated bytes produced so far.
  uint64_t bytes_out() const { return bytes_out_; }
  // Gzip members started so far.
  int members() const { return members_; }

 private:
  absl::Status Fail(std::string message);
  // Pulls the next input chunk into the inflater. Returns false at the end.
  absl::StatusOr<bool> Refill();
  void StartMember();

  ByteSource* input_;
  std::string name_;
  GzipLimits limits_;
  std::unique_ptr<inflate_state> state_;
  std::vector<uint8_t> out_;
  std::string_view pending_in_;  // input not yet handed to the inflater
  bool input_done_ = false;
  bool in_member_ = false;
  bool done_ = false;
  int members_ = 0;
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
  absl::Status error_;
};

// Lets a reader look at the first bytes of a stream and then read the whole
// stream, those bytes included, from the start.
class PeekableSource final : public ByteSource {
 public:
  explicit PeekableSource(ByteSource* input) : input_(input) {}
  // Returns at least `n` bytes from the start of the stream (fewer only when
  // the stream is shorter). REQUIRES: Next() not yet called.
  absl::StatusOr<std::string_view> Peek(size_t n);
  absl::StatusOr<std::string_view> Next() override;

 private:
  ByteSource* input_;
  std::string_view head_;  // peeked bytes not yet returned by Next()
  std::string owned_;      // backing store of head_ when it spans chunks
  bool input_done_ = false;
  bool returned_head_ = false;
};

// Returns true when `block` (512 bytes) is a valid tar header: its checksum
// field matches (ustar, GNU and v7 headers). An all-zero block is not.
bool LooksLikeTarHeader(std::string_view block);

// Returns true when `bytes` starts with the gzip magic 1f 8b.
inline bool LooksLikeGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

}  // namespace edgarix::fetch::internal
