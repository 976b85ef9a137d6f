#include "edgarix/fetch/index_files.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "edgarix/core/ids.h"
#include "edgarix/core/text.h"
#include "edgarix/fetch/input_reader.h"

namespace edgarix::fetch {
namespace {

constexpr std::string_view kSpaces = " \t\r\n\f\v";

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(kSpaces);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(kSpaces);
  return s.substr(b, e - b + 1);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool IsSeparatorLine(std::string_view line) {
  line = Trim(line);
  return line.size() >= 10 &&
         line.find_first_not_of('-') == std::string_view::npos;
}

// Splits `bytes` into lines ending in LF, CRLF or a bare CR.
std::vector<std::string_view> SplitLines(std::string_view bytes) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '\n' || c == '\r') {
      lines.push_back(bytes.substr(start, i - start));
      if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < bytes.size()) lines.push_back(bytes.substr(start));
  return lines;
}

// The position of the first run of at least two blanks in `s`, or npos.
size_t FirstGap(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if ((s[i] == ' ' || s[i] == '\t') &&
        (s[i + 1] == ' ' || s[i + 1] == '\t')) {
      return i;
    }
  }
  return std::string_view::npos;
}

// The position of the last run of at least two blanks in `s` (its first
// blank), or npos.
size_t LastGap(std::string_view s) {
  for (size_t i = s.size(); i >= 2; --i) {
    char a = s[i - 2], b = s[i - 1];
    if ((a == ' ' || a == '\t') && (b == ' ' || b == '\t')) {
      size_t j = i - 2;
      while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t')) --j;
      return j;
    }
  }
  return std::string_view::npos;
}

// Takes the last blank-separated token off `s`.
std::string_view PopLastToken(std::string_view& s) {
  s = Trim(s);
  size_t p = s.find_last_of(" \t");
  std::string_view token;
  if (p == std::string_view::npos) {
    token = s;
    s = {};
  } else {
    token = s.substr(p + 1);
    s = s.substr(0, p);
  }
  return token;
}

std::string AccessionFromFilename(std::string_view filename) {
  size_t slash = filename.find_last_of('/');
  std::string_view base =
      slash == std::string_view::npos ? filename : filename.substr(slash + 1);
  if (base.size() >= 20) {
    if (auto a = NormalizeAccession(base.substr(0, 20))) return *a;
  }
  if (base.size() >= 18 &&
      (base.size() == 18 || base[18] < '0' || base[18] > '9')) {
    if (auto a = NormalizeAccession(base.substr(0, 18))) return *a;
  }
  // crawler.idx URLs: .../data/CIK/ACCESSIONNODASH/ACCESSION-index.htm
  if (slash != std::string_view::npos && slash > 0) {
    std::string_view dir = filename.substr(0, slash);
    size_t prev = dir.find_last_of('/');
    std::string_view last =
        prev == std::string_view::npos ? dir : dir.substr(prev + 1);
    if (auto a = NormalizeAccession(last)) return *a;
  }
  return "";
}

std::string Excerpt(std::string_view line) {
  std::string text = ToUtf8(Trim(line).substr(0, 100));
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

std::string TwoDigits(int v) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%02d", v % 100);
  return buf;
}

std::string Digits(long long v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%0*lld", width, v);
  return buf;
}

absl::CivilDay NthWeekday(int year, int month, absl::Weekday weekday, int n) {
  absl::CivilDay first(year, month, 1);
  absl::CivilDay day = absl::NextWeekday(first - 1, weekday);
  return day + 7 * (n - 1);
}

absl::CivilDay LastWeekday(int year, int month, absl::Weekday weekday) {
  absl::CivilDay next_first = absl::CivilDay(absl::CivilMonth(year, month) + 1);
  return absl::PrevWeekday(next_first, weekday);
}

// A fixed-date holiday moved to the nearest weekday.
absl::CivilDay Observed(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::saturday:
      return day - 1;
    case absl::Weekday::sunday:
      return day + 1;
    default:
      return day;
  }
}

}  // namespace

