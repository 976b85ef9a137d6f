#include "edgarix/fetch/downloader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include <curl/curl.h>

#include "edgarix/core/status_macros.h"

#include "body_check.h"
#include "journal.h"
#include "rate_limiter.h"
#include "status_util.h"

namespace edgarix::fetch {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using internal::BodyChecker;
using internal::Journal;
using internal::JournalEntry;

constexpr size_t kSniffBytes = 64 * 1024;
constexpr size_t kErrorBodyBytes = 64 * 1024;
constexpr size_t kIoChunk = 1 << 20;
constexpr double kMaxRequestsPerSecond = 10.0;
constexpr double kMaxRetryAfterSeconds = 3600.0;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

// Bodies the server may have compressed itself: never let curl decode them.
bool IsCompressedPath(std::string_view path) {
  const std::string p = Lower(path);
  for (const char* suffix : {".gz", ".tgz", ".zip", ".z", ".bz2", ".xz", ".zst"}) {
    if (EndsWith(p, suffix)) return true;
  }
  return false;
}

bool IsHtmlPath(std::string_view path) {
  const std::string p = Lower(path);
  return EndsWith(p, ".htm") || EndsWith(p, ".html");
}

// Index files change (the current quarter's bridge index, re-issued daily
// files), so they are revalidated; everything else in the archive is
// immutable once published.
bool IsIndexPath(std::string_view path) {
  return StartsWith(path, "full-index/") || StartsWith(path, "daily-index/");
}

bool IsBlockPage(std::string_view body) {
  return body.find("Request Rate Threshold Exceeded") != std::string_view::npos ||
         body.find("Undeclared Automated Tool") != std::string_view::npos;
}

absl::Status ValidatePathImpl(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("empty archive path");
  if (path.size() > 1024) return absl::InvalidArgumentError("archive path too long");
  if (path[0] == '/') {
    return absl::InvalidArgumentError("archive path must be relative: " + path);
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string_view seg(path.data() + start, end - start);
    if (seg.empty() || seg == "." || seg == "..") {
      return absl::InvalidArgumentError("bad archive path (empty, . or .. segment): " + path);
    }
    start = end + 1;
  }
  for (char c : path) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || c == '/';
    if (!ok) {
      return absl::InvalidArgumentError(
          "archive path has a character outside "
          "[A-Za-z0-9._/-]: " +
          path);
    }
  }
  return absl::OkStatus();
}

// "Retry-After: 120" or an HTTP date. Returns seconds (0 when absent/bad).
double ParseRetryAfter(const std::string& value) {
  if (value.empty()) return 0;
  char* end = nullptr;
  const double seconds = std::strtod(value.c_str(), &end);
  if (end != value.c_str() && Trim(end).empty()) {
    return std::clamp(seconds, 0.0, kMaxRetryAfterSeconds);
  }
  const time_t when = curl_getdate(value.c_str(), nullptr);
  if (when < 0) return 0;
  const double delta = std::difftime(when, std::time(nullptr));
  return std::clamp(delta, 0.0, kMaxRetryAfterSeconds);
}

std::string HttpDate(time_t t) {
  struct tm tm_utc;
  gmtime_r(&t, &tm_utc);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm_utc);
  return buf;
}

absl::Status ErrnoStatus(const std::string& what) {
  return absl::InternalError(what + ": " + std::strerror(errno));
}

// Writes all of `data` to `fd`.
absl::Status WriteAll(int fd, const char* data, size_t size, const std::string& what) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write " + what);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Runs `checker` over the file at `file`.
absl::Status CheckFile(const std::string& file, BodyChecker* checker) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open " + file);
  std::string buf(kIoChunk, '\0');
  absl::Status status;
  while (true) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      status = ErrnoStatus("read " + file);
      break;
    }
    if (n == 0) break;
    checker->Update(buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  return status;
}

std::once_flag curl_init_once;

}  // namespace

