// Runs the real `edgarix` binary on the bundled sample: index, then the
// queries issue 3 names on the seed filings, checked through --format jsonl.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "run_edgarix.h"
#include "test_paths.h"

namespace edgarix {
namespace {

namespace fs = std::filesystem;

using testing::JsonLines;
using testing::RunEdgarix;
using Output = testing::CommandOutput;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("edgarix_cli_" + std::to_string(getpid())));
    fs::remove_all(*dir_);
    const Output o = RunEdgarix("index --db " + (*dir_ / "db").string() + " " +
                                (testing::TestData() / "filings").string());
    ASSERT_EQ(o.exit_code, 0);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::vector<nlohmann::json> Query(const std::string& quoted_query) {
    const Output o = RunEdgarix("query --db " + (*dir_ / "db").string() +
                                " --format jsonl --limit 0 " + quoted_query);
    EXPECT_EQ(o.exit_code, 0) << quoted_query;
    return JsonLines(o.out);
  }
  static fs::path* dir_;
};
fs::path* CliTest::dir_ = nullptr;

bool AnyForm(const std::vector<nlohmann::json>& hits, const std::string& form) {
  for (const auto& h : hits) {
    if (h.value("form", "") == form) return true;
  }
  return false;
}

TEST_F(CliTest, CompanyAndOldItemFindsSeed8K) {
  auto hits = Query("'company:\"innovo group\" event:8.01'");
  ASSERT_FALSE(hits.empty());
  EXPECT_TRUE(AnyForm(hits, "8-K"));
  for (const auto& h : hits) EXPECT_EQ(h["form"], "8-K");
}

TEST_F(CliTest, PhraseWithFormHasSnippetShowingPhrase) {
  auto hits = Query("'\"Blue Concepts\" form:8-K'");
  ASSERT_FALSE(hits.empty());
  const std::string snippet = hits[0].value("snippet", "");
  std::string lower = snippet;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(lower.find("blue concepts"), std::string::npos) << snippet;
}

TEST_F(CliTest, FormS8PhraseFindsSeedS8) {
  auto hits = Query("'form:S-8 \"Employee Stock Incentive Plan\"'");
  ASSERT_FALSE(hits.empty());
  EXPECT_TRUE(AnyForm(hits, "S-8"));
}

TEST_F(CliTest, Event202MatchesOldItem12Filings) {
  // Every filing whose header or body says old item 12 must come back for
  // event:2.02, and so must every new-numbering 2.02.
  auto via_event = Query("'event:2.02'");
  auto via_item12 = Query("'item:12'");
  auto via_item202 = Query("'item:2.02'");
  std::set<std::string> got;
  for (const auto& h : via_event) got.insert(h["source"].get<std::string>());
  for (const auto& h : via_item12) EXPECT_TRUE(got.count(h["source"].get<std::string>()));
  for (const auto& h : via_item202) EXPECT_TRUE(got.count(h["source"].get<std::string>()));
  EXPECT_EQ(got.size() >= via_item12.size() + via_item202.size(), true);
}

TEST_F(CliTest, IndexingTwiceChangesNothing) {
  const auto before = Query("'form:8-K'");
  const Output o = RunEdgarix("index --db " + (*dir_ / "db").string() + " " +
                              (testing::TestData() / "filings").string());
  ASSERT_EQ(o.exit_code, 0);
  const auto after = Query("'form:8-K'");
  EXPECT_EQ(before, after);
}

TEST_F(CliTest, MalformedQueryIsUsageError) {
  const Output o = RunEdgarix("query --db " + (*dir_ / "db").string() + " '(unbalanced' 2>/dev/null");
  EXPECT_EQ(o.exit_code, 2);
}

TEST_F(CliTest, AccessionsFormatPrintsOnePerLine) {
  const Output o = RunEdgarix("query --db " + (*dir_ / "db").string() +
                              " --format accessions --limit 0 'form:8-K'");
  ASSERT_EQ(o.exit_code, 0);
  const auto jsonl = Query("'form:8-K'");
  size_t lines = 0;
  for (char c : o.out) lines += c == '\n';
  EXPECT_EQ(lines, jsonl.size());
}

}  // namespace
}  // namespace edgarix
