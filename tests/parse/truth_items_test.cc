// Agreement with other tools on which sections filings have:
// - corpus/truth/edgar-crawler/8-K: the 8-K items edgar-crawler extracted;
// - corpus/truth/sec-parser-test-data: 10-Q and 10-K top-level sections.
// The truth files are read in place (GPL-3.0 packaging for edgar-crawler:
// test references only, never copied into the project).

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "edgarix/core/filing.h"
#include "edgarix/core/tokenizer.h"
#include "edgarix/parse/parser.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix::parse {
namespace {

namespace fs = std::filesystem;

using ::edgarix::testing::ReadFile;

std::string Join(const std::set<std::string>& s) {
  std::string out = "[";
  for (const std::string& x : s) {
    if (out.size() > 1) out += ",";
    out += x;
  }
  return out + "]";
}

// Share of the distinct words of `theirs` that also occur in `ours`.
double WordRecall(std::string_view ours, std::string_view theirs) {
  std::set<std::string> a;
  std::set<std::string> b;
  Tokenize(ours, [&](std::string_view t, uint32_t, uint32_t) { a.emplace(t); });
  Tokenize(theirs, [&](std::string_view t, uint32_t, uint32_t) { b.emplace(t); });
  if (b.empty()) return 1.0;
  size_t common = 0;
  for (const std::string& t : b) common += a.count(t);
  return static_cast<double>(common) / static_cast<double>(b.size());
}

class TruthItemsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parser = Parser::Create(ParseOptions{});
    ASSERT_OK(parser);
    parser_ = std::move(parser).value();
  }
  std::unique_ptr<Parser> parser_;
};

TEST_F(TruthItemsTest, EdgarCrawler8KItems) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const fs::path root = testing::SharedCorpus();
  const fs::path truth_dir = root / "truth" / "edgar-crawler" / "8-K";
  std::vector<fs::path> truths;
  for (const auto& e : fs::directory_iterator(truth_dir)) {
    if (e.path().extension() == ".json") truths.push_back(e.path());
  }
  std::sort(truths.begin(), truths.end());
  ASSERT_GT(truths.size(), 400u);

  size_t agree = 0;
  size_t header_wins = 0;
  std::vector<double> recalls;
  std::vector<std::string> report;
  for (const fs::path& truth_path : truths) {
    const nlohmann::json t = nlohmann::json::parse(ReadFile(truth_path));
    const std::string filename = t["filename"].get<std::string>();
    std::set<std::string> theirs;
    for (const auto& [key, value] : t.items()) {
      if (key.rfind("item_", 0) == 0 && value.is_string()) {
        const std::string& v = value.get_ref<const std::string&>();
        if (v.find_first_not_of(" \t\r\n") != std::string::npos) theirs.insert(key.substr(5));
      }
    }
    RawFiling raw;
    raw.source = (root / "filings" / "edgar-crawler-8k" / filename).string();
    raw.bytes = ReadFile(raw.source);
    // What the EDGAR index says about the filing, as a crawl would know it.
    raw.filed_hint = t.value("filing_date", "");
    raw.cik_hint = t.value("cik", "");
    raw.form_hint = t.value("filing_type", "8-K");
    auto parsed = parser_->Parse(raw);
    ASSERT_OK(parsed) << filename;
    const ParsedFiling& f = *parsed;
    const std::set<std::string> ours(f.items.begin(), f.items.end());
    std::set<std::string> body;
    for (const Section& s : f.sections) body.insert(s.id);

    if (ours == theirs) {
      ++agree;
      // How much of their item text our section holds.
      for (const Section& s : f.sections) {
        const auto it = t.find("item_" + s.id);
        if (it == t.end()) continue;
        for (const Document& d : f.documents) {
          if (d.sequence != s.document) continue;
          recalls.push_back(WordRecall(std::string_view(d.text).substr(s.begin, s.end - s.begin),
                                       it->get<std::string>()));
        }
      }
      continue;
    }
    std::string why;
    if (ours != body) {
      // The items came from the header (<ITEMS> or ITEM INFORMATION).
      ++header_wins;
      why = "header lists " + Join(ours) + "; the body headings are " + Join(body) +
            (body == theirs ? " (as edgar-crawler found)" : "") + "; the header wins";
    } else {
      why = "body headings " + Join(body) + " vs edgar-crawler " + Join(theirs);
    }
    report.push_back(filename + " (" + raw.filed_hint + "): ours " + Join(ours) +
                     ", edgar-crawler " + Join(theirs) + ": " + why);
  }
  const double share = static_cast<double>(agree) / static_cast<double>(truths.size());
  std::sort(recalls.begin(), recalls.end());
  const double median = recalls.empty() ? 0 : recalls[recalls.size() / 2];
  std::printf(
      "edgar-crawler 8-K items: %zu of %zu filings agree exactly (%.1f%%); %zu differ "
      "because the header wins; median word recall of their item text in our "
      "sections %.3f over %zu items\n",
      agree, truths.size(), 100.0 * share, header_wins, median, recalls.size());
  for (const std::string& line : report) std::printf("  differs: %s\n", line.c_str());
  EXPECT_GE(share, 0.97);
  EXPECT_GE(median, 0.9);
}

