#include "sections.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "edgarix/core/filing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "html_to_text.h"
#include "nlohmann/json.hpp"
#include "sections_internal.h"
#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix::parse {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using ::edgarix::testing::ReadFile;

std::vector<std::string> Ids(const std::vector<Section>& sections) {
  std::vector<std::string> ids;
  for (const Section& s : sections) ids.push_back(s.id);
  return ids;
}

std::string SectionText(std::string_view text, const Section& s) {
  return std::string(text.substr(s.begin, s.end - s.begin));
}

// Ordered, inside the text, non-empty, and non-overlapping except that the
// items of one combined heading share their range.
void ExpectWellFormed(std::string_view text, const std::vector<Section>& sections,
                      const std::string& what) {
  for (size_t i = 0; i < sections.size(); ++i) {
    const Section& s = sections[i];
    EXPECT_LT(s.begin, s.end) << what << " " << s.id;
    EXPECT_LE(s.end, text.size()) << what << " " << s.id;
    if (i == 0) continue;
    const Section& prev = sections[i - 1];
    const bool shared = prev.begin == s.begin && prev.end == s.end;
    EXPECT_TRUE(shared || prev.end <= s.begin) << what << " " << prev.id << " / " << s.id;
  }
}

class SectionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto splitter = SectionSplitter::Create();
    ASSERT_OK(splitter);
    splitter_ = std::move(splitter).value().release();
  }
  static void TearDownTestSuite() {
    delete splitter_;
    splitter_ = nullptr;
  }
  static std::vector<Section> Split(std::string_view text, SectionScheme scheme) {
    return splitter_->Split(text, scheme, 1);
  }
  static SectionSplitter* splitter_;
};

SectionSplitter* SectionsTest::splitter_ = nullptr;

SectionScheme SchemeNamed(const std::string& name) {
  if (name == "8-K") return SectionScheme::k8K;
  if (name == "8-K-old") return SectionScheme::k8KOld;
  if (name == "10-K") return SectionScheme::k10K;
  if (name == "10-Q") return SectionScheme::k10Q;
  if (name == "registration") return SectionScheme::kRegistration;
  return SectionScheme::kNone;
}

std::string RightTrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.pop_back();
  return s;
}

// Golden cases: tests/testdata/sections/<case>.sections.json beside
// <case>.txt / <case>.html (or a "text_file" relative to that folder).
TEST_F(SectionsTest, GoldenCases) {
  const fs::path dir = testing::TestData() / "sections";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const std::string suffix = ".sections.json";
    if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) {
      continue;
    }
    const std::string stem = name.substr(0, name.size() - suffix.size());
    SCOPED_TRACE(stem);
    const nlohmann::json golden = nlohmann::json::parse(ReadFile(entry.path()));
    fs::path input = dir / (stem + ".txt");
    if (golden.contains("text_file")) input = dir / golden["text_file"].get<std::string>();
    if (golden.value("html", false)) input = dir / (stem + ".html");
    ASSERT_TRUE(fs::exists(input)) << input;
    std::string text = ReadFile(input);
    if (golden.value("html", false)) text = HtmlToText(text);
    const std::vector<Section> got = Split(text, SchemeNamed(golden["scheme"]));
    ExpectWellFormed(text, got, stem);
    const auto& want = golden["sections"];
    ASSERT_EQ(got.size(), want.size()) << ::testing::PrintToString(Ids(got));
    for (size_t i = 0; i < got.size(); ++i) {
      SCOPED_TRACE(got[i].id);
      EXPECT_EQ(got[i].id, want[i]["id"].get<std::string>());
      EXPECT_EQ(got[i].title, want[i]["title"].get<std::string>());
      EXPECT_EQ(got[i].document, 1);
      const std::string body = SectionText(text, got[i]);
      const std::string starts = want[i]["starts_with"].get<std::string>();
      EXPECT_EQ(body.substr(0, starts.size()), starts) << body.substr(0, 80);
      const std::string ends = want[i]["ends_with"].get<std::string>();
      const std::string trimmed = RightTrim(body);
      ASSERT_GE(trimmed.size(), ends.size()) << trimmed;
      EXPECT_EQ(trimmed.substr(trimmed.size() - ends.size()), ends)
          << "... " << trimmed.substr(trimmed.size() > 80 ? trimmed.size() - 80 : 0);
    }
    ++cases;
  }
  EXPECT_GE(cases, 7);
}