absl::StatusOr<IndexFile> ParseIndexFile(std::string_view bytes,
                                         std::string_view source) {
  const std::string name(source);
  std::vector<std::string_view> lines = SplitLines(bytes);
  IndexFile result;

  size_t separator = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsSeparatorLine(lines[i])) {
      separator = i;
      break;
    }
    std::string_view line = Trim(lines[i]);
    if (StartsWith(line, "Description:")) {
      result.description = ToUtf8(Trim(line.substr(12)));
    }
  }
  if (bytes.empty()) {
    return absl::InvalidArgumentError(name + ": empty index file");
  }
  if (separator == lines.size()) {
    return absl::InvalidArgumentError(
        name +
        ": not an EDGAR index file (no '-----' line under a column "
        "header)");
  }
  // The column header: the non-blank lines right above the separator (the
  // company index wraps it over two lines).
  std::string header;
  for (size_t i = separator; i > 0 && !Trim(lines[i - 1]).empty(); --i) {
    header = std::string(Trim(lines[i - 1])) + " " + header;
    if (separator - (i - 1) >= 3) break;
  }
  size_t column2 = std::string_view::npos;  // where the second column starts
  if (header.find('|') != std::string::npos) {
    result.kind = IndexKind::kMaster;
  } else if (StartsWith(header, "Form Type")) {
    result.kind = IndexKind::kForm;
    column2 = lines[separator - 1].find("Company Name");
  } else if (StartsWith(header, "Company Name")) {
    result.kind = header.find("URL") != std::string::npos ? IndexKind::kCrawler
                                                          : IndexKind::kCompany;
    // The column header may wrap: find "Form Type" in the first header line.
    for (size_t i = separator; i > 0 && !Trim(lines[i - 1]).empty(); --i) {
      size_t p = lines[i - 1].find("Form Type");
      if (p != std::string_view::npos) column2 = p;
      if (separator - (i - 1) >= 3) break;
    }
  } else {
    return absl::InvalidArgumentError(
        name + ": unrecognized index column header '" + Excerpt(header) + "'");
  }

  auto problem = [&](size_t line_index, const std::string& reason) {
    ++result.malformed_rows;
    if (result.problems.size() < IndexFile::kMaxReportedProblems) {
      result.problems.push_back("line " + std::to_string(line_index + 1) +
                                ": " + reason + ": '" +
                                Excerpt(lines[line_index]) + "'");
    }
  };

  for (size_t i = separator + 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (Trim(line).empty()) continue;
    std::string_view cik, company, form, date, filename;
    std::string joined_company;
    if (result.kind == IndexKind::kMaster) {
      std::vector<std::string_view> fields;
      size_t start = 0;
      while (true) {
        size_t bar = line.find('|', start);
        fields.push_back(line.substr(start, bar == std::string_view::npos
                                                ? std::string_view::npos
                                                : bar - start));
        if (bar == std::string_view::npos) break;
        start = bar + 1;
      }
      if (fields.size() < 5) {
        problem(i, "expected 5 '|'-separated fields, found " +
                       std::to_string(fields.size()));
        continue;
      }
      size_t n = fields.size();
      cik = fields[0];
      filename = fields[n - 1];
      date = fields[n - 2];
      form = fields[n - 3];
      if (n == 5) {
        company = fields[1];
      } else {
        // A '|' inside the company name.
        for (size_t k = 1; k + 3 < n; ++k) {
          if (k > 1) joined_company += '|';
          joined_company.append(fields[k].data(), fields[k].size());
        }
        company = joined_company;
      }
    } else {
      // Fixed width, but a long name can push later columns right, so read
      // the last three columns as tokens from the right.
      std::string_view rest = line;
      filename = PopLastToken(rest);
      date = PopLastToken(rest);
      cik = PopLastToken(rest);
      rest = Trim(rest);
      if (rest.empty()) {
        problem(i, "too few columns");
        continue;
      }
      size_t gap =
          result.kind == IndexKind::kForm ? FirstGap(rest) : LastGap(rest);
      if (gap != std::string_view::npos) {
        std::string_view left = Trim(rest.substr(0, gap));
        std::string_view right = Trim(rest.substr(gap));
        if (result.kind == IndexKind::kForm) {
          form = left;
          company = right;
        } else {
          company = left;
          form = right;
        }
      } else if (column2 != std::string_view::npos && rest.size() > column2 &&
                 rest[column2 - 1] == ' ') {
        std::string_view left = Trim(rest.substr(0, column2));
        std::string_view right = Trim(rest.substr(column2));
        if (result.kind == IndexKind::kForm) {
          form = left;
          company = right;
        } else {
          company = left;
          form = right;
        }
      } else {
        problem(i, "cannot tell the form type from the company name");
        continue;
      }
    }
    std::optional<std::string> norm_cik = NormalizeCik(cik);
    if (!norm_cik) {
      problem(i, "bad CIK '" + Excerpt(cik) + "'");
      continue;
    }
    std::optional<std::string> filed = NormalizeDate(Trim(date));
    if (!filed) {
      problem(i, "bad date '" + Excerpt(date) + "'");
      continue;
    }
    form = Trim(form);
    if (form.empty()) {
      problem(i, "empty form type");
      continue;
    }
    filename = Trim(filename);
    if (filename.empty()) {
      problem(i, "empty file name");
      continue;
    }
    IndexEntry entry;
    entry.cik = *std::move(norm_cik);
    entry.company = ToUtf8(Trim(company));
    entry.form = ToUtf8(form);
    entry.filed = *std::move(filed);
    entry.filename = ToUtf8(filename);
    entry.accession = AccessionFromFilename(entry.filename);
    result.entries.push_back(std::move(entry));
  }
  return result;
}

absl::StatusOr<IndexFile> ReadIndexFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(path +
                                      ": is a folder, not an index file");
  }
  InputOptions options;
  auto reader = InputReader::Open({path}, options);
  if (!reader.ok()) return reader.status();
  std::optional<RawFiling> raw = (*reader)->Next();
  if (!raw.has_value()) {
    return absl::InvalidArgumentError(path + ": nothing to read");
  }
  if (!raw->read_error.empty()) return absl::DataLossError(raw->read_error);
  return ParseIndexFile(raw->bytes, path);
}

