#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace edgarix::fetch {

// Returns OK when `user_agent` declares a name and an e-mail address, as the
// SEC requires ("Sample Company Name AdminContact@sample.com"): at least one
// word that is not the address, and one token shaped like local@domain.tld.
// InvalidArgument (saying what is missing) otherwise.
absl::Status ValidateUserAgent(std::string_view user_agent);

// Returns OK for an archive-relative path the Downloader accepts: relative,
// no empty, "." or ".." segments, only [A-Za-z0-9._/-], at most 1024 bytes
// ("Feed/2024/QTR1/20240102.nc.tar.gz"). InvalidArgument otherwise.
absl::Status ValidateArchivePath(std::string_view path);

struct DownloaderOptions {
  // Where EDGAR's Archives/edgar/ lives: http://, https:// or file://.
  // Default: https://www.sec.gov/Archives/edgar
  std::string base_url = "https://www.sec.gov/Archives/edgar";
  // Sent with every request; must pass ValidateUserAgent(). No default.
  std::string user_agent;
  // Files land in out_dir/<archive-relative path>. Required by FetchToFile.
  std::string out_dir;
  // RocksDB journal of completed files. Empty: out_dir/.edgarix-journal.
  // "-" disables the journal (then only the file on disk says what is done).
  std::string journal_dir;
  // Requests per second over all transfers (one token bucket, no burst);
  // the SEC allows at most 10 and larger values are refused. Default: 8.
  double requests_per_second = 8.0;
  // Transfers running at once. Default: 4.
  int max_parallel = 4;
  // Attempts per path (first try included) before giving up. Default: 8.
  int max_attempts = 8;
  // Backoff before retry n (n = 1, 2, ...) is uniform in
  // [0, min(max_backoff, initial_backoff * 2^(n-1))] (full jitter), but never
  // below a Retry-After the server sent. Defaults: 1 s and 60 s.
  double initial_backoff_seconds = 1.0;
  double max_backoff_seconds = 60.0;
  // After a block page (403/429/200 with "Request Rate Threshold Exceeded" or
  // "Undeclared Automated Tool") no new request starts for this long.
  // Default: 600 (the SEC blocks for at least 10 minutes).
  double cooldown_seconds = 600.0;
  // Blocks tolerated per path before it fails with Unavailable. Default: 3.
  int max_blocks_per_path = 3;
  // Connect timeout. Default: 30 s.
  double connect_timeout_seconds = 30.0;
  // A transfer slower than low_speed_bytes_per_second for low_speed_seconds
  // is aborted and retried (resuming). Defaults: 512 B/s for 30 s.
  int low_speed_bytes_per_second = 512;
  double low_speed_seconds = 30.0;
  // FetchAsync/Fetch refuse bodies larger than this. Default: 4 GiB.
  uint64_t max_memory_bytes = 4ull << 30;
  // Called (on a downloader thread) with human-readable notices: blocks,
  // retries, give-ups. May be empty.
  std::function<void(const std::string&)> on_event;
};

// What FetchToFile produced.
struct FetchedFile {
  std::string path;        // archive-relative path as requested
  std::string local_path;  // out_dir/path
  uint64_t size = 0;       // bytes on disk
  uint32_t crc32 = 0;      // zlib CRC-32 of the file's bytes
  // False when nothing was transferred: the journal and the disk already had
  // the file whole, or the server answered 304 Not Modified.
  bool transferred = false;
  bool not_modified = false;  // the server answered 304
  int attempts = 0;           // requests made for this path
};

// Counters since Create(); each is read atomically.
struct DownloaderStats {
  uint64_t requests = 0;         // HTTP requests started (file:// reads not counted)
  uint64_t bytes_received = 0;   // body bytes received over the network
  uint64_t retries = 0;          // attempts beyond the first
  uint64_t blocks = 0;           // block pages seen
  uint64_t not_modified = 0;     // 304 answers
  uint64_t skipped = 0;          // complete per journal + disk, no request made
  uint64_t completed = 0;        // paths finished OK (file or memory)
  uint64_t failed = 0;           // paths given up on
  uint64_t rejected_bodies = 0;  // bodies that failed a completeness check
};