TEST_F(SectionsTest, EmptyWhenNoHeading) {
  EXPECT_THAT(Split("", SectionScheme::k8K), IsEmpty());
  EXPECT_THAT(Split("just some text\nwith lines\n", SectionScheme::k10K), IsEmpty());
  EXPECT_THAT(Split("Item 2.02 Results", SectionScheme::kNone), IsEmpty());
}

TEST_F(SectionsTest, TableOfContentsDoesNotStartSections) {
  const std::string text =
      "Item 1.\tBusiness\t3\nItem 1A.\tRisk Factors\t7\nItem 2.\tProperties\t9\n\n"
      "Item 1. Business\nWe make things. " +
      std::string(300, 'x') +
      "\n"
      "Item 1A. Risk Factors\nThings may go wrong. " +
      std::string(300, 'y') +
      "\n"
      "Item 2. Properties\nWe own a building.\n";
  const std::vector<Section> got = Split(text, SectionScheme::k10K);
  ASSERT_THAT(Ids(got), ElementsAre("1", "1A", "2"));
  EXPECT_EQ(text.substr(got[0].begin, 16), "Item 1. Business");
  EXPECT_EQ(got[0].title, "Business");
}

TEST_F(SectionsTest, BodyHeadingsWinOverContentsEntries) {
  // The body repeats the items with substantial text: the body wins even
  // though the contents come first and list more items.
  std::string text = "CONTENTS\n";
  for (const char* id : {"1", "2", "3", "4", "5", "6", "7", "8"}) {
    text += std::string("Item ") + id + ". Heading " + id + "\t" + id + "\n";
  }
  text += "\nItem 7. Management's Discussion\n" + std::string(2000, 'm') + "\n";
  text += "Item 8. Financial Statements\n" + std::string(2000, 'f') + "\n";
  const std::vector<Section> got = Split(text, SectionScheme::k10K);
  // 1..6 exist only in the contents, which start no section.
  ASSERT_THAT(Ids(got), ElementsAre("7", "8"));
  EXPECT_EQ(text.substr(got[0].begin, 31), "Item 7. Management's Discussion");
  EXPECT_GT(got[1].end - got[1].begin, 2000u);
}

TEST_F(SectionsTest, ShortItemsAtTheEndOfABodyAreNotContents) {
  const std::string text =
      "PART II\nItem 1.\tLegal Proceedings\t20\nItem 3.\tDefaults\t21\nItem 4.\tMine Safety\t21\n"
      "Item 5.\tOther\t21\n\nPART II\nItem 1. Legal Proceedings\n" +
      std::string(500, 'l') +
      "\nItem 3. Defaults Upon Senior Securities\nNone.\n"
      "Item 4. Mine Safety Disclosures\nNot applicable.\nItem 5. Other Information\nNone.\n";
  const std::vector<Section> got = Split(text, SectionScheme::k10Q);
  ASSERT_THAT(Ids(got), ElementsAre("II-1", "II-3", "II-4", "II-5"));
  EXPECT_EQ(SectionText(text, got[1]), "Item 3. Defaults Upon Senior Securities\nNone.\n");
}

TEST_F(SectionsTest, CrossReferencesInRunningTextAreIgnored) {
  const std::string text =
      "Item 1. Business\nWe refer to the discussion in\n"
      "Item 7 of this report and to\n"
      "Item 1A, \"Risk Factors\", for more.\n"
      "see Item 1A below\n"
      "Item 1A. Risk Factors\nRisks.\n";
  EXPECT_THAT(Ids(Split(text, SectionScheme::k10K)), ElementsAre("1", "1A"));
}