// "part2item1a" -> "II-1A".
std::string SecParserId(const std::string& id) {
  const std::string p1 = "part1item";
  const std::string p2 = "part2item";
  std::string out;
  if (id.rfind(p1, 0) == 0) {
    out = "I-" + id.substr(p1.size());
  } else if (id.rfind(p2, 0) == 0) {
    out = "II-" + id.substr(p2.size());
  } else {
    out = id;
  }
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

struct SecParserCase {
  fs::path document;
  fs::path truth_dir;
  std::string form;
};

std::vector<SecParserCase> SecParserCases(const std::string& form) {
  std::vector<SecParserCase> cases;
  const fs::path root = testing::SharedCorpus();
  const fs::path docs = root / "filings" / "sec-parser-test-data" / form;
  if (!fs::is_directory(docs)) return cases;
  for (const auto& e : fs::recursive_directory_iterator(docs)) {
    if (e.path().filename() != "primary-document.html") continue;
    const fs::path rel = fs::relative(e.path().parent_path(), root / "filings");
    cases.push_back({e.path(), root / "truth" / rel, form});
  }
  std::sort(cases.begin(), cases.end(),
            [](const SecParserCase& a, const SecParserCase& b) { return a.document < b.document; });
  return cases;
}

std::set<std::string> ExpectedSections(const fs::path& truth_dir) {
  std::set<std::string> ids;
  const nlohmann::json j =
      nlohmann::json::parse(ReadFile(truth_dir / "expected-top-level-sections.json"));
  for (const auto& s : j) {
    // Sections that tool lists with no text are absent from the filing.
    if (s.value("character_count", 0) > 0) ids.insert(SecParserId(s["identifier"]));
  }
  return ids;
}

TEST_F(TruthItemsTest, SecParser10QTopLevelSections) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const std::vector<SecParserCase> cases = SecParserCases("10-Q");
  ASSERT_GE(cases.size(), 4u);
  int human_reviewed = 0;
  for (const SecParserCase& c : cases) {
    SCOPED_TRACE(c.document.string());
    RawFiling raw;
    raw.source = c.document.string();
    raw.bytes = ReadFile(c.document);
    raw.form_hint = c.form;
    auto parsed = parser_->Parse(raw);
    ASSERT_OK(parsed);
    std::set<std::string> ours;
    for (const Section& s : parsed->sections) ours.insert(s.id);
    const std::set<std::string> expected = ExpectedSections(c.truth_dir);
    // The human-reviewed ones carry the full expected structure.
    const bool reviewed = fs::exists(c.truth_dir / "expected-structure-and-text.json");
    human_reviewed += reviewed ? 1 : 0;
    std::printf("10-Q %s%s: ours %s, sec-parser %s\n", c.truth_dir.filename().c_str(),
                reviewed ? " (human-reviewed)" : "", Join(ours).c_str(), Join(expected).c_str());
    EXPECT_EQ(ours, expected);
  }
  EXPECT_GE(human_reviewed, 4);
}

TEST_F(TruthItemsTest, SecParser10KItems) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const std::vector<SecParserCase> cases = SecParserCases("10-K");
  ASSERT_GE(cases.size(), 1u);
  // The items that tool knows; 1C, 9C and 16 are newer than its list.
  const std::set<std::string> vocabulary = {"1",  "1A", "1B", "2",  "3",  "4",  "5",
                                            "6",  "7",  "7A", "8",  "9",  "9A", "9B",
                                            "10", "11", "12", "13", "14", "15"};
  for (const SecParserCase& c : cases) {
    SCOPED_TRACE(c.document.string());
    RawFiling raw;
    raw.source = c.document.string();
    raw.bytes = ReadFile(c.document);
    raw.form_hint = c.form;
    auto parsed = parser_->Parse(raw);
    ASSERT_OK(parsed);
    std::set<std::string> ours;
    std::set<std::string> ours_in_vocabulary;
    for (const Section& s : parsed->sections) {
      ours.insert(s.id);
      if (vocabulary.count(s.id) > 0) ours_in_vocabulary.insert(s.id);
    }
    const std::set<std::string> expected = ExpectedSections(c.truth_dir);
    std::printf("10-K %s: ours %s, sec-parser %s\n", c.truth_dir.filename().c_str(),
                Join(ours).c_str(), Join(expected).c_str());
    EXPECT_EQ(ours_in_vocabulary, expected);
  }
}

}  // namespace
}  // namespace edgarix::parse
