#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "edgarix/fetch/downloader.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"
#include "edgarix/pipeline/pipeline.h"

namespace edgarix::pipeline {

// Meta keys a crawl writes into the index (DO NOT CHANGE: stored in the index).
// "crawl/watermark" -> "YYYY-MM-DD", the last day crawled completely.
inline constexpr char kWatermarkKey[] = "crawl/watermark";
// "crawl/day/YYYY-MM-DD" -> JSON DayRecord (see DayRecordToJson).
inline constexpr char kDayKeyPrefix[] = "crawl/day/";

struct CrawlOptions {
  // First day to crawl; nullopt = the day after the index's watermark
  // (an error when the index has none).
  std::optional<absl::CivilDay> from;
  // Last day to crawl. Default (nullopt): yesterday (UTC).
  std::optional<absl::CivilDay> to;
  // Only filings whose form (or form without "/A") is one of these. Empty = all.
  std::vector<std::string> forms;
  // Crawl days that already have a committed record again (their filings are
  // replaced, not duplicated). Default: false: such days are skipped, so
  // re-running the same command after a kill redoes only unfinished days.
  bool redo = false;
  // Where fetched files land (the SEC layout). They are deleted once their day
  // is committed unless `keep` is true.
  std::string cache_dir;
  bool keep = false;
  // With `forms`, a day whose selected filings number at most this fetches
  // them one by one (data/CIK/ACCESSION.txt) instead of the day's Feed
  // archive. Default: 200 (25 s at 8 requests/s, vs. a ~1 GB archive).
  size_t single_filing_limit = 200;
  // A day whose daily index is missing (404) within this many days before
  // today is taken as "not published yet": the crawl stops there without
  // advancing the watermark. Older missing days count as closed (no filings).
  int unpublished_grace_days = 4;
  PipelineOptions pipeline;
  // Called after each day is committed, with a one-line summary.
  std::function<void(const std::string&)> on_day;
};

// What a crawl recorded for one day; stored under kDayKeyPrefix + day.
struct DayRecord {
  std::string day;
  // "feed", "filings" (single filings), or "none" (no daily index: holiday or
  // closure).
  std::string mode;
  std::vector<std::string> listed;  // accessions selected from the daily index
  uint64_t indexed = 0;
  uint64_t failed = 0;
  uint64_t bytes = 0;
};
std::string DayRecordToJson(const DayRecord& record);
absl::StatusOr<DayRecord> DayRecordFromJson(const std::string& json);

struct CrawlStats {
  uint64_t days = 0;
  uint64_t days_skipped = 0;  // already complete in the index
  uint64_t filings_indexed = 0;
  uint64_t failures = 0;
  uint64_t bytes_read = 0;
  std::string last_day;  // the watermark after the crawl; empty if none
  bool stopped_unpublished = false;  // stopped at a day not published yet
};

// Brings the index up to date with EDGAR day by day: for each business day
// in [from, to] not yet complete in the index, reads the daily master index, then streams the day's Feed
// archive (or, with few selected filings, the single filings) through parse
// into the index, and commits the day's record (and the watermark, which only
// moves forward). Idempotent and resumable: a killed crawl run again redoes
// at most the unfinished day, and the downloader's journal keeps complete files from being
// transferred again.
absl::StatusOr<CrawlStats> RunCrawl(const CrawlOptions& options,
                                    fetch::Downloader& downloader,
                                    const parse::Parser& parser,
                                    index::IndexWriter& writer);

}  // namespace edgarix::pipeline