TEST_F(SectionsTest, HeadingMustStartALine) {
  const std::string text = "The Company reports under Item 2.02 Results of Operations.\n";
  EXPECT_THAT(Split(text, SectionScheme::k8K), IsEmpty());
}

TEST_F(SectionsTest, Tolerates8KHeadingVariants) {
  for (const char* heading :
       {"Item 2.02 Results", "ITEM 2.02 RESULTS", "Item 2. 02 Results", "Item 2.02. Results",
        "Item 2.02: Results", "Item 2.02 - Results", "Item 2.2 Results", "  \tItem 2.02\tResults",
        "Item\xc2\xa0"
        "2.02 Results",
        "Item 2.02\xe2\x80\x94Results"}) {
    SCOPED_TRACE(heading);
    const std::string text = std::string(heading) + "\nbody text\n";
    const std::vector<Section> got = Split(text, SectionScheme::k8K);
    ASSERT_THAT(Ids(got), ElementsAre("2.02"));
    EXPECT_EQ(got[0].title.substr(0, 7),
              std::string(heading).find("RESULTS") != std::string::npos ? "RESULTS" : "Results");
  }
}

TEST_F(SectionsTest, CombinedHeadingsShareTheirRange) {
  const std::string text =
      "Items 2.02, 7.01 and 9.01. Results; Disclosure; Exhibits\nbody\nItem 8.01 Other Events\nx\n";
  const std::vector<Section> got = Split(text, SectionScheme::k8K);
  ASSERT_THAT(Ids(got), ElementsAre("2.02", "7.01", "9.01", "8.01"));
  EXPECT_EQ(got[0].begin, got[1].begin);
  EXPECT_EQ(got[1].end, got[2].end);
  EXPECT_EQ(got[0].title, "Results; Disclosure; Exhibits");
  EXPECT_EQ(got[2].end, got[3].begin);
}

TEST_F(SectionsTest, LineWrappedHeadings) {
  const std::string text = "ITEM\n5.02\nDeparture of Directors\nMr. X resigned.\n";
  const std::vector<Section> got = Split(text, SectionScheme::k8K);
  ASSERT_THAT(Ids(got), ElementsAre("5.02"));
  EXPECT_EQ(got[0].title, "Departure of Directors");
  EXPECT_EQ(got[0].begin, 0u);
}

TEST_F(SectionsTest, LastEightKItemEndsAtSignatures) {
  const std::string text = "Item 9.01 Exhibits\n99.1 Press release\n\n  SIGNATURES\nBy: /s/ X\n";
  const std::vector<Section> got = Split(text, SectionScheme::k8K);
  ASSERT_THAT(Ids(got), ElementsAre("9.01"));
  EXPECT_EQ(SectionText(text, got[0]), "Item 9.01 Exhibits\n99.1 Press release\n\n  ");
}

TEST_F(SectionsTest, OldNumberingDoesNotTakeNewCodes) {
  const std::string text =
      "Item 5. Other Events\nx\nItem 7. Financial Statements and Exhibits\ny\n";
  EXPECT_THAT(Ids(Split(text, SectionScheme::k8KOld)), ElementsAre("5", "7"));
  // Asked for the new vocabulary, the splitter falls back to the old one.
  EXPECT_THAT(Ids(Split(text, SectionScheme::k8K)), ElementsAre("5", "7"));
  const std::string new_text = "Item 5.02 Departure\nx\nItem 12. Results\n";
  EXPECT_THAT(Ids(Split(new_text, SectionScheme::k8K)), ElementsAre("5.02"));
  EXPECT_THAT(Ids(Split("Item 12. Results of Operations\nx\n", SectionScheme::k8KOld)),
              ElementsAre("12"));
  EXPECT_THAT(Ids(Split("Item 13. Nothing\nx\n", SectionScheme::k8KOld)), IsEmpty());
}