// A polite, resumable EDGAR downloader on libcurl's multi interface.
//
// One background thread runs every transfer (at most max_parallel at once);
// callers never block on the network unless they choose to wait on a future.
// All requests share one token bucket (requests_per_second, spaced evenly, so
// no 1-second window holds more than that many request starts). 429, 5xx,
// timeouts, resets and short bodies are retried with full-jitter exponential
// backoff, Retry-After being a floor; 404/410 fail at once with NotFound. A
// block page pauses every transfer for cooldown_seconds and is reported
// through on_event and DownloaderStats::blocks.
//
// Files are written to out_dir/<path>.part, resumed with Range (+ If-Range)
// when a .part exists, and renamed into place only when whole: the length
// must match Content-Length / Content-Range, a .gz must inflate to the end
// with matching CRC-32 and ISIZE trailers, and a .tar / .tar.gz / .tgz must
// end with the tar end-of-archive blocks. Bodies are stored exactly as the
// file's bytes (a .gz is never transparently decompressed). Index files
// (.idx, .json, .xml, .htm under full-index/ or daily-index/) are revalidated
// with If-None-Match / If-Modified-Since; other files complete in the journal
// and on disk with the journaled size are not requested again.
//
// Two internal threads: the transfer loop, and a verifier that syncs,
// checks and renames finished bodies (so inflating a large archive never
// stalls other transfers).
//
// Thread-safe: any thread may call any method. Completion callbacks run on
// one of the two internal threads, possibly concurrently with each other;
// they must return quickly. A callback may queue more work with the *Async
// calls, but must not wait on the downloader (no blocking forms, no
// future.get() of another fetch).
class Downloader {
 public:
  // Validates options (user agent, rate in (0, 10], base URL scheme, ...)
  // and opens the journal. InvalidArgument on bad options, before any request.
  static absl::StatusOr<std::unique_ptr<Downloader>> Create(const DownloaderOptions& options);
  // Cancels what is still queued or running (their callbacks get Cancelled)
  // and joins the thread.
  ~Downloader();
  Downloader(const Downloader&) = delete;
  Downloader& operator=(const Downloader&) = delete;

  using FileCallback = std::function<void(absl::StatusOr<FetchedFile>)>;
  using MemoryCallback = std::function<void(absl::StatusOr<std::string>)>;

  // Queues `path` (archive-relative, e.g. "Feed/2024/QTR1/20240102.nc.tar.gz")
  // to be written to out_dir/path; `done` runs once with the result.
  // Errors: NotFound (404/410 or missing file://), PermissionDenied (403
  // without a block page), Unavailable (retries or blocks exhausted),
  // DataLoss (body failed the completeness checks every time),
  // InvalidArgument (bad path), Cancelled (downloader destroyed).
  void FetchToFileAsync(const std::string& path, FileCallback done);
  // Same politeness, retries and checks, but the body is returned in memory
  // (no .part, no journal, no conditional GET). ResourceExhausted when the
  // body exceeds max_memory_bytes.
  void FetchAsync(const std::string& path, MemoryCallback done);

  // Future-returning forms of the two calls above.
  std::future<absl::StatusOr<FetchedFile>> FetchToFileFuture(const std::string& path);
  std::future<absl::StatusOr<std::string>> FetchFuture(const std::string& path);

  // Blocking forms: wait for the result. Never call from a callback.
  absl::StatusOr<FetchedFile> FetchToFile(const std::string& path);
  absl::StatusOr<std::string> Fetch(const std::string& path);
  // Fetches every path to a file, max_parallel at a time; results in order.
  std::vector<absl::StatusOr<FetchedFile>> FetchAllToFiles(const std::vector<std::string>& paths);

  DownloaderStats stats() const;

 private:
  struct Rep;
  explicit Downloader(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// Checks that `bytes` is a whole file for `path`: a .gz (or .tgz) inflates
// to its end with matching CRC-32/ISIZE trailers (every member), and a .tar
// or .tar.gz / .tgz ends with the tar end-of-archive blocks. Other paths are
// always OK. DataLoss naming the problem otherwise. Used on every body.
absl::Status CheckComplete(std::string_view path, std::string_view bytes);

}  // namespace edgarix::fetch
