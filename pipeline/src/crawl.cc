#include "edgarix/pipeline/crawl.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "edgarix/core/ids.h"
#include "edgarix/core/status_macros.h"
#include "edgarix/fetch/index_files.h"
#include "edgarix/fetch/input_reader.h"
#include "nlohmann/json.hpp"

namespace edgarix::pipeline {
namespace {

namespace fs = std::filesystem;

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string RootForm(const std::string& form) {
  if (form.size() > 2 && form.compare(form.size() - 2, 2, "/A") == 0) {
    return form.substr(0, form.size() - 2);
  }
  return form;
}

bool FormSelected(const std::vector<std::string>& forms, const std::string& form) {
  if (forms.empty()) return true;
  const std::string f = Upper(form);
  const std::string root = RootForm(f);
  for (const auto& want : forms) {
    if (want == f || want == root) return true;
  }
  return false;
}

absl::CivilDay TodayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return absl::CivilDay(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

// The accession in an archive member name such as "0000950123-10-078896.nc"
// or a path ".../0000950123-10-078896.txt"; empty when there is none.
std::string AccessionInName(const std::string& name) {
  const size_t slash = name.find_last_of("/#");
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  const size_t dot = base.find('.');
  if (dot != std::string::npos) base.resize(dot);
  auto acc = NormalizeAccession(base);
  return acc ? *acc : std::string();
}

void RemoveQuietly(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// One day's work.
class DayCrawl {
 public:
  DayCrawl(const CrawlOptions& options, fetch::Downloader& downloader,
           const parse::Parser& parser, index::IndexWriter& writer, absl::CivilDay day)
      : options_(options), downloader_(downloader), parser_(parser), writer_(writer), day_(day) {}

  // Returns NotFound when the day's daily index does not exist.
  absl::StatusOr<DayRecord> Run() {
    DayRecord record;
    record.day = fetch::FormatDay(day_);
    auto index_file = downloader_.FetchToFile(fetch::DailyIndexPath(day_, "master"));
    if (!index_file.ok()) return index_file.status();
    cleanup_.push_back(index_file->local_path);
    EDGARIX_ASSIGN_OR_RETURN(fetch::IndexFile listing,
                             fetch::ReadIndexFile(index_file->local_path));
    std::set<std::string> seen;
    for (const auto& entry : listing.entries) {
      if (!FormSelected(options_.forms, entry.form)) continue;
      const std::string key = entry.accession.empty() ? entry.filename : entry.accession;
      if (!seen.insert(key).second) continue;
      selected_.push_back(entry);
      if (!entry.accession.empty()) by_accession_[entry.accession] = entry;
      record.listed.push_back(key);
    }
    if (selected_.empty()) {
      record.mode = "feed";
      return record;
    }
    absl::StatusOr<PipelineStats> stats;
    if (!options_.forms.empty() && selected_.size() <= options_.single_filing_limit) {
      record.mode = "filings";
      stats = IndexSingleFilings();
    } else {
      record.mode = "feed";
      stats = IndexFeed();
      if (!stats.ok() && absl::IsNotFound(stats.status())) {
        // No Feed archive for a day the index lists: take the filings one by one.
        record.mode = "filings";
        stats = IndexSingleFilings();
      }
    }
    if (!stats.ok()) return stats.status();
    record.indexed = stats->filings_indexed;
    record.failed = stats->failures;
    record.bytes = stats->bytes_read;
    return record;
  }

  // Deletes what this day fetched (unless --keep).
  void Cleanup() {
    if (options_.keep) return;
    for (const auto& path : cleanup_) RemoveQuietly(path);
  }

 private:
  void AddHints(RawFiling& raw, const std::string& accession) const {
    auto it = by_accession_.find(accession);
    if (it == by_accession_.end()) return;
    raw.cik_hint = it->second.cik;
    raw.form_hint = it->second.form;
    raw.filed_hint = it->second.filed;
  }

  absl::StatusOr<PipelineStats> IndexFeed() {
    EDGARIX_ASSIGN_OR_RETURN(fetch::FetchedFile archive,
                             downloader_.FetchToFile(fetch::FeedArchivePath(day_)));
    cleanup_.push_back(archive.local_path);
    EDGARIX_ASSIGN_OR_RETURN(auto reader,
                             fetch::InputReader::Open({archive.local_path}, fetch::InputOptions{}));
    fetch::InputReader& input = *reader;
    const bool filter = !options_.forms.empty();
    // Sources name the archive as EDGAR does ("Feed/...tar.gz#member"), not
    // the local cache path, so that they are the same on every machine.
    const std::string archive_path = fetch::FeedArchivePath(day_);
    FilingSource source = [&]() -> std::optional<RawFiling> {
      while (true) {
        std::optional<RawFiling> raw = input.Next();
        if (!raw) return raw;
        const std::string accession = AccessionInName(raw->source);
        // With a form filter, only the members the daily index selected; a
        // read error always passes, so that it is recorded.
        if (filter && raw->read_error.empty() &&
            by_accession_.find(accession) == by_accession_.end()) {
          continue;
        }
        AddHints(*raw, accession);
        if (raw->source.compare(0, archive.local_path.size(), archive.local_path) == 0) {
          raw->source = archive_path + raw->source.substr(archive.local_path.size());
        }
        return raw;
      }
    };
    return RunIndexPipeline(source, parser_, writer_, options_.pipeline);
  }

  absl::StatusOr<PipelineStats> IndexSingleFilings() {
    // Keep a window of transfers in flight ahead of the parser; the
    // downloader's token bucket paces them.
    constexpr size_t kWindow = 16;
    std::deque<std::pair<fetch::IndexEntry, std::future<absl::StatusOr<fetch::FetchedFile>>>>
        window;
    size_t next = 0;
    auto refill = [&] {
      while (window.size() < kWindow && next < selected_.size()) {
        const fetch::IndexEntry& entry = selected_[next++];
        window.emplace_back(entry,
                            downloader_.FetchToFileFuture(fetch::EntryArchivePath(entry)));
      }
    };
    FilingSource source = [&]() -> std::optional<RawFiling> {
      refill();
      if (window.empty()) return std::nullopt;
      auto [entry, future] = std::move(window.front());
      window.pop_front();
      absl::StatusOr<fetch::FetchedFile> file = future.get();
      RawFiling raw;
      raw.source = fetch::EntryArchivePath(entry);
      if (!file.ok()) {
        raw.read_error = "fetch failed: " + std::string(file.status().message());
        return raw;
      }
      cleanup_.push_back(file->local_path);
      auto reader = fetch::InputReader::Open({file->local_path}, fetch::InputOptions{});
      std::optional<RawFiling> read;
      if (reader.ok()) read = (*reader)->Next();
      if (!read) {
        raw.read_error = "cannot read " + file->local_path;
        return raw;
      }
      read->source = raw.source;
      AddHints(*read, entry.accession);
      return read;
    };
    return RunIndexPipeline(source, parser_, writer_, options_.pipeline);
  }

  const CrawlOptions& options_;
  fetch::Downloader& downloader_;
  const parse::Parser& parser_;
  index::IndexWriter& writer_;
  absl::CivilDay day_;
  std::vector<fetch::IndexEntry> selected_;
  std::map<std::string, fetch::IndexEntry> by_accession_;
  std::vector<std::string> cleanup_;
};

}  // namespace

std::string DayRecordToJson(const DayRecord& record) {
  nlohmann::json j = {{"day", record.day},         {"mode", record.mode},
                      {"listed", record.listed},   {"indexed", record.indexed},
                      {"failed", record.failed},   {"bytes", record.bytes}};
  return j.dump();
}

absl::StatusOr<DayRecord> DayRecordFromJson(const std::string& json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError("crawl day record is not JSON: " + json.substr(0, 80));
  }
  DayRecord r;
  r.day = j.value("day", "");
  r.mode = j.value("mode", "");
  if (j.contains("listed") && j["listed"].is_array()) {
    for (const auto& a : j["listed"]) {
      if (a.is_string()) r.listed.push_back(a.get<std::string>());
    }
  }
  r.indexed = j.value("indexed", uint64_t{0});
  r.failed = j.value("failed", uint64_t{0});
  r.bytes = j.value("bytes", uint64_t{0});
  return r;
}

absl::StatusOr<CrawlStats> RunCrawl(const CrawlOptions& options, fetch::Downloader& downloader,
                                    const parse::Parser& parser, index::IndexWriter& writer) {
  CrawlStats stats;
  EDGARIX_ASSIGN_OR_RETURN(std::optional<std::string> watermark, writer.GetMeta(kWatermarkKey));
  if (watermark) stats.last_day = *watermark;
  absl::CivilDay from;
  if (options.from) {
    from = *options.from;
  } else if (watermark) {
    EDGARIX_ASSIGN_OR_RETURN(absl::CivilDay last, fetch::ParseDay(*watermark));
    from = last + 1;
  } else {
    return absl::InvalidArgumentError(
        "the index has no crawl watermark yet: give --from YYYY-MM-DD");
  }
  const absl::CivilDay today = TodayUtc();
  const absl::CivilDay to = options.to ? *options.to : today - 1;

  for (absl::CivilDay day : fetch::BusinessDays(from, to)) {
    const std::string day_key = std::string(kDayKeyPrefix) + fetch::FormatDay(day);
    if (!options.redo) {
      EDGARIX_ASSIGN_OR_RETURN(std::optional<std::string> done, writer.GetMeta(day_key));
      if (done) {
        ++stats.days_skipped;
        continue;
      }
    }
    const auto start = std::chrono::steady_clock::now();
    DayCrawl crawl(options, downloader, parser, writer, day);
    absl::StatusOr<DayRecord> record = crawl.Run();
    if (!record.ok() && absl::IsNotFound(record.status())) {
      if (today - day <= options.unpublished_grace_days) {
        stats.stopped_unpublished = true;
        if (options.on_day) {
          options.on_day(fetch::FormatDay(day) + ": daily index not published yet; stopping");
        }
        break;
      }
      DayRecord none;
      none.day = fetch::FormatDay(day);
      none.mode = "none";
      record = none;
    }
    if (!record.ok()) {
      return absl::Status(record.status().code(), fetch::FormatDay(day) + ": " +
                                                      std::string(record.status().message()));
    }
    // The day's record and the watermark commit together, after its filings.
    // ISO dates compare as strings; a backfill leaves the watermark alone.
    std::vector<std::pair<std::string, std::string>> meta = {
        {day_key, DayRecordToJson(*record)}};
    if (!watermark || *watermark < record->day) {
      meta.emplace_back(kWatermarkKey, record->day);
      watermark = record->day;
    }
    EDGARIX_RETURN_IF_ERROR(writer.Commit(meta));
    crawl.Cleanup();
    ++stats.days;
    stats.filings_indexed += record->indexed;
    stats.failures += record->failed;
    stats.bytes_read += record->bytes;
    stats.last_day = *watermark;
    if (options.on_day) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char line[256];
      std::snprintf(line, sizeof(line),
                    "%s: %s, %zu listed, %llu indexed, %llu failed, %.1f MB, %.1f s",
                    record->day.c_str(), record->mode.c_str(), record->listed.size(),
                    static_cast<unsigned long long>(record->indexed),
                    static_cast<unsigned long long>(record->failed), record->bytes / 1e6,
                    seconds);
      options.on_day(line);
    }
  }
  return stats;
}

}  // namespace edgarix::pipeline
