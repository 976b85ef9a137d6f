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
  // A gzip stream is a decompression bomb, and reading it stops with a read
  // error, once its inflated output passes `bomb_check_bytes` while being
  // more than `max_inflate_ratio` times the compressed bytes consumed. Real
  // filings and Feed archives inflate 3:1 to 45:1; zeros inflate 1000:1.
  // 0 in either field disables the check (max_filing_bytes still applies).
  // Default: 200 and 64 MiB.
  uint64_t max_inflate_ratio = 200;
  uint64_t bomb_check_bytes = 64ull << 20;
};

// Streams RawFilings out of paths on disk, one at a time, never unpacking to
// disk: plain files (.txt, .nc, .htm, .xml, .hdr.sgml, anything), .gz files
// (inflated with ISA-L), tar and .tar.gz / .tgz archives such as the daily
// Feed's YYYYMMDD.nc.tar.gz (members streamed; each regular member is one
// filing, source "archive#member"; directories, links and special members
// skipped), and folders (recursively, in sorted order).
//
// Formats are told by content, not by name: gzip by its magic bytes (all
// members of a multi-member .gz; each trailer's CRC-32 and size checked),
// tar by a valid header checksum in the first 512 (inflated) bytes. Anything
// else is one filing. In folders, hidden entries (".*") and "*.part" files
// are skipped and only regular files are read; paths given explicitly are
// read whatever their name. Member names are labels only: nothing is ever
// written to disk. Memory holds one filing (at most max_filing_bytes) plus
// fixed buffers.
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

  // Bytes read from disk so far (compressed bytes for .gz inputs), for
  // progress reports.
  uint64_t bytes_read() const;
  // Total size of the regular files queued by Open() (folders expanded), for
  // progress reports.
  uint64_t total_bytes() const;

 private:
  struct Rep;
  explicit InputReader(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace edgarix::fetch
