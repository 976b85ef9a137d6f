// Runs the real `edgarix` binary on the bundled sample: index, then the
// queries issue 3 names on the seed filings, checked through --format jsonl.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "test_paths.h"

namespace edgarix {
namespace {

namespace fs = std::filesystem;

struct Output {
  int exit_code = -1;
  std::string out;
};

// Runs `args` (already shell-quoted) with the edgarix binary; stderr passes through.
Output RunEdgarix(const std::string& args) {
  const std::string cmd = testing::EdgarixBinary().string() + " " + args;
  Output o;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return o;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) o.out.append(buf, n);
  const int status = pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

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
