#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"

struct inflate_state;  // ISA-L

namespace edgarix::fetch::internal {

// Streams a downloaded body and decides whether it is a whole file for its
// path: CRC-32 (gzip polynomial, as zlib's crc32) of the raw bytes always; for .gz / .tgz every
// gzip member must inflate to its end with matching CRC-32 and ISIZE trailers; for .tar, .tar.gz
// and .tgz the (inflated) tar stream must reach its end-of-archive blocks with valid header
// checksums on the way; a .zip must carry its end-of-central-directory record. Memory is bounded
// (fixed buffers).
//
// Not thread-safe.
class BodyChecker {
 public:
  explicit BodyChecker(std::string_view path);
  ~BodyChecker();
  BodyChecker(const BodyChecker&) = delete;
  BodyChecker& operator=(const BodyChecker&) = delete;

  void Update(const char* data, size_t size);
  // OK when the bytes seen form a whole file; DataLoss naming the problem.
  absl::Status Finish();

  uint32_t crc32() const { return crc_; }
  uint64_t size() const { return size_; }

 private:
  void Inflate(const unsigned char* data, size_t size);
  void Tar(const unsigned char* data, size_t size);
  void Fail(std::string message);

  std::string path_;
  bool gzip_ = false;
  bool tar_ = false;
  bool zip_ = false;
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
  std::string error_;

  // gzip state (ISA-L: several times zlib's inflate speed)
  std::unique_ptr<inflate_state> inflater_;
  bool in_member_ = false;     // inside a gzip member (no trailer seen yet)
  bool members_done_ = false;  // at least one member ended
  bool trailing_zeros_ = false;
  uint64_t inflated_ = 0;
  std::string out_;

  // tar state
  std::string header_;       // partial 512-byte header
  uint64_t tar_skip_ = 0;    // member data (padded) still to skip
  uint64_t tar_offset_ = 0;  // offset in the tar stream
  int zero_blocks_ = 0;
  bool tar_ended_ = false;

  // zip: the last bytes seen (EOCD lives in the final 64 KiB + 22)
  std::string tail_;
};

}  // namespace edgarix::fetch::internal