absl::Status ValidateUserAgent(std::string_view user_agent) {
  const std::string ua = Trim(user_agent);
  if (ua.empty()) {
    return absl::InvalidArgumentError(
        "user agent is empty: the SEC requires a name and an e-mail address, "
        "e.g. \"Sample Company admin@sample.com\"");
  }
  if (ua.size() > 512) return absl::InvalidArgumentError("user agent longer than 512 bytes");
  for (char c : ua) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("user agent contains a control character");
    }
  }
  bool has_email = false;
  bool has_name = false;
  size_t start = 0;
  while (start < ua.size()) {
    size_t end = ua.find_first_of(" \t", start);
    if (end == std::string::npos) end = ua.size();
    std::string token = ua.substr(start, end - start);
    start = end + 1;
    if (token.empty()) continue;
    // Strip the wrapping people put around addresses: <a@b.c>, (a@b.c), a@b.c;
    const std::string punct = "<>()[]{},;:\"'";
    while (!token.empty() && punct.find(token.front()) != std::string::npos) {
      token.erase(0, 1);
    }
    while (!token.empty() && punct.find(token.back()) != std::string::npos) {
      token.pop_back();
    }
    const size_t at = token.find('@');
    if (at != std::string::npos) {
      const std::string local = token.substr(0, at);
      const std::string domain = token.substr(at + 1);
      const size_t dot = domain.rfind('.');
      const bool domain_ok = !domain.empty() && domain.find('@') == std::string::npos &&
                             dot != std::string::npos && dot > 0 && dot + 2 <= domain.size() &&
                             domain.find("..") == std::string::npos;
      if (!local.empty() && domain_ok) {
        has_email = true;
        continue;
      }
    }
    if (std::any_of(token.begin(), token.end(),
                    [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) {
      has_name = true;
    }
  }
  if (!has_email) {
    return absl::InvalidArgumentError(
        "user agent \"" + ua +
        "\" lacks an e-mail address: the SEC requires a name and an e-mail "
        "address, e.g. \"Sample Company admin@sample.com\"");
  }
  if (!has_name) {
    return absl::InvalidArgumentError(
        "user agent \"" + ua +
        "\" lacks a name: the SEC requires a name and an e-mail address, e.g. "
        "\"Sample Company admin@sample.com\"");
  }
  return absl::OkStatus();
}

absl::Status ValidateArchivePath(std::string_view path) {
  return ValidatePathImpl(std::string(path));
}

absl::Status CheckComplete(std::string_view path, std::string_view bytes) {
  BodyChecker checker(path);
  checker.Update(bytes.data(), bytes.size());
  return checker.Finish();
}

namespace {

struct Job {
  enum class Mode { kFile, kMemory };
  Mode mode = Mode::kFile;
  std::string path;
  Downloader::FileCallback file_done;
  Downloader::MemoryCallback memory_done;
  int attempts = 0;
  int blocks = 0;
  Clock::time_point not_before{};
  // Memory mode: the body so far (kept across attempts to resume).
  std::string buffer;
  // Validator of the partial body (If-Range); empty when unknown.
  std::string partial_validator;
  // File mode: the complete journal entry being revalidated (index files).
  std::optional<JournalEntry> complete_entry;
  // The partial body was decoded from a Content-Encoding: cannot resume.
  bool decoded_partial = false;
};

}  // namespace

struct Downloader::Rep {
  explicit Rep(const DownloaderOptions& o)
      : options(o), limiter(o.requests_per_second), rng(std::random_device{}()) {}

  // One HTTP request in flight.
  struct Transfer {
    Rep* rep = nullptr;
    std::unique_ptr<Job> job;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string url;
    std::string part_path;
    int fd = -1;
    uint64_t offset = 0;    // bytes already held when this request began
    uint64_t written = 0;   // body bytes stored by this request
    bool decoding = false;  // curl decodes Content-Encoding for this request
    // From the latest response's headers.
    long status = 0;
    std::string etag, last_modified, content_type, content_encoding, content_range, retry_after;
    int64_t content_length = -1;
    // Body routing, decided at the first body byte.
    bool body_started = false;
    bool storing = false;  // 2xx: the body is the file
    bool holding = false;  // 200 HTML for a non-HTML path: maybe a block page
    bool store_started = false;
    std::string held;        // held body (<= kSniffBytes)
    std::string error_body;  // non-2xx body (capped)
    absl::Status write_error;
    double retry_after_seconds = 0;
    char errbuf[CURL_ERROR_SIZE] = {0};
    ~Transfer() {
      if (fd >= 0) ::close(fd);
    }
  };
  // A body that failed verification, handed back to the loop thread.
  struct Verdict {
    std::unique_ptr<Job> job;
    absl::Status status;
    double retry_after = 0;
  };

  // --- called from any thread ------------------------------------------
  void Submit(std::unique_ptr<Job> job) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!stop) {
        incoming.push_back(std::move(job));
        job = nullptr;
      }
    }
    if (job != nullptr) {
      Deliver(std::move(job), absl::CancelledError("downloader is shutting down"));
      return;
    }
    curl_multi_wakeup(multi);
  }

  // --- the loop thread -------------------------------------------------
  void Run();
  void Intake(std::unique_ptr<Job> job);
  bool Precheck(std::unique_ptr<Job>& job);
  // A file job for `path` is in flight (transferring or being verified):
  // another one for the same path waits, so two never share a .part.
  bool IsBusy(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu);
    return busy.count(path) > 0;
  }
  void SetBusy(const std::string& path, bool on) {
    std::lock_guard<std::mutex> lock(mu);
    if (on) {
      busy.insert(path);
    } else {
      busy.erase(path);
    }
  }
  void StartEligible();
  void Start(std::unique_ptr<Job> job);
  void RunLocal(std::unique_ptr<Job> job);
  void OnDone(CURL* easy, CURLcode code);
  void Retry(std::unique_ptr<Job> job, const absl::Status& status, double floor_seconds);
  void HandleFailure(std::unique_ptr<Job> job, const absl::Status& failure, double retry_after);
  void VerifyLoop();
  void Fail(std::unique_ptr<Job> job, const absl::Status& status);
  // Checks that `have` body bytes are what Content-Length / Content-Range
  // promised: Unavailable (retry) when short, DataLoss when long. A body that
  // was decoded from a compressed partial transfer has no length to check.
  static absl::Status CheckBodyLength(const Transfer& t, uint64_t have);
  absl::Status FinishFileBody(Transfer* t, FetchedFile* out);
  absl::Status FinishMemoryBody(Transfer* t);
  void DropPartial(Job* job);
  // Removes a .part this request created but never wrote to.
  static void RemoveEmptyPart(const Transfer* t) {
    if (t->part_path.empty()) return;
    std::error_code ec;
    if (fs::file_size(t->part_path, ec) == 0 && !ec) fs::remove(t->part_path, ec);
  }
  int WaitMillis(Clock::time_point now);
  void Event(const std::string& message) const {
    if (options.on_event) options.on_event(message);
  }
  void Deliver(std::unique_ptr<Job> job, absl::StatusOr<FetchedFile> result);
  void Deliver(std::unique_ptr<Job> job, absl::StatusOr<std::string> result);
  void Deliver(std::unique_ptr<Job> job, const absl::Status& status);

  static size_t OnHeader(char* buffer, size_t size, size_t nitems, void* userdata);
  static size_t OnWrite(char* data, size_t size, size_t nmemb, void* userdata);
  bool Store(Transfer* t, const char* data, size_t n);
  bool BeginStore(Transfer* t);

  std::string LocalPath(const std::string& path) const {
    return (fs::path(options.out_dir) / path).string();
  }

  DownloaderOptions options;
  std::string base;        // base URL without trailing '/'
  bool local = false;      // file:// base
  std::string local_root;  // file:// directory
  std::unique_ptr<Journal> journal;
  internal::RateLimiter limiter;
  CURLM* multi = nullptr;
  std::thread thread;

  std::mutex mu;  // guards the members up to the blank line
  std::deque<std::unique_ptr<Job>> incoming;
  bool stop = false;
  std::deque<std::unique_ptr<Transfer>> to_verify;
  std::deque<Verdict> verdicts;
  bool verifier_stop = false;
  std::set<std::string> busy;
  std::condition_variable verify_cv;

  std::thread verifier;

  std::list<std::unique_ptr<Job>> pending;
  std::vector<std::unique_ptr<Transfer>> active;
  Clock::time_point cooldown_until{};
  std::mt19937_64 rng;

  struct Counters {
    std::atomic<uint64_t> requests{0}, bytes_received{0}, retries{0}, blocks{0}, not_modified{0},
        skipped{0}, completed{0}, failed{0}, rejected_bodies{0};
  } counters;
};