TEST_F(SectionsTest, TenQItemsAreKeyedByPart) {
  const std::string text =
      "PART I. FINANCIAL INFORMATION\nItem 1. Financial Statements\na\nItem 2. MD&A\nb\n"
      "PART II - OTHER INFORMATION\nItem 1. Legal Proceedings\nc\nItem 1A. Risk Factors\nd\n"
      "Item 2. Unregistered Sales\ne\n";
  EXPECT_THAT(Ids(Split(text, SectionScheme::k10Q)),
              ElementsAre("I-1", "I-2", "II-1", "II-1A", "II-2"));
}

TEST_F(SectionsTest, TenQPartsInferredWhenHeadingsAreMissing) {
  const std::string text =
      "Item 1. Financial Statements\na\nItem 4. Controls and Procedures\nb\n"
      "Item 1. Legal Proceedings\nc\nItem 1A. Risk Factors\nd\nItem 6. Exhibits\ne\n";
  EXPECT_THAT(Ids(Split(text, SectionScheme::k10Q)),
              ElementsAre("I-1", "I-4", "II-1", "II-1A", "II-6"));
}

TEST_F(SectionsTest, PartReferencesInParagraphsDoNotSwitchParts) {
  const std::string text =
      "PART I\nItem 1. Financial Statements\na\n"
      "Part II, Item 1A of our annual report describes risks that could affect our results of "
      "operations and financial condition in ways we cannot predict today.\n"
      "Item 2. MD&A\nb\n";
  EXPECT_THAT(Ids(Split(text, SectionScheme::k10Q)), ElementsAre("I-1", "I-2"));
}

TEST_F(SectionsTest, RegistrationPartOneAndTwo) {
  const std::string text =
      "PART I\nINFORMATION REQUIRED IN THE SECTION 10(a) PROSPECTUS\nItem 1. Plan Information\n"
      "a\nItem 2. Registrant Information\nb\nPART II\nItem 3. Incorporation of Documents by "
      "Reference\nc\nItem 8. Exhibits\nd\nSIGNATURES\n";
  const std::vector<Section> got = Split(text, SectionScheme::kRegistration);
  EXPECT_THAT(Ids(got), ElementsAre("I-1", "I-2", "II-3", "II-8"));
  EXPECT_EQ(SectionText(text, got.back()), "Item 8. Exhibits\nd\n");
}

TEST_F(SectionsTest, TenKVariants) {
  const std::string text =
      "ITEMS 1 AND 2. BUSINESS AND PROPERTIES\na\nItem 1B Unresolved Staff Comments\nb\n"
      "ITEM 9A(T). CONTROLS\nc\nItem 9 B. Other Information\nd\nItem 10. Directors\ne\n"
      "Item 16. Form 10-K Summary\nf\nItem 17. Not an item\n";
  const std::string and_item =
      "Item 1. Business and Item 2. Properties\na\nItem 3. Legal Proceedings and Item 19. X\nb\n";
  EXPECT_THAT(Ids(Split(text, SectionScheme::k10K)),
              ElementsAre("1", "2", "1B", "9A", "9B", "10", "16"));
  EXPECT_THAT(Ids(Split(and_item, SectionScheme::k10K)), ElementsAre("1", "2", "3"));
}

