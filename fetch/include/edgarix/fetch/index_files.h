#pragma once

// EDGAR index files (daily-index/ and full-index/) and the names of the
// archive paths the crawler fetches. See ../shared/EDGAR.md §2-§3.
//
// All functions are pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace edgarix::fetch {

// One row of an index file.
struct IndexEntry {
  std::string cik;      // without leading zeros, e.g. "320193"
  std::string company;  // UTF-8 (index files are Latin-1/cp1252)
  std::string form;     // as listed, e.g. "10-K/A", "S-1 MEF"
  std::string filed;    // ISO "YYYY-MM-DD"
  // The Filename column as listed, relative to https://www.sec.gov/Archives/:
  // "edgar/data/1000180/0000950123-10-078896.txt" (crawler.idx lists a full
  // URL to the filing's "-index.htm" page instead).
  std::string filename;
  // Dashed accession number taken from `filename`; empty when it has none.
  std::string accession;
};

enum class IndexKind {
  kMaster,   // master.idx / xbrl.idx: CIK|Company Name|Form Type|Date
             // Filed|Filename
  kForm,     // form.idx: fixed width, Form Type first
  kCompany,  // company.idx: fixed width, Company Name first
  kCrawler,  // crawler.idx: like company.idx, last column a URL
};

struct IndexFile {
  IndexKind kind = IndexKind::kMaster;
  // The "Description:" header line, e.g. "Daily Index of EDGAR Dissemination
  // Feed by Form Type"; empty when absent.
  std::string description;
  std::vector<IndexEntry> entries;  // in file order
  // Rows that could not be read. Each is counted; the first
  // kMaxReportedProblems are described as "line N: reason".
  uint64_t malformed_rows = 0;
  std::vector<std::string> problems;
  static constexpr size_t kMaxReportedProblems = 100;
};

// Parses an EDGAR index file (any kind above, daily or quarterly, the
// uncompressed bytes). The kind is told from the column header line above
// the dashed separator line; header lines before it vary by era and are
// skipped. Dates may be YYYY-MM-DD or YYYYMMDD. Bytes that are not UTF-8 are
// read as cp1252. Malformed rows are counted and described, never fatal.
// Fails with InvalidArgument (naming `source`) when there is no column
// header and separator line at all (an empty or truncated-at-the-top file,
// an HTML error page, a .zip).
absl::StatusOr<IndexFile> ParseIndexFile(std::string_view bytes,
                                         std::string_view source);

// Reads and parses an index file on disk, plain or gzip-compressed (told by
// content). NotFound when it does not exist; DataLoss when the .gz is corrupt
// or truncated; InvalidArgument as ParseIndexFile.
absl::StatusOr<IndexFile> ReadIndexFile(const std::string& path);

// The archive path of an entry's filing, relative to the Archives/edgar base
// URL: "data/1000180/0000950123-10-078896.txt". Built from cik and accession
// when both are known, else the listed filename without its "edgar/" prefix.
std::string EntryArchivePath(const IndexEntry& entry);

// ---------------------------------------------------------------------------
// Archive paths, relative to https://www.sec.gov/Archives/edgar/.

// 1..4.
int QuarterOf(absl::CivilDay day);

// "daily-index/2024/QTR1/master.20240105.idx" for `kind` "master", "form",
// "company", "crawler" or "xbrl", with the legacy date formats: MMDDYY before
// 1995 ("master.123194.idx") and YYMMDD up to 1998-03-31
// ("master.980331.idx").
std::string DailyIndexPath(absl::CivilDay day, std::string_view kind);

// "full-index/2024/QTR1/master.idx" (`ext` "idx", "gz", "zip" or "Z").
std::string FullIndexPath(int year, int quarter, std::string_view kind,
                          std::string_view ext = "idx");

// "Feed/2024/QTR1/20240105.nc.tar.gz".
std::string FeedArchivePath(absl::CivilDay day);

// "data/320193/0000320193-24-000010.txt". `cik` may carry leading zeros and
// `accession` may be given without dashes; both are normalized when valid.
std::string FilingPath(std::string_view cik, std::string_view accession);

// Parses "YYYY-MM-DD" or "YYYYMMDD". Fails with InvalidArgument otherwise.
absl::StatusOr<absl::CivilDay> ParseDay(std::string_view text);

// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);

// True on US federal holidays (as observed: a Saturday holiday on the Friday
// before, a Sunday one on the Monday after), when EDGAR does not disseminate.
// Covers the holidays fixed by law (Juneteenth from 2021), not one-off
// closures.
bool IsFederalHoliday(absl::CivilDay day);

// Monday to Friday and not a federal holiday.
bool IsBusinessDay(absl::CivilDay day);

// The business days in [from, to], in order. Empty when from > to.
std::vector<absl::CivilDay> BusinessDays(absl::CivilDay from,
                                         absl::CivilDay to);

}  // namespace edgarix::fetch