void Downloader::Rep::Deliver(std::unique_ptr<Job> job, absl::StatusOr<FetchedFile> result) {
  (result.ok() ? counters.completed : counters.failed)++;
  if (job->file_done) job->file_done(std::move(result));
}

void Downloader::Rep::Deliver(std::unique_ptr<Job> job, absl::StatusOr<std::string> result) {
  (result.ok() ? counters.completed : counters.failed)++;
  if (job->memory_done) job->memory_done(std::move(result));
}

void Downloader::Rep::Deliver(std::unique_ptr<Job> job, const absl::Status& status) {
  if (job->mode == Job::Mode::kFile) {
    Deliver(std::move(job), absl::StatusOr<FetchedFile>(status));
  } else {
    Deliver(std::move(job), absl::StatusOr<std::string>(status));
  }
}

void Downloader::Rep::Fail(std::unique_ptr<Job> job, const absl::Status& status) {
  // Retries and blocks were announced; a give-up after them is too. A
  // first-try failure (404, bad path) is only the caller's to report.
  if (job->attempts > 1 || job->blocks > 0) {
    Event("giving up on " + job->path + ": " + std::string(status.message()));
  }
  Deliver(std::move(job), status);
}

void Downloader::Rep::DropPartial(Job* job) {
  job->buffer.clear();
  job->partial_validator.clear();
  job->decoded_partial = false;
  if (job->mode == Job::Mode::kFile) {
    std::error_code ec;
    fs::remove(LocalPath(job->path) + ".part", ec);
  }
}

void Downloader::Rep::Intake(std::unique_ptr<Job> job) {
  if (absl::Status s = ValidateArchivePath(job->path); !s.ok()) {
    return Deliver(std::move(job), s);
  }
  if (job->mode == Job::Mode::kFile && options.out_dir.empty()) {
    return Deliver(std::move(job),
                   absl::InvalidArgumentError("FetchToFile needs DownloaderOptions::out_dir"));
  }
  pending.push_back(std::move(job));
}

// Runs before every start of a file job (so a duplicate request finds the
// first one's result): true when the job was answered without a request.
bool Downloader::Rep::Precheck(std::unique_ptr<Job>& job) {
  job->complete_entry.reset();
  if (journal != nullptr) {
    absl::StatusOr<std::optional<JournalEntry>> entry = journal->Get(job->path);
    if (!entry.ok()) {
      Deliver(std::move(job), entry.status());
      return true;
    }
    if (entry->has_value() && (*entry)->state == JournalEntry::State::kComplete) {
      std::error_code ec;
      const uint64_t on_disk = fs::file_size(LocalPath(job->path), ec);
      if (!ec && on_disk == (*entry)->size) {
        if (IsIndexPath(job->path)) {
          job->complete_entry = **entry;
        } else {
          counters.skipped++;
          FetchedFile f;
          f.path = job->path;
          f.local_path = LocalPath(job->path);
          f.size = on_disk;
          f.crc32 = (*entry)->crc32;
          Deliver(std::move(job), absl::StatusOr<FetchedFile>(std::move(f)));
          return true;
        }
      }
    } else if (entry->has_value()) {
      // A partial record: its validator guards a Range resume.
      job->partial_validator = !(*entry)->etag.empty() ? (*entry)->etag : (*entry)->last_modified;
    }
  }
  if (journal == nullptr) {
    // Without a journal the disk says what is done: files only appear
    // under their final name once whole.
    struct stat st;
    const std::string final_path = LocalPath(job->path);
    if (::stat(final_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      if (IsIndexPath(job->path)) {
        JournalEntry entry;
        entry.state = JournalEntry::State::kComplete;
        entry.size = static_cast<uint64_t>(st.st_size);
        entry.last_modified = HttpDate(st.st_mtime);
        job->complete_entry = entry;
      } else {
        counters.skipped++;
        FetchedFile f;
        f.path = job->path;
        f.local_path = final_path;
        f.size = static_cast<uint64_t>(st.st_size);
        Deliver(std::move(job), absl::StatusOr<FetchedFile>(std::move(f)));
        return true;
      }
    }
  }
  return false;
}

int Downloader::Rep::WaitMillis(Clock::time_point now) {
  constexpr int kIdle = 1000;
  if (pending.empty() || static_cast<int>(active.size()) >= options.max_parallel) return kIdle;
  Clock::time_point earliest = Clock::time_point::max();
  for (const auto& job : pending) {
    // A job waiting for its path to be free is woken by the wakeup that
    // frees it, not by polling.
    if (job->mode == Job::Mode::kFile && IsBusy(job->path)) continue;
    earliest = std::min(earliest, job->not_before);
    if (earliest <= now) break;  // one startable job decides; no need to scan on
  }
  if (earliest == Clock::time_point::max()) return kIdle;
  earliest = std::max(earliest, cooldown_until);
  if (!local) earliest = std::max(earliest, limiter.NextAvailable());
  if (earliest <= now) return 0;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - now).count();
  return static_cast<int>(std::clamp<int64_t>(ms + 1, 1, kIdle));
}

void Downloader::Rep::StartEligible() {
  while (static_cast<int>(active.size()) < options.max_parallel && !pending.empty()) {
    const Clock::time_point now = Clock::now();
    if (now < cooldown_until) return;
    auto it = std::find_if(pending.begin(), pending.end(), [&](const std::unique_ptr<Job>& j) {
      return j->not_before <= now && !(j->mode == Job::Mode::kFile && IsBusy(j->path));
    });
    if (it == pending.end()) return;
    if (it->get()->mode == Job::Mode::kFile) {
      std::unique_ptr<Job>& candidate = *it;
      if (Precheck(candidate)) {
        pending.erase(it);
        continue;
      }
    }
    if (!local && !limiter.TryAcquire(now)) return;
    std::unique_ptr<Job> job = std::move(*it);
    pending.erase(it);
    if (local) {
      RunLocal(std::move(job));
    } else {
      Start(std::move(job));
    }
  }
}