TEST_F(SectionsTest, HostileInputIsBounded) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "Item 1.\n";
  const std::vector<Section> got = Split(text, SectionScheme::k10K);
  EXPECT_EQ(got.size(), 1u);
  std::string long_line(10 << 20, 'I');
  EXPECT_THAT(Split(long_line, SectionScheme::k8K), IsEmpty());
  // A heading on a line of 20 MB: only its start is looked at.
  std::string long_heading = "Item 2.02 Results " + std::string(20 << 20, 'x');
  const std::vector<Section> one = Split(long_heading, SectionScheme::k8K);
  ASSERT_THAT(Ids(one), ElementsAre("2.02"));
  EXPECT_LE(one[0].title.size(), 200u);
  EXPECT_EQ(one[0].end, long_heading.size());
  // Many short heading-like lines.
  std::string many;
  for (int i = 0; i < 300000; ++i) many += "Item 2.02 X\nItem 1. X\nPART II\nSIGNATURES\n";
  EXPECT_LE(Split(many, SectionScheme::k8K).size(), internal::kMaxHeadings);
  EXPECT_LE(Split(many, SectionScheme::k10Q).size(), internal::kMaxHeadings);
}

// The fast path (prefilter + RE2::Set) must find exactly what a naive
// line-by-line matcher with one RE2 per pattern finds.
class DifferentialTest : public ::testing::Test {
 protected:
  void Compare(const std::string& name, std::string_view text) {
    for (SectionScheme scheme : {SectionScheme::k8K, SectionScheme::k8KOld, SectionScheme::k10K,
                                 SectionScheme::k10Q, SectionScheme::kRegistration}) {
      const auto fast = finder_->Find(text, scheme, internal::FindMode::kFast);
      const auto naive = finder_->Find(text, scheme, internal::FindMode::kNaive);
      ASSERT_EQ(fast.size(), naive.size()) << name << " scheme " << static_cast<int>(scheme);
      for (size_t i = 0; i < fast.size(); ++i) {
        EXPECT_EQ(fast[i].begin, naive[i].begin) << name;
        EXPECT_EQ(fast[i].ids, naive[i].ids) << name;
        EXPECT_EQ(fast[i].title, naive[i].title) << name;
        EXPECT_EQ(fast[i].kind, naive[i].kind) << name;
      }
      const auto fast_split = finder_->Split(text, scheme, 1, internal::FindMode::kFast);
      const auto naive_split = finder_->Split(text, scheme, 1, internal::FindMode::kNaive);
      ASSERT_EQ(Ids(fast_split), Ids(naive_split)) << name;
      for (size_t i = 0; i < fast_split.size(); ++i) {
        EXPECT_EQ(fast_split[i].begin, naive_split[i].begin) << name;
        EXPECT_EQ(fast_split[i].end, naive_split[i].end) << name;
      }
      ExpectWellFormed(text, fast_split, name);
      headings_ += fast.size();
    }
    ++documents_;
  }

  void CompareFolder(const fs::path& dir, size_t max_files) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    // An even spread when the folder holds more than max_files.
    const size_t step = files.size() > max_files ? files.size() / max_files + 1 : 1;
    for (size_t i = 0; i < files.size(); i += step) {
      const std::string raw = ReadFile(files[i]);
      const std::string text = LooksLikeHtml(raw) ? HtmlToText(raw) : raw;
      Compare(files[i].string(), text);
    }
  }

  void SetUp() override {
    auto finder = internal::HeadingFinder::Create();
    ASSERT_OK(finder);
    finder_ = std::move(finder).value();
  }

  std::unique_ptr<internal::HeadingFinder> finder_;
  size_t documents_ = 0;
  size_t headings_ = 0;
};

TEST_F(DifferentialTest, ProjectTestData) {
  CompareFolder(testing::TestData() / "filings", 100);
  CompareFolder(testing::TestData() / "sections", 100);
  EXPECT_GT(headings_, 50u);
}

TEST_F(DifferentialTest, SharedCorpus) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const fs::path root = testing::SharedCorpus() / "filings";
  CompareFolder(root / "edgar-crawler-8k", 120);
  CompareFolder(root / "sec-parser-test-data", 20);
  CompareFolder(root / "docs", 60);
  std::cout << "differential: " << documents_ << " documents, " << headings_ << " headings\n";
  EXPECT_GT(headings_, 1000u);
}

