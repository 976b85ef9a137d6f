#include "edgarix/fetch/index_files.h"

#include <filesystem>
#include <string>
#include <vector>

#include "archive_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix::fetch {
namespace {

namespace fs = std::filesystem;
using ::edgarix::testing::ReadFileBytes;
using ::edgarix::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

fs::path IndexData(const std::string& name) {
  return ::edgarix::testing::TestData() / "index" / name;
}

absl::StatusOr<IndexFile> ParseSample(const std::string& name) {
  return ParseIndexFile(ReadFileBytes(IndexData(name)), name);
}

// Non-blank lines after the first dashed line: the rows a parser must find.
size_t CountRows(const std::string& bytes) {
  size_t rows = 0;
  bool after = false;
  size_t start = 0;
  while (start <= bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string::npos) end = bytes.size();
    std::string line = bytes.substr(start, end - start);
    bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (after && !blank) ++rows;
    if (!after && line.size() >= 10 &&
        line.find_first_not_of("-\r") == std::string::npos) {
      after = true;
    }
    start = end + 1;
  }
  return rows;
}

TEST(ParseIndexFile, FullIndexMasterFrom1993) {
  auto index = ParseSample("master.1993QTR4.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->kind, IndexKind::kMaster);
  EXPECT_EQ(index->description, "Master Index of EDGAR Dissemination Feed");
  ASSERT_EQ(index->entries.size(), 20u);
  EXPECT_EQ(index->malformed_rows, 0u);
  const IndexEntry& e = index->entries[1];
  EXPECT_EQ(e.cik, "11860");
  EXPECT_EQ(e.company, "BETHLEHEM STEEL CORP /DE/");
  EXPECT_EQ(e.form, "10-Q");
  EXPECT_EQ(e.filed, "1993-11-12");
  EXPECT_EQ(e.filename, "edgar/data/11860/0000011860-94-000005.txt");
  EXPECT_EQ(e.accession, "0000011860-94-000005");
  EXPECT_EQ(EntryArchivePath(e), "data/11860/0000011860-94-000005.txt");
  EXPECT_EQ(index->entries[16].form, "SC 13D/A");
}

TEST(ParseIndexFile, DailyMasterWithCompactDates) {
  auto index = ParseSample("master.20181231.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->kind, IndexKind::kMaster);
  ASSERT_EQ(index->entries.size(), 10u);  // the last row has no newline
  EXPECT_EQ(index->entries[0].filed, "2018-12-31");
  EXPECT_EQ(index->entries[9].accession, "0000899681-18-000091");
  EXPECT_EQ(index->entries[5].company,
            "PERUSAHAAN PERSEROAN PERSERO PT TELEKOMUNIKASI INDONESIA TBK");
  auto head = ParseSample("master.20200103.head.idx");
  ASSERT_OK(head);
  EXPECT_EQ(head->entries.size(), 53u);
  EXPECT_EQ(head->malformed_rows, 0u);
}

TEST(ParseIndexFile, FormIndexWithSpacesInFormTypes) {
  auto index = ParseSample("form.20200318.head.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->kind, IndexKind::kForm);
  EXPECT_EQ(index->description,
            "Daily Index of EDGAR Dissemination Feed by Form Type");
  ASSERT_EQ(index->entries.size(), 50u);
  EXPECT_EQ(index->malformed_rows, 0u);
  const IndexEntry& e = index->entries[2];
  EXPECT_EQ(e.form, "1-A POS");
  EXPECT_EQ(e.company, "Belpointe REIT, Inc.");
  EXPECT_EQ(e.cik, "1749817");
  EXPECT_EQ(e.filed, "2020-03-18");
  EXPECT_EQ(e.accession, "0001010549-20-000033");
}

TEST(ParseIndexFile, CompanyIndexWithWrappedHeader) {
  auto index = ParseSample("company.20221003.head.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->kind, IndexKind::kCompany);
  ASSERT_EQ(index->entries.size(), 49u);
  EXPECT_EQ(index->malformed_rows, 0u);
  EXPECT_EQ(index->entries[0].company, "1st stREIT Office Inc.");
  EXPECT_EQ(index->entries[0].form, "1-A POS");
  EXPECT_EQ(index->entries[2].form, "SC 13D/A");
  EXPECT_EQ(index->entries[5].company, "9606 - ACIES RL FUND III LP");
}

TEST(ParseIndexFile, CompanyNameFillingItsColumn) {
  auto index = ParseSample("form.2021QTR1.badform.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->malformed_rows, 0u)
      << ::testing::PrintToString(index->problems);
  ASSERT_EQ(index->entries.size(), 10u);
  const IndexEntry& e = index->entries[6];
  EXPECT_EQ(e.form, "X-17A-5");
  EXPECT_EQ(e.company,
            "UNITED PLANNERS' FINANCIAL SERVICES OF AMERICA A LIMITED PARTNER");
  EXPECT_EQ(e.cik, "820694");
  EXPECT_EQ(e.filed, "2021-02-24");
}

TEST(ParseIndexFile, HeaderOnlyFileHasNoEntries) {
  auto index = ParseSample("form.empty.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->kind, IndexKind::kForm);
  EXPECT_TRUE(index->entries.empty());
  EXPECT_EQ(index->malformed_rows, 0u);
}

TEST(ParseIndexFile, EmptyOrHeaderlessBytesAreInvalidArgument) {
  for (const std::string& bytes :
       {std::string(), std::string("<html><body>Not Found</body></html>\n"),
        std::string("PK\x03\x04 zip bytes")}) {
    auto index = ParseIndexFile(bytes, "master.20240105.idx");
    ASSERT_FALSE(index.ok());
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(index.status().message()),
                HasSubstr("master.20240105.idx"));
  }
}

TEST(ParseIndexFile, MalformedRowsAreCountedAndDescribed) {
  std::string bytes =
      "Description:           Daily Index of EDGAR Dissemination Feed\n"
      "\n"
      "CIK|Company Name|Form Type|Date Filed|File Name\n"
      "--------------------------------------------------------------------\n"
      "320193|Apple "
      "Inc.|8-K|20240115|edgar/data/320193/0000320193-24-000010.txt\n"
      "not a row at all\n"
      "ABC|Bad Cik Inc|10-K|20240115|edgar/data/1/0000000001-24-000001.txt\n"
      "1234|Bad Date "
      "Corp|10-K|2024-13-45|edgar/data/1234/0000001234-24-000001.txt\n"
      "1234|No Form Corp||20240115|edgar/data/1234/0000001234-24-000002.txt\n"
      "1234|A|B Corp|4|20240115|edgar/data/1234/0000001234-24-000003.txt\n"
      "\n"
      "0000001234|Zeros Corp|4|20240115|edgar/data/1234/weird-name.txt\n";
  auto index = ParseIndexFile(bytes, "test.idx");
  ASSERT_OK(index);
  ASSERT_EQ(index->entries.size(), 3u);
  EXPECT_EQ(index->entries[1].company, "A|B Corp");
  EXPECT_EQ(index->entries[2].cik, "1234");
  EXPECT_EQ(index->entries[2].accession, "");
  EXPECT_EQ(EntryArchivePath(index->entries[2]), "data/1234/weird-name.txt");
  EXPECT_EQ(index->malformed_rows, 4u);
  ASSERT_EQ(index->problems.size(), 4u);
  EXPECT_THAT(index->problems[0], HasSubstr("line 6: expected 5"));
  EXPECT_THAT(index->problems[1], HasSubstr("line 7: bad CIK"));
  EXPECT_THAT(index->problems[2], HasSubstr("line 8: bad date"));
  EXPECT_THAT(index->problems[3], HasSubstr("line 9: empty form type"));
}

TEST(ParseIndexFile, ProblemListIsCappedButCountIsNot) {
  std::string bytes =
      "CIK|Company Name|Form Type|Date Filed|Filename\n"
      "----------------------------------------\n";
  for (int i = 0; i < 500; ++i) bytes += "garbage line\n";
  auto index = ParseIndexFile(bytes, "x.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->malformed_rows, 500u);
  EXPECT_EQ(index->problems.size(), IndexFile::kMaxReportedProblems);
}

TEST(ParseIndexFile, Cp1252NamesBecomeUtf8AndCrlfIsAccepted) {
  std::string bytes =
      "CIK|Company Name|Form Type|Date Filed|Filename\r\n"
      "--------------------------------------------------------------------\r\n"
      "99|Soci\xe9t\xe9 G\xe9n\xe9rale \x96 NY|6-K|2011-10-03|"
      "edgar/data/99/0000000099-11-000001.txt\r\n";
  auto index = ParseIndexFile(bytes, "master.idx");
  ASSERT_OK(index);
  ASSERT_EQ(index->entries.size(), 1u);
  EXPECT_EQ(index->entries[0].company,
            "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale \xe2\x80\x93 NY");
  EXPECT_EQ(index->entries[0].filename,
            "edgar/data/99/0000000099-11-000001.txt");
}

TEST(ParseIndexFile, CrawlerIndex) {
  std::string bytes =
      "Description:           Daily Index of EDGAR Dissemination Feed by "
      "Company Name\n"
      "\n"
      "Company Name                                                  Form Type "
      "  CIK         Date Filed  URL\n"
      "------------------------------------------------------------------------"
      "---------------------------------------------------------------------\n"
      "1st stREIT Office Inc.                                        1-A POS   "
      "  1700461     2022-10-03  "
      "https://www.sec.gov/Archives/edgar/data/1700461/000110465922105357/"
      "0001104659-22-105357-index.htm\n"
      "SEC STAFF LETTER CO                                           SEC STAFF "
      "LETTER  1700462     2022-10-03  "
      "https://www.sec.gov/Archives/edgar/data/1700462/000110465922105358/"
      "0001104659-22-105358-index.html\n";
  auto index = ParseIndexFile(bytes, "crawler.idx");
  ASSERT_OK(index);
  EXPECT_EQ(index->kind, IndexKind::kCrawler);
  ASSERT_EQ(index->entries.size(), 2u);
  EXPECT_EQ(index->entries[0].accession, "0001104659-22-105357");
  EXPECT_EQ(index->entries[0].form, "1-A POS");
  EXPECT_EQ(index->entries[1].form, "SEC STAFF LETTER");
  EXPECT_EQ(index->entries[1].company, "SEC STAFF LETTER CO");
  EXPECT_EQ(EntryArchivePath(index->entries[1]),
            "data/1700462/0001104659-22-105358.txt");
}

TEST(ReadIndexFile, ReadsPlainAndGzipFiles) {
  TempDir dir;
  std::string bytes = ReadFileBytes(IndexData("master.20181231.idx"));
  std::string gz =
      dir.Write("master.20181231.idx.gz", ::edgarix::testing::Gzip(bytes));
  auto plain = ReadIndexFile(IndexData("master.20181231.idx").string());
  auto inflated = ReadIndexFile(gz);
  ASSERT_OK(plain);
  ASSERT_OK(inflated);
  EXPECT_EQ(inflated->entries.size(), plain->entries.size());
  EXPECT_EQ(inflated->entries[3].accession, plain->entries[3].accession);

  auto missing = ReadIndexFile((dir.path() / "nope.idx").string());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  std::string cut =
      dir.Write("cut.idx.gz", ::edgarix::testing::Gzip(bytes).substr(0, 100));
  EXPECT_EQ(ReadIndexFile(cut).status().code(), absl::StatusCode::kDataLoss);
}

TEST(ParseIndexFile, EveryCorpusIndexFileParsesCleanly) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  int files = 0;
  for (const auto& e :
       fs::directory_iterator(::edgarix::testing::SharedCorpus() / "index")) {
    std::string name = e.path().filename().string();
    if (name.find(".idx") == std::string::npos) continue;
    ++files;
    std::string bytes = ReadFileBytes(e.path());
    auto index = ParseIndexFile(bytes, name);
    ASSERT_OK(index);
    EXPECT_EQ(index->malformed_rows, 0u)
        << name << ": " << ::testing::PrintToString(index->problems);
    EXPECT_EQ(index->entries.size(), CountRows(bytes)) << name;
    for (const IndexEntry& entry : index->entries) {
      EXPECT_FALSE(entry.accession.empty()) << name << " " << entry.filename;
      EXPECT_EQ(entry.filed.size(), 10u) << name;
      if (entry.accession.empty()) break;
    }
  }
  EXPECT_GE(files, 6);
}

TEST(ArchivePaths, DailyIndexNamesIncludingLegacyFormats) {
  EXPECT_EQ(DailyIndexPath(absl::CivilDay(2024, 1, 5), "master"),
            "daily-index/2024/QTR1/master.20240105.idx");
  EXPECT_EQ(DailyIndexPath(absl::CivilDay(2020, 3, 18), "form"),
            "daily-index/2020/QTR1/form.20200318.idx");
  EXPECT_EQ(DailyIndexPath(absl::CivilDay(1998, 4, 1), "company"),
            "daily-index/1998/QTR2/company.19980401.idx");
  EXPECT_EQ(DailyIndexPath(absl::CivilDay(1998, 3, 31), "master"),
            "daily-index/1998/QTR1/master.980331.idx");
  EXPECT_EQ(DailyIndexPath(absl::CivilDay(1995, 1, 3), "master"),
            "daily-index/1995/QTR1/master.950103.idx");
  EXPECT_EQ(DailyIndexPath(absl::CivilDay(1994, 12, 30), "master"),
            "daily-index/1994/QTR4/master.123094.idx");
  EXPECT_EQ(DailyIndexPath(absl::CivilDay(2009, 10, 1), "crawler"),
            "daily-index/2009/QTR4/crawler.20091001.idx");
}

TEST(ArchivePaths, FullIndexFeedAndFilingPaths) {
  EXPECT_EQ(FullIndexPath(2024, 1, "master"),
            "full-index/2024/QTR1/master.idx");
  EXPECT_EQ(FullIndexPath(1993, 4, "form", "gz"),
            "full-index/1993/QTR4/form.gz");
  EXPECT_EQ(FeedArchivePath(absl::CivilDay(2024, 1, 5)),
            "Feed/2024/QTR1/20240105.nc.tar.gz");
  EXPECT_EQ(FeedArchivePath(absl::CivilDay(1995, 9, 29)),
            "Feed/1995/QTR3/19950929.nc.tar.gz");
  EXPECT_EQ(FilingPath("0000320193", "000032019324000010"),
            "data/320193/0000320193-24-000010.txt");
  EXPECT_EQ(FilingPath("1000180", "0000950123-10-078896"),
            "data/1000180/0000950123-10-078896.txt");
  EXPECT_EQ(QuarterOf(absl::CivilDay(2024, 7, 1)), 3);
  EXPECT_EQ(QuarterOf(absl::CivilDay(2024, 12, 31)), 4);
}

TEST(ArchivePaths, ParseAndFormatDays) {
  auto day = ParseDay("20240229");
  ASSERT_OK(day);
  EXPECT_EQ(*day, absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(FormatDay(*day), "2024-02-29");
  ASSERT_OK(ParseDay("2024-03-01"));
  EXPECT_FALSE(ParseDay("2023-02-29").ok());
  EXPECT_FALSE(ParseDay("yesterday").ok());
  EXPECT_FALSE(ParseDay("").ok());
}

TEST(BusinessDays, SkipsWeekendsAndFederalHolidays) {
  std::vector<std::string> got;
  for (absl::CivilDay d :
       BusinessDays(absl::CivilDay(2024, 6, 28), absl::CivilDay(2024, 7, 8))) {
    got.push_back(FormatDay(d));
  }
  EXPECT_THAT(got, ElementsAre("2024-06-28", "2024-07-01", "2024-07-02",
                               "2024-07-03", "2024-07-05", "2024-07-08"));
  EXPECT_TRUE(
      BusinessDays(absl::CivilDay(2024, 2, 1), absl::CivilDay(2024, 1, 1))
          .empty());
}

TEST(BusinessDays, FederalHolidaysOf2024AndObservedDates) {
  std::vector<std::string> holidays;
  for (absl::CivilDay d = absl::CivilDay(2024, 1, 1);
       d <= absl::CivilDay(2024, 12, 31); ++d) {
    if (IsFederalHoliday(d)) holidays.push_back(FormatDay(d));
  }
  EXPECT_THAT(holidays, ElementsAre("2024-01-01", "2024-01-15", "2024-02-19",
                                    "2024-05-27", "2024-06-19", "2024-07-04",
                                    "2024-09-02", "2024-10-14", "2024-11-11",
                                    "2024-11-28", "2024-12-25"));
  // January 1, 2022 was a Saturday: observed Friday, December 31, 2021.
  EXPECT_TRUE(IsFederalHoliday(absl::CivilDay(2021, 12, 31)));
  EXPECT_FALSE(IsBusinessDay(absl::CivilDay(2021, 12, 31)));
  // July 4, 2021 was a Sunday: observed Monday, July 5.
  EXPECT_TRUE(IsFederalHoliday(absl::CivilDay(2021, 7, 5)));
  // Juneteenth only from 2021.
  EXPECT_FALSE(IsFederalHoliday(absl::CivilDay(2020, 6, 19)));
  EXPECT_TRUE(IsBusinessDay(absl::CivilDay(2020, 6, 19)));
  EXPECT_FALSE(IsBusinessDay(absl::CivilDay(2024, 7, 6)));  // Saturday
}

}  // namespace
}  // namespace edgarix::fetch