void Downloader::Rep::Start(std::unique_ptr<Job> job) {
  job->attempts++;
  if (job->attempts > 1) counters.retries++;
  auto t = std::make_unique<Transfer>();
  t->rep = this;
  t->url = base + "/" + job->path;
  const bool compressed = IsCompressedPath(job->path);

  if (job->mode == Job::Mode::kFile) {
    const std::string final_path = LocalPath(job->path);
    t->part_path = final_path + ".part";
    std::error_code ec;
    fs::create_directories(fs::path(final_path).parent_path(), ec);
    if (ec) {
      return Fail(std::move(job), absl::InternalError("cannot create directory for " + final_path +
                                                      ": " + ec.message()));
    }
    t->fd = ::open(t->part_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (t->fd < 0) return Fail(std::move(job), ErrnoStatus("open " + t->part_path));
    struct stat st;
    if (::fstat(t->fd, &st) != 0) {
      ::close(t->fd);
      t->fd = -1;
      return Fail(std::move(job), ErrnoStatus("stat " + t->part_path));
    }
    t->offset = static_cast<uint64_t>(st.st_size);
    // Resume only what can be resumed safely: not a decoded body, not an
    // index file without a validator, not while revalidating.
    const bool resumable = t->offset > 0 && !job->decoded_partial &&
                           !job->complete_entry.has_value() &&
                           (!IsIndexPath(job->path) || !job->partial_validator.empty());
    if (!resumable && t->offset > 0) {
      if (::ftruncate(t->fd, 0) != 0) {
        ::close(t->fd);
        t->fd = -1;
        return Fail(std::move(job), ErrnoStatus("truncate " + t->part_path));
      }
      t->offset = 0;
      job->decoded_partial = false;
    }
    if (::lseek(t->fd, static_cast<off_t>(t->offset), SEEK_SET) < 0) {
      ::close(t->fd);
      t->fd = -1;
      return Fail(std::move(job), ErrnoStatus("seek " + t->part_path));
    }
  } else {
    if (job->decoded_partial || (IsIndexPath(job->path) && job->partial_validator.empty())) {
      job->buffer.clear();
      job->decoded_partial = false;
    }
    t->offset = job->buffer.size();
  }

  if (t->offset > 0) {
    t->headers =
        curl_slist_append(t->headers, ("Range: bytes=" + std::to_string(t->offset) + "-").c_str());
    if (!job->partial_validator.empty()) {
      t->headers = curl_slist_append(t->headers, ("If-Range: " + job->partial_validator).c_str());
    }
  }
  if (job->complete_entry.has_value()) {
    if (!job->complete_entry->etag.empty()) {
      t->headers =
          curl_slist_append(t->headers, ("If-None-Match: " + job->complete_entry->etag).c_str());
    }
    if (!job->complete_entry->last_modified.empty()) {
      t->headers = curl_slist_append(
          t->headers, ("If-Modified-Since: " + job->complete_entry->last_modified).c_str());
    }
  }

  CURL* e = curl_easy_init();
  if (e == nullptr) {
    if (t->fd >= 0) {
      ::close(t->fd);
      t->fd = -1;
    }
    curl_slist_free_all(t->headers);
    return Fail(std::move(job), absl::InternalError("curl_easy_init failed"));
  }
  t->easy = e;
  t->job = std::move(job);
  curl_easy_setopt(e, CURLOPT_URL, t->url.c_str());
  curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout_seconds * 1000));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT,
                   static_cast<long>(std::max(1, options.low_speed_bytes_per_second)));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                   std::max(1L, static_cast<long>(std::ceil(options.low_speed_seconds))));
  if (compressed) {
    // Store a .gz exactly as served, even from a server that labels it
    // Content-Encoding: gzip.
    curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  } else {
    // Ranges are over the identity body, so a resume asks for identity.
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, t->offset > 0 ? "identity" : "gzip, deflate");
    t->decoding = true;
  }
  if (t->headers != nullptr) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Rep::OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Rep::OnWrite);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  const CURLMcode mc = curl_multi_add_handle(multi, e);
  if (mc != CURLM_OK) {
    std::unique_ptr<Job> failed = std::move(t->job);
    curl_easy_cleanup(e);
    curl_slist_free_all(t->headers);
    if (t->fd >= 0) {
      ::close(t->fd);
      t->fd = -1;
    }
    return Fail(std::move(failed), absl::InternalError(std::string("curl_multi_add_handle: ") +
                                                       curl_multi_strerror(mc)));
  }
  counters.requests++;
  if (t->job->mode == Job::Mode::kFile) SetBusy(t->job->path, true);
  active.push_back(std::move(t));
}