TEST_F(DifferentialTest, RandomHeadingSoup) {
  static const char* const kPieces[] = {
      "Item", "ITEMS",      "item",       " ",       "\t",           "\n", "2",
      ".",    "02",         "1A",         "9A(T)",   " and ",        ", ", "PART",
      " II",  " I",         "SIGNATURES", "S I G N", "Results",      "of", "\xc2\xa0",
      "-",    ":",          "12",         "7",       "\xe2\x80\x94", "x",  "16",
      "&",    "Item 2.02 ", "Part II. ",  "\n\n"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) text += kPieces[pick(rng)];
    Compare("soup " + std::to_string(round), text);
  }
}

TEST_F(DifferentialTest, EdgeLines) {
  Compare("edges",
          "item\nItem\n\nItems\n9.01\nS I G N A T U R E S\nsignature\nSignatures:\npart iv\n"
          "PART\xc2\xa0II\nitem 1a\nITEM 2.021\nIt\nIte\nI\n\xc2\xa0\xc2\xa0Item 3\n"
          "Part 2 - other\nSIGNATURE of officer\nItem 7 and 8\nItem 2.02 & 9.01\n");
}

TEST(SchemeFor, Forms) {
  EXPECT_EQ(SchemeFor("8-K", "2010-08-18"), SectionScheme::k8K);
  EXPECT_EQ(SchemeFor("8-K", "2004-08-20"), SectionScheme::k8KOld);
  EXPECT_EQ(SchemeFor("8-K/A", "1999-01-01"), SectionScheme::k8KOld);
  EXPECT_EQ(SchemeFor("8-K12B", "2010-01-01"), SectionScheme::k8K);
  EXPECT_EQ(SchemeFor("8-K", ""), SectionScheme::k8K);
  EXPECT_EQ(SchemeFor("10-K", ""), SectionScheme::k10K);
  EXPECT_EQ(SchemeFor("10-K405", ""), SectionScheme::k10K);
  EXPECT_EQ(SchemeFor("10-KSB", ""), SectionScheme::k10K);
  EXPECT_EQ(SchemeFor("10-KT", ""), SectionScheme::k10K);
  EXPECT_EQ(SchemeFor("10-Q", ""), SectionScheme::k10Q);
  EXPECT_EQ(SchemeFor("10-QSB", ""), SectionScheme::k10Q);
  for (const char* form :
       {"S-1", "S-3", "S-4", "S-8", "S-11", "F-1", "F-3", "F-4", "S-1/A", "SB-2", "S-8 POS"}) {
    EXPECT_EQ(SchemeFor(form, "2003-09-26"), SectionScheme::kRegistration) << form;
  }
  EXPECT_EQ(SchemeFor("4", ""), SectionScheme::kNone);
  EXPECT_EQ(SchemeFor("SC 13G", ""), SectionScheme::kNone);
  EXPECT_EQ(SchemeFor("", ""), SectionScheme::kNone);
}

TEST(ItemVocabulary, UsesOldItemNumbering) {
  EXPECT_TRUE(UsesOldItemNumbering("2004-08-22"));
  EXPECT_FALSE(UsesOldItemNumbering("2004-08-23"));
  EXPECT_TRUE(UsesOldItemNumbering("1994-01-05"));
  EXPECT_FALSE(UsesOldItemNumbering("2010-08-18"));
  EXPECT_TRUE(UsesOldItemNumbering("20040301"));
  EXPECT_FALSE(UsesOldItemNumbering(""));
}

