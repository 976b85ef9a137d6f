#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "edgarix/core/filing.h"

namespace edgarix::fetch {

struct InputOptions {
  // A filing or archive member larger than this is reported as a read error
  // (RawFiling::read_error) instead of being held in memory. Default: 1 GiB.
  uint64_t max_filing_bytes = 1ull << 30;
  // Stop inflating a .gz whose output exceeds this many bytes per input byte
  // (a decompression bomb) once past max_filing_bytes. Default: 1 GiB cap
  // applies per member.
};

// Streams RawFilings out of paths on disk, one at a time, never unpacking to
// disk: plain files (.txt, .nc, .htm, .xml, .hdr.sgml, anything), .gz files
// (inflated with ISA-L), tar and .tar.gz / .tgz archives such as the daily
// Feed's YYYYMMDD.nc.tar.gz (members streamed; each regular member is one
// filing, source "archive#member"; directories, links and special members
// skipped), and folders (recursively, in sorted order).
//
// Not thread-safe: one thread calls Next().
class InputReader {
 public:
  // Fails with NotFound when a path does not exist.
  static absl::StatusOr<std::unique_ptr<InputReader>> Open(
      const std::vector<std::string>& paths, const InputOptions& options);
  ~InputReader();

  // The next filing, or nullopt at the end. A file or member that cannot be
  // read (corrupt gzip, truncated tar, over the size limit) comes back as a
  // RawFiling with read_error set and the stream goes on with the next input
  // where it can.
  std::optional<RawFiling> Next();

 private:
  struct Rep;
  explicit InputReader(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace edgarix::fetch