size_t Downloader::Rep::OnHeader(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  const size_t n = size * nitems;
  std::string_view line(buffer, n);
  if (StartsWith(line, "HTTP/")) {
    // A new response (redirect or interim): forget the previous headers.
    t->status = 0;
    t->etag.clear();
    t->last_modified.clear();
    t->content_type.clear();
    t->content_encoding.clear();
    t->content_range.clear();
    t->retry_after.clear();
    t->content_length = -1;
    const size_t sp = line.find(' ');
    if (sp != std::string_view::npos) {
      t->status = std::strtol(std::string(line.substr(sp + 1, 3)).c_str(), nullptr, 10);
    }
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  const std::string name = Lower(Trim(line.substr(0, colon)));
  std::string value = Trim(line.substr(colon + 1));
  if (name == "etag") {
    t->etag = std::move(value);
  } else if (name == "last-modified") {
    t->last_modified = std::move(value);
  } else if (name == "content-type") {
    t->content_type = Lower(value);
  } else if (name == "content-encoding") {
    t->content_encoding = Lower(value);
  } else if (name == "content-range") {
    t->content_range = std::move(value);
  } else if (name == "retry-after") {
    t->retry_after = std::move(value);
  } else if (name == "content-length") {
    char* end = nullptr;
    const long long v = std::strtoll(value.c_str(), &end, 10);
    if (end != value.c_str() && v >= 0) t->content_length = v;
  }
  return n;
}

// Prepares the file/buffer for the first stored byte of a 200/206 body.
bool Downloader::Rep::BeginStore(Transfer* t) {
  t->store_started = true;
  Job* job = t->job.get();
  if (t->status == 206) {
    // "bytes START-END/TOTAL": the server must resume exactly where we are.
    unsigned long long start = 0;
    if (std::sscanf(t->content_range.c_str(), "bytes %llu-", &start) != 1 || start != t->offset) {
      t->write_error = absl::UnavailableError(
          t->url + ": server resumed at the wrong offset (Content-Range: " + t->content_range +
          ", wanted " + std::to_string(t->offset) + ")");
      job->decoded_partial = true;  // forces a fresh start next time
      return false;
    }
  } else if (t->offset > 0) {
    // 200 to a Range request: the whole body follows; start over.
    if (job->mode == Job::Mode::kFile) {
      if (::ftruncate(t->fd, 0) != 0 || ::lseek(t->fd, 0, SEEK_SET) < 0) {
        t->write_error = ErrnoStatus("truncate " + t->part_path);
        return false;
      }
    } else {
      job->buffer.clear();
    }
    t->offset = 0;
  }
  if (t->status == 200) {
    job->partial_validator = !t->etag.empty() ? t->etag : t->last_modified;
    if (job->mode == Job::Mode::kFile && journal != nullptr) {
      JournalEntry entry;
      entry.state = JournalEntry::State::kPartial;
      entry.etag = t->etag;
      entry.last_modified = t->last_modified;
      absl::Status s = journal->Put(job->path, entry);
      if (!s.ok()) {
        t->write_error = s;
        return false;
      }
    }
  }
  if (t->decoding && !t->content_encoding.empty() && t->content_encoding != "identity") {
    job->decoded_partial = true;
  }
  return true;
}

bool Downloader::Rep::Store(Transfer* t, const char* data, size_t n) {
  if (!t->store_started && !BeginStore(t)) return false;
  if (t->job->mode == Job::Mode::kFile) {
    absl::Status s = WriteAll(t->fd, data, n, t->part_path);
    if (!s.ok()) {
      t->write_error = s;
      return false;
    }
  } else {
    if (t->job->buffer.size() + n > options.max_memory_bytes) {
      t->write_error = absl::ResourceExhaustedError(t->url + ": body larger than " +
                                                    std::to_string(options.max_memory_bytes) +
                                                    " bytes; fetch it to a file instead");
      return false;
    }
    t->job->buffer.append(data, n);
  }
  t->written += n;
  return true;
}

size_t Downloader::Rep::OnWrite(char* data, size_t size, size_t nmemb, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  const size_t n = size * nmemb;
  t->rep->counters.bytes_received += n;
  if (!t->body_started) {
    t->body_started = true;
    t->storing = t->status == 200 || t->status == 206;
    // An HTML 200 for a non-HTML path may be the SEC's block page: hold it
    // back instead of overwriting a resumable .part with it.
    t->holding = t->status == 200 && !IsHtmlPath(t->job->path) &&
                 t->content_type.find("html") != std::string::npos;
  }
  if (!t->storing) {
    if (t->error_body.size() < kErrorBodyBytes) {
      t->error_body.append(data, std::min(n, kErrorBodyBytes - t->error_body.size()));
    }
    return n;
  }
  if (t->holding) {
    // Past kSniffBytes only a block page stays held; the rest is dropped.
    if (t->held.size() > kSniffBytes) return n;
    t->held.append(data, n);
    if (t->held.size() <= kSniffBytes || IsBlockPage(t->held)) return n;
    t->holding = false;
    std::string held = std::move(t->held);
    t->held.clear();
    return t->rep->Store(t, held.data(), held.size()) ? n : 0;
  }
  return t->rep->Store(t, data, n) ? n : 0;
}

void Downloader::Rep::Retry(std::unique_ptr<Job> job, const absl::Status& status,
                            double floor_seconds) {
  if (job->attempts >= options.max_attempts) {
    return Fail(std::move(job),
                absl::Status(status.code(), "gave up after " + std::to_string(job->attempts) +
                                                " attempts: " + std::string(status.message())));
  }
  // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))].
  const double ceiling =
      std::min(options.max_backoff_seconds,
               options.initial_backoff_seconds * std::ldexp(1.0, std::min(job->attempts - 1, 30)));
  std::uniform_real_distribution<double> dist(0.0, std::max(0.0, ceiling));
  const double delay = std::max(dist(rng), floor_seconds);
  job->not_before = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(delay));
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", delay);
  Event("retrying " + job->path + " in " + buf + " s (attempt " +
        std::to_string(job->attempts + 1) + "): " + std::string(status.message()));
  pending.push_back(std::move(job));
}

absl::Status Downloader::Rep::CheckBodyLength(const Transfer& t, uint64_t have) {
  if (t.job->decoded_partial) return absl::OkStatus();
  int64_t expected = -1;
  if (t.status == 206) {
    const size_t slash = t.content_range.rfind('/');
    if (slash != std::string::npos && t.content_range.substr(slash + 1) != "*") {
      expected = std::strtoll(t.content_range.c_str() + slash + 1, nullptr, 10);
    } else if (t.content_length >= 0) {
      expected = static_cast<int64_t>(t.offset) + t.content_length;
    }
  } else if (t.content_length >= 0) {
    expected = t.content_length;
  }
  if (expected < 0 || have == static_cast<uint64_t>(expected)) return absl::OkStatus();
  const std::string msg = t.url + ": body has " + std::to_string(have) + " of " +
                          std::to_string(expected) + " bytes";
  if (have < static_cast<uint64_t>(expected)) return absl::UnavailableError(msg);
  return absl::DataLossError(msg);
}