TEST(ItemVocabulary, NormalizeItemCode) {
  EXPECT_EQ(NormalizeItemCode("2. 02"), "2.02");
  EXPECT_EQ(NormalizeItemCode("2.2"), "2.02");
  EXPECT_EQ(NormalizeItemCode("2.02."), "2.02");
  EXPECT_EQ(NormalizeItemCode(" 9.01 "), "9.01");
  EXPECT_EQ(NormalizeItemCode("6.10"), "6.10");
  EXPECT_EQ(NormalizeItemCode("1.05"), "1.05");
  EXPECT_EQ(NormalizeItemCode("05"), "5");
  EXPECT_EQ(NormalizeItemCode("12"), "12");
  EXPECT_EQ(NormalizeItemCode("13"), "");
  EXPECT_EQ(NormalizeItemCode("0"), "");
  EXPECT_EQ(NormalizeItemCode("2.07"), "");
  EXPECT_EQ(NormalizeItemCode("1A"), "");
  EXPECT_EQ(NormalizeItemCode(""), "");
  EXPECT_EQ(NormalizeItemCode("abc"), "");
}

TEST(ItemVocabulary, EventForItem) {
  EXPECT_EQ(EventForItem("5"), "8.01");
  EXPECT_EQ(EventForItem("7"), "9.01");
  EXPECT_EQ(EventForItem("12"), "2.02");
  EXPECT_EQ(EventForItem("1"), "5.01");
  EXPECT_EQ(EventForItem("2"), "2.01");
  EXPECT_EQ(EventForItem("3"), "1.03");
  EXPECT_EQ(EventForItem("4"), "4.01");
  EXPECT_EQ(EventForItem("6"), "5.02");
  EXPECT_EQ(EventForItem("8"), "5.03");
  EXPECT_EQ(EventForItem("9"), "7.01");
  EXPECT_EQ(EventForItem("10"), "5.05");
  EXPECT_EQ(EventForItem("11"), "5.04");
  EXPECT_EQ(EventForItem("2.02"), "2.02");
  EXPECT_EQ(EventForItem("2. 02"), "2.02");
  EXPECT_EQ(EventForItem("13"), "");
  EXPECT_EQ(EventForItem("x"), "");
}

TEST(ItemVocabulary, ItemCodeForTitle) {
  EXPECT_EQ(ItemCodeForTitle("Results of Operations and Financial Condition"), "2.02");
  EXPECT_EQ(ItemCodeForTitle("results of operations and  financial condition"), "2.02");
  EXPECT_EQ(ItemCodeForTitle("Financial Statements and Exhibits"), "9.01");
  EXPECT_EQ(ItemCodeForTitle("Financial statements and exhibits"), "9.01");
  EXPECT_EQ(ItemCodeForTitle("Other events"), "8.01");
  EXPECT_EQ(ItemCodeForTitle("Regulation FD Disclosure"), "7.01");
  EXPECT_EQ(ItemCodeForTitle("Entry into a Material Definitive Agreement"), "1.01");
  EXPECT_EQ(ItemCodeForTitle("Acquisition or disposition of assets"), "2.01");
  EXPECT_EQ(ItemCodeForTitle("Changes in control of registrant"), "5.01");
  EXPECT_EQ(ItemCodeForTitle("Departure of Directors or Principal Officers; Election of "
                             "Directors; Appointment of Principal Officers"),
            "5.02");
  EXPECT_EQ(ItemCodeForTitle("Departure of Directors or Certain Officers; Election of Directors; "
                             "Appointment of Certain Officers: Compensatory Arrangements of "
                             "Certain Officers"),
            "5.02");
  EXPECT_EQ(ItemCodeForTitle("Cost Associated with Exit or Disposal Activities"), "2.05");
  EXPECT_EQ(ItemCodeForTitle("Changes in Registrant\xe2\x80\x99s Certifying Accountant"), "4.01");
  EXPECT_EQ(ItemCodeForTitle("Submission of Matters to a Vote of Security Holders"), "5.07");
  EXPECT_EQ(ItemCodeForTitle("Mine Safety \xe2\x80\x93 Reporting of Shutdowns and Patterns of "
                             "Violations"),
            "1.04");
  EXPECT_EQ(ItemCodeForTitle(""), "");
  EXPECT_EQ(ItemCodeForTitle("7"), "");
  EXPECT_EQ(ItemCodeForTitle("Something else entirely"), "");
}

}  // namespace
}  // namespace edgarix::parse