std::string EntryArchivePath(const IndexEntry& entry) {
  if (!entry.cik.empty() && !entry.accession.empty()) {
    return FilingPath(entry.cik, entry.accession);
  }
  std::string_view name = entry.filename;
  if (StartsWith(name, "edgar/")) name.remove_prefix(6);
  return std::string(name);
}

int QuarterOf(absl::CivilDay day) { return (day.month() - 1) / 3 + 1; }

std::string DailyIndexPath(absl::CivilDay day, std::string_view kind) {
  const long long year = day.year();
  std::string date;
  if (day < absl::CivilDay(1995, 1, 1)) {
    date = TwoDigits(day.month()) + TwoDigits(day.day()) +
           TwoDigits(static_cast<int>(year % 100));
  } else if (day <= absl::CivilDay(1998, 3, 31)) {
    date = TwoDigits(static_cast<int>(year % 100)) + TwoDigits(day.month()) +
           TwoDigits(day.day());
  } else {
    date = Digits(year, 4) + TwoDigits(day.month()) + TwoDigits(day.day());
  }
  return "daily-index/" + Digits(year, 4) + "/QTR" +
         std::to_string(QuarterOf(day)) + "/" + std::string(kind) + "." + date +
         ".idx";
}

std::string FullIndexPath(int year, int quarter, std::string_view kind,
                          std::string_view ext) {
  return "full-index/" + Digits(year, 4) + "/QTR" + std::to_string(quarter) +
         "/" + std::string(kind) + "." + std::string(ext);
}

std::string FeedArchivePath(absl::CivilDay day) {
  return "Feed/" + Digits(day.year(), 4) + "/QTR" +
         std::to_string(QuarterOf(day)) + "/" + Digits(day.year(), 4) +
         TwoDigits(day.month()) + TwoDigits(day.day()) + ".nc.tar.gz";
}

std::string FilingPath(std::string_view cik, std::string_view accession) {
  std::optional<std::string> c = NormalizeCik(cik);
  std::optional<std::string> a = NormalizeAccession(accession);
  return "data/" + (c ? *c : std::string(Trim(cik))) + "/" +
         (a ? *a : std::string(Trim(accession))) + ".txt";
}

absl::StatusOr<absl::CivilDay> ParseDay(std::string_view text) {
  std::optional<std::string> iso = NormalizeDate(text);
  int y = 0, m = 0, d = 0;
  if (!iso || std::sscanf(iso->c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
    return absl::InvalidArgumentError("not a date (YYYY-MM-DD or YYYYMMDD): '" +
                                      std::string(text) + "'");
  }
  absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) {
    return absl::InvalidArgumentError("no such date: '" + std::string(text) +
                                      "'");
  }
  return day;
}

std::string FormatDay(absl::CivilDay day) {
  return Digits(day.year(), 4) + "-" + TwoDigits(day.month()) + "-" +
         TwoDigits(day.day());
}

bool IsFederalHoliday(absl::CivilDay day) {
  const int year = static_cast<int>(day.year());
  using absl::Weekday;
  // New Year's Day of this year and the next (observed on Dec 31 when
  // January 1 is a Saturday).
  if (day == Observed(absl::CivilDay(year, 1, 1)) ||
      day == Observed(absl::CivilDay(year + 1, 1, 1))) {
    return true;
  }
  if (year >= 1986 && day == NthWeekday(year, 1, Weekday::monday, 3)) {
    return true;  // Birthday of Martin Luther King, Jr.
  }
  if (day == NthWeekday(year, 2, Weekday::monday, 3)) return true;
  if (day == LastWeekday(year, 5, Weekday::monday)) return true;
  if (year >= 2021 && day == Observed(absl::CivilDay(year, 6, 19))) {
    return true;  // Juneteenth
  }
  if (day == Observed(absl::CivilDay(year, 7, 4))) return true;
  if (day == NthWeekday(year, 9, Weekday::monday, 1)) return true;
  if (day == NthWeekday(year, 10, Weekday::monday, 2)) return true;
  if (day == Observed(absl::CivilDay(year, 11, 11))) return true;
  if (day == NthWeekday(year, 11, Weekday::thursday, 4)) return true;
  if (day == Observed(absl::CivilDay(year, 12, 25))) return true;
  return false;
}

bool IsBusinessDay(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  if (w == absl::Weekday::saturday || w == absl::Weekday::sunday) return false;
  return !IsFederalHoliday(day);
}

std::vector<absl::CivilDay> BusinessDays(absl::CivilDay from,
                                         absl::CivilDay to) {
  std::vector<absl::CivilDay> days;
  for (absl::CivilDay d = from; d <= to; ++d) {
    if (IsBusinessDay(d)) days.push_back(d);
  }
  return days;
}

}  // namespace edgarix::fetch