absl::Status Downloader::Rep::FinishFileBody(Transfer* t, FetchedFile* out) {
  Job* job = t->job.get();
  if (::fdatasync(t->fd) != 0) return ErrnoStatus("sync " + t->part_path);
  ::close(t->fd);
  t->fd = -1;
  const uint64_t have = t->offset + t->written;
  EDGARIX_RETURN_IF_ERROR(CheckBodyLength(*t, have));
  BodyChecker checker(job->path);
  EDGARIX_RETURN_IF_ERROR(CheckFile(t->part_path, &checker));
  if (checker.size() != have) {
    return absl::DataLossError(t->part_path + " holds " + std::to_string(checker.size()) +
                               " bytes, expected " + std::to_string(have));
  }
  if (absl::Status s = checker.Finish(); !s.ok()) {
    counters.rejected_bodies++;
    return absl::DataLossError(t->url + ": " + std::string(s.message()));
  }
  const std::string final_path = LocalPath(job->path);
  if (::rename(t->part_path.c_str(), final_path.c_str()) != 0) {
    return ErrnoStatus("rename " + t->part_path);
  }
  if (journal != nullptr) {
    JournalEntry entry;
    entry.state = JournalEntry::State::kComplete;
    entry.size = have;
    entry.crc32 = checker.crc32();
    entry.etag = t->etag;
    entry.last_modified = t->last_modified;
    EDGARIX_RETURN_IF_ERROR(journal->Put(job->path, entry));
  }
  out->path = job->path;
  out->local_path = final_path;
  out->size = have;
  out->crc32 = checker.crc32();
  out->transferred = true;
  out->attempts = job->attempts;
  return absl::OkStatus();
}

absl::Status Downloader::Rep::FinishMemoryBody(Transfer* t) {
  Job* job = t->job.get();
  const uint64_t have = job->buffer.size();
  EDGARIX_RETURN_IF_ERROR(CheckBodyLength(*t, have));
  if (absl::Status s = CheckComplete(job->path, job->buffer); !s.ok()) {
    counters.rejected_bodies++;
    return absl::DataLossError(t->url + ": " + std::string(s.message()));
  }
  return absl::OkStatus();
}

void Downloader::Rep::OnDone(CURL* easy, CURLcode code) {
  auto it = std::find_if(active.begin(), active.end(),
                         [&](const std::unique_ptr<Transfer>& t) { return t->easy == easy; });
  if (it == active.end()) return;
  std::unique_ptr<Transfer> t = std::move(*it);
  active.erase(it);
  curl_multi_remove_handle(multi, easy);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(easy);
  t->easy = nullptr;
  curl_slist_free_all(t->headers);
  t->headers = nullptr;
  if (status != 0) t->status = status;
  const double retry_after = ParseRetryAfter(t->retry_after);

  auto close_fd = [&] {
    if (t->fd >= 0) {
      ::close(t->fd);
      t->fd = -1;
    }
  };

  absl::Status failure;
  bool block = false;
  if (!t->write_error.ok()) {
    failure = t->write_error;
  } else if (code != CURLE_OK) {
    failure = internal::CurlCodeToStatus(code, t->errbuf, t->url);
  } else if (t->status == 200 || t->status == 206) {
    if (t->holding) {
      if (IsBlockPage(t->held)) {
        block = true;
      } else {
        std::string held = std::move(t->held);
        t->holding = false;
        if (!Store(t.get(), held.data(), held.size())) failure = t->write_error;
      }
    } else if (!t->store_started && !BeginStore(t.get())) {
      failure = t->write_error;  // an empty body: still prepares the file
    }
    if (!block && failure.ok()) {
      // Syncing and verifying (inflating a whole Feed archive) is slow:
      // the verifier thread does it so that other transfers keep flowing.
      t->retry_after_seconds = retry_after;
      {
        std::lock_guard<std::mutex> lock(mu);
        to_verify.push_back(std::move(t));
      }
      verify_cv.notify_one();
      return;
    }
  } else if (t->status == 304 && t->job->complete_entry.has_value()) {
    close_fd();
    RemoveEmptyPart(t.get());
    SetBusy(t->job->path, false);
    counters.not_modified++;
    Job* job = t->job.get();
    FetchedFile file;
    file.path = job->path;
    file.local_path = LocalPath(job->path);
    file.size = job->complete_entry->size;
    file.crc32 = job->complete_entry->crc32;
    file.not_modified = true;
    file.attempts = job->attempts;
    return Deliver(std::move(t->job), absl::StatusOr<FetchedFile>(std::move(file)));
  } else if ((t->status == 403 || t->status == 429) && IsBlockPage(t->error_body)) {
    block = true;
  } else {
    failure = internal::HttpStatusToStatus(t->status, t->url);
  }
  close_fd();
  RemoveEmptyPart(t.get());
  if (t->job->mode == Job::Mode::kFile) SetBusy(t->job->path, false);

  std::unique_ptr<Job> job = std::move(t->job);
  if (block) {
    counters.blocks++;
    job->blocks++;
    job->attempts--;  // a block is the server's pause, not a failed attempt
    const auto until =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                           std::max(options.cooldown_seconds, retry_after)));
    cooldown_until = std::max(cooldown_until, until);
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1f", std::max(options.cooldown_seconds, retry_after));
    Event("BLOCKED by the server (HTTP " + std::to_string(t->status) + ", rate-limit page) on " +
          job->path + ": pausing all transfers for " + buf + " s");
    if (job->blocks > options.max_blocks_per_path) {
      return Fail(std::move(job), absl::UnavailableError(t->url + ": blocked by the server " +
                                                         std::to_string(job->blocks) + " times"));
    }
    job->not_before = cooldown_until;
    pending.push_back(std::move(job));
    return;
  }
  HandleFailure(std::move(job), failure, retry_after);
}

void Downloader::Rep::HandleFailure(std::unique_ptr<Job> job, const absl::Status& failure,
                                    double retry_after) {
  if (absl::IsDataLoss(failure) || absl::IsOutOfRange(failure) || job->decoded_partial) {
    DropPartial(job.get());
  }
  if (absl::IsNotFound(failure) && job->mode == Job::Mode::kFile) DropPartial(job.get());
  if (internal::IsRetryable(failure)) {
    return Retry(std::move(job), failure, retry_after);
  }
  Fail(std::move(job), failure);
}

void Downloader::Rep::VerifyLoop() {
  while (true) {
    std::unique_ptr<Transfer> t;
    {
      std::unique_lock<std::mutex> lock(mu);
      verify_cv.wait(lock, [&] { return verifier_stop || !to_verify.empty(); });
      if (to_verify.empty()) return;
      t = std::move(to_verify.front());
      to_verify.pop_front();
    }
    absl::Status failure;
    if (t->job->mode == Job::Mode::kFile) {
      FetchedFile file;
      failure = FinishFileBody(t.get(), &file);
      if (failure.ok()) {
        SetBusy(t->job->path, false);
        Deliver(std::move(t->job), absl::StatusOr<FetchedFile>(std::move(file)));
        curl_multi_wakeup(multi);  // a duplicate may be waiting for the path
        continue;
      }
      if (t->fd >= 0) {
        ::close(t->fd);
        t->fd = -1;
      }
      RemoveEmptyPart(t.get());
      SetBusy(t->job->path, false);
    } else {
      failure = FinishMemoryBody(t.get());
      if (failure.ok()) {
        std::string body = std::move(t->job->buffer);
        Deliver(std::move(t->job), absl::StatusOr<std::string>(std::move(body)));
        continue;
      }
    }
    // Retry bookkeeping belongs to the loop thread: hand the job back.
    {
      std::lock_guard<std::mutex> lock(mu);
      verdicts.push_back(Verdict{std::move(t->job), failure, t->retry_after_seconds});
    }
    curl_multi_wakeup(multi);
  }
}

void Downloader::Rep::RunLocal(std::unique_ptr<Job> job) {
  job->attempts++;
  const std::string source = (fs::path(local_root) / job->path).string();
  struct stat st;
  if (::stat(source.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Fail(std::move(job), absl::NotFoundError(source + ": no such file"));
  }
  if (job->mode == Job::Mode::kMemory &&
      static_cast<uint64_t>(st.st_size) > options.max_memory_bytes) {
    return Fail(std::move(job),
                absl::ResourceExhaustedError(source + ": larger than " +
                                             std::to_string(options.max_memory_bytes) +
                                             " bytes; fetch it to a file instead"));
  }
  const std::string mtime = HttpDate(st.st_mtime);
  const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Fail(std::move(job), ErrnoStatus("open " + source));
  auto read_all = [&](const std::function<absl::Status(const char*, size_t)>& sink) {
    std::string buf(kIoChunk, '\0');
    while (true) {
      const ssize_t n = ::read(in, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read " + source);
      }
      if (n == 0) return absl::OkStatus();
      EDGARIX_RETURN_IF_ERROR(sink(buf.data(), static_cast<size_t>(n)));
    }
  };
  BodyChecker checker(job->path);
  if (job->mode == Job::Mode::kMemory) {
    std::string body;
    absl::Status s = read_all([&](const char* d, size_t n) {
      body.append(d, n);
      checker.Update(d, n);
      return absl::OkStatus();
    });
    ::close(in);
    if (s.ok()) s = checker.Finish();
    if (!s.ok()) return Fail(std::move(job), s);
    return Deliver(std::move(job), absl::StatusOr<std::string>(std::move(body)));
  }
  const std::string final_path = LocalPath(job->path);
  if (job->complete_entry.has_value() &&
      job->complete_entry->size == static_cast<uint64_t>(st.st_size) &&
      job->complete_entry->last_modified == mtime) {
    ::close(in);
    counters.not_modified++;
    FetchedFile file;
    file.path = job->path;
    file.local_path = final_path;
    file.size = job->complete_entry->size;
    file.crc32 = job->complete_entry->crc32;
    file.not_modified = true;
    file.attempts = job->attempts;
    return Deliver(std::move(job), absl::StatusOr<FetchedFile>(std::move(file)));
  }
  const std::string part = final_path + ".part";
  std::error_code ec;
  fs::create_directories(fs::path(final_path).parent_path(), ec);
  const int out = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    ::close(in);
    return Fail(std::move(job), ErrnoStatus("create " + part));
  }
  absl::Status s = read_all([&](const char* d, size_t n) {
    checker.Update(d, n);
    return WriteAll(out, d, n, part);
  });
  ::close(in);
  if (s.ok() && ::fdatasync(out) != 0) s = ErrnoStatus("sync " + part);
  ::close(out);
  if (s.ok()) s = checker.Finish();
  if (s.ok() && ::rename(part.c_str(), final_path.c_str()) != 0) {
    s = ErrnoStatus("rename " + part);
  }
  if (s.ok() && journal != nullptr) {
    JournalEntry entry;
    entry.state = JournalEntry::State::kComplete;
    entry.size = checker.size();
    entry.crc32 = checker.crc32();
    entry.last_modified = mtime;
    s = journal->Put(job->path, entry);
  }
  if (!s.ok()) {
    fs::remove(part, ec);
    return Fail(std::move(job), s);
  }
  FetchedFile file;
  file.path = job->path;
  file.local_path = final_path;
  file.size = checker.size();
  file.crc32 = checker.crc32();
  file.transferred = true;
  file.attempts = job->attempts;
  Deliver(std::move(job), absl::StatusOr<FetchedFile>(std::move(file)));
}

void Downloader::Rep::Run() {
  while (true) {
    std::deque<std::unique_ptr<Job>> fresh;
    std::deque<Verdict> judged;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (stop) break;
      fresh.swap(incoming);
      judged.swap(verdicts);
    }
    for (auto& v : judged) HandleFailure(std::move(v.job), v.status, v.retry_after);
    for (auto& job : fresh) Intake(std::move(job));
    StartEligible();
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) OnDone(msg->easy_handle, msg->data.result);
    }
    StartEligible();
    curl_multi_poll(multi, nullptr, 0, WaitMillis(Clock::now()), nullptr);
  }
  // Shutting down: cancel everything, keeping .part files for a later resume.
  const absl::Status cancelled = absl::CancelledError("downloader destroyed");
  for (auto& t : active) {
    curl_multi_remove_handle(multi, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    if (t->fd >= 0) {
      ::close(t->fd);
      t->fd = -1;
    }
    Deliver(std::move(t->job), cancelled);
  }
  active.clear();
  for (auto& job : pending) Deliver(std::move(job), cancelled);
  pending.clear();
  // The verifier finishes the body in hand; queued ones are cancelled.
  std::deque<std::unique_ptr<Transfer>> unverified;
  {
    std::lock_guard<std::mutex> lock(mu);
    verifier_stop = true;
    unverified.swap(to_verify);
  }
  verify_cv.notify_all();
  if (verifier.joinable()) verifier.join();
  for (auto& t : unverified) Deliver(std::move(t->job), cancelled);
  std::deque<std::unique_ptr<Job>> rest;
  std::deque<Verdict> judged;
  {
    std::lock_guard<std::mutex> lock(mu);
    rest.swap(incoming);
    judged.swap(verdicts);
  }
  for (auto& v : judged) Deliver(std::move(v.job), cancelled);
  for (auto& job : rest) Deliver(std::move(job), cancelled);
}

absl::StatusOr<std::unique_ptr<Downloader>> Downloader::Create(const DownloaderOptions& options) {
  EDGARIX_RETURN_IF_ERROR(ValidateUserAgent(options.user_agent));
  if (!(options.requests_per_second > 0) || options.requests_per_second > kMaxRequestsPerSecond) {
    return absl::InvalidArgumentError(
        "requests per second must be in (0, 10]: the SEC allows at most 10 per second");
  }
  if (options.max_parallel < 1 || options.max_parallel > 64) {
    return absl::InvalidArgumentError("parallel transfers must be in [1, 64]");
  }
  if (options.max_attempts < 1) return absl::InvalidArgumentError("max attempts must be >= 1");
  if (options.cooldown_seconds < 0 || options.initial_backoff_seconds < 0 ||
      options.max_backoff_seconds < 0 || options.low_speed_seconds < 0) {
    return absl::InvalidArgumentError("durations must not be negative");
  }
  auto rep = std::make_unique<Rep>(options);
  std::string base = options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (StartsWith(base, "file://")) {
    rep->local = true;
    rep->local_root = base.substr(7);
    if (rep->local_root.empty()) rep->local_root = "/";
    std::error_code ec;
    if (!fs::is_directory(rep->local_root, ec)) {
      return absl::InvalidArgumentError("base URL " + options.base_url + ": not a directory");
    }
  } else if (!StartsWith(base, "http://") && !StartsWith(base, "https://")) {
    return absl::InvalidArgumentError("base URL must start with http://, https:// or file://: " +
                                      options.base_url);
  }
  rep->base = base;
  std::string journal_dir = options.journal_dir;
  if (journal_dir.empty() && !options.out_dir.empty()) {
    journal_dir = (fs::path(options.out_dir) / ".edgarix-journal").string();
  }
  if (!journal_dir.empty() && journal_dir != "-") {
    EDGARIX_ASSIGN_OR_RETURN(rep->journal, Journal::Open(journal_dir));
  }
  std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  rep->multi = curl_multi_init();
  if (rep->multi == nullptr) return absl::InternalError("curl_multi_init failed");
  curl_multi_setopt(rep->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                    static_cast<long>(options.max_parallel));
  curl_multi_setopt(rep->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    static_cast<long>(options.max_parallel));
  Rep* raw = rep.get();
  rep->verifier = std::thread([raw] { raw->VerifyLoop(); });
  rep->thread = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<Downloader>(new Downloader(std::move(rep)));
}

Downloader::Downloader(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Downloader::~Downloader() {
  {
    std::lock_guard<std::mutex> lock(rep_->mu);
    rep_->stop = true;
  }
  curl_multi_wakeup(rep_->multi);
  if (rep_->thread.joinable()) rep_->thread.join();
  curl_multi_cleanup(rep_->multi);
}

void Downloader::FetchToFileAsync(const std::string& path, FileCallback done) {
  auto job = std::make_unique<Job>();
  job->mode = Job::Mode::kFile;
  job->path = path;
  job->file_done = std::move(done);
  rep_->Submit(std::move(job));
}

void Downloader::FetchAsync(const std::string& path, MemoryCallback done) {
  auto job = std::make_unique<Job>();
  job->mode = Job::Mode::kMemory;
  job->path = path;
  job->memory_done = std::move(done);
  rep_->Submit(std::move(job));
}

std::future<absl::StatusOr<FetchedFile>> Downloader::FetchToFileFuture(const std::string& path) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<FetchedFile>>>();
  auto future = promise->get_future();
  FetchToFileAsync(path,
                   [promise](absl::StatusOr<FetchedFile> r) { promise->set_value(std::move(r)); });
  return future;
}

std::future<absl::StatusOr<std::string>> Downloader::FetchFuture(const std::string& path) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<std::string>>>();
  auto future = promise->get_future();
  FetchAsync(path, [promise](absl::StatusOr<std::string> r) { promise->set_value(std::move(r)); });
  return future;
}

absl::StatusOr<FetchedFile> Downloader::FetchToFile(const std::string& path) {
  return FetchToFileFuture(path).get();
}

absl::StatusOr<std::string> Downloader::Fetch(const std::string& path) {
  return FetchFuture(path).get();
}

std::vector<absl::StatusOr<FetchedFile>> Downloader::FetchAllToFiles(
    const std::vector<std::string>& paths) {
  std::vector<std::future<absl::StatusOr<FetchedFile>>> futures;
  futures.reserve(paths.size());
  for (const auto& p : paths) futures.push_back(FetchToFileFuture(p));
  std::vector<absl::StatusOr<FetchedFile>> out;
  out.reserve(paths.size());
  for (auto& f : futures) out.push_back(f.get());
  return out;
}

DownloaderStats Downloader::stats() const {
  const auto& c = rep_->counters;
  DownloaderStats s;
  s.requests = c.requests.load();
  s.bytes_received = c.bytes_received.load();
  s.retries = c.retries.load();
  s.blocks = c.blocks.load();
  s.not_modified = c.not_modified.load();
  s.skipped = c.skipped.load();
  s.completed = c.completed.load();
  s.failed = c.failed.load();
  s.rejected_bodies = c.rejected_bodies.load();
  return s;
}

}  // namespace edgarix::fetch
