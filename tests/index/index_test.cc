// Write -> reopen -> query tests of IndexWriter and Searcher.

#include <algorithm>
#include <string>
#include <vector>

#include "edgarix/index/searcher.h"
#include "edgarix/index/writer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index_fixtures.h"
#include "query_ast.h"
#include "search_engine.h"
#include "status_matchers.h"

namespace edgarix::index {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::AddSection;
using testing::Keys;
using testing::MakeFiling;
using testing::Query;
using testing::TempDir;
using testing::WriteAll;

constexpr char kA[] = "0000000001-10-000001";  // 8-K SanDisk 2010
constexpr char kB[] = "0000000002-04-000002";  // 10-K Innovo 2004
constexpr char kC[] = "0000000003-03-000003";  // 8-K Innovo 2003, old item 12
constexpr char kE[] = "0000000005-09-000005";  // 10-Q/A other company 2009

std::vector<ParsedFiling> Corpus() {
  std::vector<ParsedFiling> out;
  {
    auto f = MakeFiling(kA, "8-K", "2010-08-18", "1000180", "SANDISK CORP",
                        {{"8-K", "Item 9.01 Financial Statements and Exhibits. The company "
                                 "reported quarterly dividend results."},
                         {"EX-99.1", "Press release: SanDisk announces record revenue and a "
                                     "dividend increase."}});
    f.parties[0].sic = "3572";
    f.parties[0].business_state = "CA";
    f.parties[0].irs = "770191793";
    f.items = {"9.01"};
    f.events = {"9.01"};
    AddSection(f, "9.01", 1, "Item 9.01");
    out.push_back(std::move(f));
  }
  {
    auto f = MakeFiling(kB, "10-K", "2004-03-01", "803164", "INNOVO GROUP INC",
                        {{"10-K", "Annual report. Item 1A. Risk Factors. Our business faces "
                                  "competition risk. Item 7. Management discussion of revenue "
                                  "growth."}});
    f.parties[0].former_names = {"NASCO PRODUCTS INC"};
    f.parties[0].irs = "112233445";
    f.parties[0].sic = "2300";
    f.parties[0].business_state = "TN";
    AddSection(f, "1A", 1, "Item 1A", "Item 7");
    AddSection(f, "7", 1, "Item 7");
    out.push_back(std::move(f));
  }
  {
    auto f = MakeFiling(kC, "8-K", "2003-05-01", "803164", "INNOVO GROUP INC",
                        {{"8-K", "Item 12. Results of Operations and Financial Condition. "
                                 "Blue Concepts division revenue."}});
    f.items = {"12"};
    f.events = {"2.02"};
    AddSection(f, "12", 1, "Item 12");
    out.push_back(std::move(f));
  }
  {
    // A bare document: no accession, no CIK; the IRS number names Innovo.
    auto f = MakeFiling("", "S-8", "2005-06-01", "", "Innovo Group Inc",
                        {{"S-8", "Registration statement for the Employee Stock Incentive "
                                 "Plan of the company."}});
    f.parties[0].irs = "112233445";
    out.push_back(std::move(f));
  }
  {
    auto f = MakeFiling(kE, "10-Q/A", "2009-11-02", "2000", "OTHER CO",
                        {{"10-Q/A", "Quarterly report amendment. Nothing about the other "
                                    "words. Figures restated."}});
    f.parties[0].business_state = "NY";
    out.push_back(std::move(f));
  }
  return out;
}

std::string BareKey() {
  // The bare S-8 is known by its source in Keys().
  return "test/Innovo Group Inc.txt";
}

class IndexTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    db_ = dir_.Sub("db");
    WriterOptions o;
    o.ingest_sst = GetParam();
    o.batch_max_filings = 3;  // two segments
    ASSERT_OK(WriteAll(db_, Corpus(), o));
    auto s = Searcher::Open({db_});
    ASSERT_OK(s);
    searcher_ = std::move(*s);
  }
  TempDir dir_;
  std::string db_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_P(IndexTest, TermQueries) {
  EXPECT_THAT(Keys(*searcher_, "dividend"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "revenue"), ElementsAre(kA, kB, kC));
  EXPECT_THAT(Keys(*searcher_, "REVENUE"), ElementsAre(kA, kB, kC));
  EXPECT_THAT(Keys(*searcher_, "nonexistentword"), IsEmpty());
}

TEST_P(IndexTest, BooleanQueries) {
  EXPECT_THAT(Keys(*searcher_, "revenue dividend"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "competition OR blue"), ElementsAre(kB, kC));
  EXPECT_THAT(Keys(*searcher_, "revenue -dividend"), ElementsAre(kB, kC));
  EXPECT_THAT(Keys(*searcher_, "revenue NOT dividend"), ElementsAre(kB, kC));
  EXPECT_THAT(Keys(*searcher_, "NOT revenue"), ElementsAre(kE, BareKey()));
  EXPECT_THAT(Keys(*searcher_, "(competition OR blue) revenue -growth"), ElementsAre(kC));
}

TEST_P(IndexTest, PhraseQueries) {
  EXPECT_THAT(Keys(*searcher_, "\"blue concepts\""), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "\"concepts blue\""), IsEmpty());
  EXPECT_THAT(Keys(*searcher_, "\"employee stock incentive plan\""), ElementsAre(BareKey()));
  // Phrases do not span two documents of a filing.
  EXPECT_THAT(Keys(*searcher_, "\"results press\""), IsEmpty());
  EXPECT_THAT(Keys(*searcher_, "\"blue conc*\""), ElementsAre(kC));
}

TEST_P(IndexTest, NearQueriesBothOrders) {
  // "faces competition risk": faces..risk are 2 apart.
  EXPECT_THAT(Keys(*searcher_, "faces NEAR/1 risk"), IsEmpty());
  EXPECT_THAT(Keys(*searcher_, "faces NEAR/2 risk"), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "risk NEAR/2 faces"), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "\"blue concepts\" NEAR/2 revenue"), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "revenue NEAR/5 \"blue concepts\""), ElementsAre(kC));
}

TEST_P(IndexTest, PrefixQueries) {
  EXPECT_THAT(Keys(*searcher_, "divid*"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "compet*"), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "reven* compet*"), ElementsAre(kB));
}

TEST_P(IndexTest, FieldQueries) {
  EXPECT_THAT(Keys(*searcher_, "form:8-K"), ElementsAre(kA, kC));
  EXPECT_THAT(Keys(*searcher_, "form:10-q/a"), ElementsAre(kE));
  EXPECT_THAT(Keys(*searcher_, "rootform:10-Q"), ElementsAre(kE));
  EXPECT_THAT(Keys(*searcher_, "form:10-Q"), IsEmpty());
  // The bare S-8 got Innovo's CIK through its IRS number.
  EXPECT_THAT(Keys(*searcher_, "cik:803164"), ElementsAre(kB, kC, BareKey()));
  EXPECT_THAT(Keys(*searcher_, "cik:0000803164"), ElementsAre(kB, kC, BareKey()));
  EXPECT_THAT(Keys(*searcher_, "company:\"innovo group\""), ElementsAre(kB, kC, BareKey()));
  EXPECT_THAT(Keys(*searcher_, "company:\"group innovo\""), IsEmpty());
  // A former name finds every filing of the registrant.
  EXPECT_THAT(Keys(*searcher_, "company:\"nasco products\""), ElementsAre(kB, kC, BareKey()));
  EXPECT_THAT(Keys(*searcher_, "company:sandisk"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "event:2.02"), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "item:12"), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "event:9.01"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "filed:2004-01-01..2004-12-31"), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "filed:2004-01-01..2005-06-01"), ElementsAre(kB, BareKey()));
  EXPECT_THAT(Keys(*searcher_, "filed:..2003-12-31"), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "filed:2009-11-02"), ElementsAre(kE));
  EXPECT_THAT(Keys(*searcher_, "year:2010"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "sic:3572"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "state:ca"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "doc:EX-99*"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "doc:ex-99.1"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "company:\"innovo group\" event:2.02"), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "form:S-8 \"Employee Stock Incentive Plan\""),
              ElementsAre(BareKey()));
}

TEST_P(IndexTest, SectionAndDocumentScopes) {
  EXPECT_THAT(Keys(*searcher_, "in:1A risk"), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "in:7 risk"), IsEmpty());
  EXPECT_THAT(Keys(*searcher_, "in:7 revenue"), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "in:1A revenue"), IsEmpty());
  EXPECT_THAT(Keys(*searcher_, "in:1A \"competition risk\""), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "in:10-K/7 revenue"), ElementsAre(kB));
  EXPECT_THAT(Keys(*searcher_, "in:8-K/7 revenue"), IsEmpty());
  EXPECT_THAT(Keys(*searcher_, "in:12 revenue"), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "doc:EX-99.1 revenue"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "doc:8-K revenue"), ElementsAre(kC));
  EXPECT_THAT(Keys(*searcher_, "doc:8-K dividend"), ElementsAre(kA));
  EXPECT_THAT(Keys(*searcher_, "doc:EX-99* dividend NEAR/3 increase"), ElementsAre(kA));
}

TEST_P(IndexTest, HitsCarryRecordFieldsBestDocumentAndSnippet) {
  SearchOptions o;
  o.snippets = 2;
  auto hits = Query(*searcher_, "\"Blue Concepts\" form:8-K", o);
  ASSERT_EQ(hits.size(), 1u);
  const Hit& h = hits[0];
  EXPECT_EQ(h.accession, kC);
  EXPECT_EQ(h.form, "8-K");
  EXPECT_EQ(h.filed, "2003-05-01");
  EXPECT_EQ(h.cik, "803164");
  EXPECT_EQ(h.company, "INNOVO GROUP INC");
  EXPECT_THAT(h.events, ElementsAre("2.02"));
  EXPECT_EQ(h.document, 1);
  EXPECT_EQ(h.document_type, "8-K");
  EXPECT_EQ(h.section, "12");
  EXPECT_GT(h.score, 0);
  ASSERT_EQ(h.snippets.size(), 1u);
  EXPECT_NE(h.snippets[0].text.find("Blue Concepts"), std::string::npos) << h.snippets[0].text;
  ASSERT_EQ(h.snippets[0].highlights.size(), 2u);
  const auto& hl = h.snippets[0].highlights;
  EXPECT_EQ(h.snippets[0].text.substr(hl[0].begin, hl[0].end - hl[0].begin), "Blue");
  EXPECT_EQ(h.snippets[0].text.substr(hl[1].begin, hl[1].end - hl[1].begin), "Concepts");

  // The best document is the one with most matches.
  hits = Query(*searcher_, "revenue increase announces", o);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].document, 2);
  EXPECT_EQ(hits[0].document_type, "EX-99.1");
}

TEST_P(IndexTest, ScoreOrderDateOrderLimitOffset) {
  SearchOptions o;
  o.limit = 0;
  o.snippets = 0;
  auto hits = Query(*searcher_, "revenue", o);
  ASSERT_EQ(hits.size(), 3u);
  for (size_t i = 1; i < hits.size(); ++i) {
    EXPECT_TRUE(hits[i - 1].score > hits[i].score ||
                (hits[i - 1].score == hits[i].score && hits[i - 1].accession < hits[i].accession));
  }
  o.sort = SortOrder::kDate;
  hits = Query(*searcher_, "revenue", o);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].accession, kA);
  EXPECT_EQ(hits[1].accession, kB);
  EXPECT_EQ(hits[2].accession, kC);

  // A facet-only query: every score ties; order by accession.
  o.sort = SortOrder::kScore;
  hits = Query(*searcher_, "form:8-K OR form:10-K", o);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].accession, kA);
  EXPECT_EQ(hits[1].accession, kB);
  EXPECT_EQ(hits[2].accession, kC);

  o.limit = 1;
  o.offset = 1;
  SearchResult result;
  hits = Query(*searcher_, "form:8-K OR form:10-K", o, &result);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].accession, kB);
  EXPECT_EQ(result.total_hits, 3u);
  o.offset = 5;
  hits = Query(*searcher_, "form:8-K OR form:10-K", o, &result);
  EXPECT_TRUE(hits.empty());
  EXPECT_EQ(result.total_hits, 3u);
}

TEST_P(IndexTest, FacetCounts) {
  SearchOptions o;
  o.facets = {"form", "year", "cik", "event", "doc"};
  SearchResult result;
  Query(*searcher_, "revenue", o, &result);
  ASSERT_EQ(result.facets.size(), 5u);
  EXPECT_EQ(result.facets[0].first, "form");
  const auto& form = result.facets[0].second;
  ASSERT_EQ(form.size(), 2u);
  EXPECT_EQ(form[0].value, "8-K");
  EXPECT_EQ(form[0].count, 2u);
  EXPECT_EQ(form[1].value, "10-K");
  EXPECT_EQ(form[1].count, 1u);
  EXPECT_EQ(result.facets[1].second.size(), 3u);  // 2003, 2004, 2010
  const auto& cik = result.facets[2].second;
  ASSERT_EQ(cik.size(), 2u);
  EXPECT_EQ(cik[0].value, "803164");
  EXPECT_EQ(cik[0].count, 2u);
  SearchOptions bad;
  bad.facets = {"color"};
  EXPECT_FALSE(searcher_->Search("revenue", bad, nullptr).ok());
}

TEST_P(IndexTest, GroupByDocument) {
  SearchOptions o;
  o.limit = 0;
  o.group_by = GroupBy::kDocument;
  SearchResult result;
  auto hits = Query(*searcher_, "dividend", o, &result);
  EXPECT_EQ(result.total_hits, 2u);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].document, 1);
  EXPECT_EQ(hits[1].document, 2);
}

TEST_P(IndexTest, MalformedQueryPointsAtPosition) {
  auto r = searcher_->Search("revenue (blue", SearchOptions(), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().substr(0, 12), "at position ");
}

TEST_P(IndexTest, Stats) {
  auto stats = searcher_->Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->filings, 5u);
  EXPECT_EQ(stats->parties, 3u);  // 1000180, 803164, 2000
  EXPECT_GT(stats->terms, 30u);
  EXPECT_GT(stats->postings, 50u);
  EXPECT_GT(stats->bytes_on_disk, 0u);
  ASSERT_FALSE(stats->by_form.empty());
  EXPECT_EQ(stats->by_form[0].value, "8-K");
  EXPECT_EQ(stats->by_form[0].count, 2u);
  EXPECT_EQ(stats->by_year.size(), 5u);
  EXPECT_EQ(stats->failures, 0u);
}

TEST_P(IndexTest, ReaddingReplacesNeverDuplicates) {
  searcher_.reset();
  WriterOptions o;
  o.ingest_sst = GetParam();
  // Same inputs again: same count, same answers.
  ASSERT_OK(WriteAll(db_, Corpus(), o));
  {
    auto s = Searcher::Open({db_});
    ASSERT_OK(s);
    EXPECT_THAT(Keys(**s, "revenue"), ElementsAre(kA, kB, kC));
    EXPECT_THAT(Keys(**s, "cik:803164"), ElementsAre(kB, kC, BareKey()));
    auto stats = (*s)->Stats();
    ASSERT_OK(stats);
    EXPECT_EQ(stats->filings, 5u);
    EXPECT_EQ(stats->by_form[0].count, 2u);
  }
  // A changed filing under the same accession replaces the old text.
  auto corpus = Corpus();
  corpus[0].documents[0].text = "Item 9.01 Exhibits only.";
  corpus[0].documents.resize(1);
  // Twice within one batch as well.
  std::vector<ParsedFiling> again = {corpus[0], corpus[0]};
  ASSERT_OK(WriteAll(db_, again, o));
  auto s = Searcher::Open({db_});
  ASSERT_OK(s);
  EXPECT_THAT(Keys(**s, "dividend"), IsEmpty());
  EXPECT_THAT(Keys(**s, "exhibits"), ElementsAre(kA));
  EXPECT_THAT(Keys(**s, "form:8-K"), ElementsAre(kA, kC));
  auto stats = (*s)->Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->filings, 5u);
}

TEST_P(IndexTest, MultiDbEqualsSingleDb) {
  // The same corpus split over two indexes.
  auto corpus = Corpus();
  std::vector<ParsedFiling> first(corpus.begin(), corpus.begin() + 2);
  std::vector<ParsedFiling> second(corpus.begin() + 2, corpus.end());
  // (The bare S-8 gets Innovo's CIK by name from kC in its own index.)
  WriterOptions o;
  o.ingest_sst = GetParam();
  ASSERT_OK(WriteAll(dir_.Sub("a"), first, o));
  ASSERT_OK(WriteAll(dir_.Sub("b"), second, o));
  auto multi = Searcher::Open({dir_.Sub("a"), dir_.Sub("b")});
  ASSERT_OK(multi);
  for (const char* q : {"revenue", "dividend OR competition", "\"blue concepts\"", "divid*",
                        "form:8-K", "risk NEAR/3 faces", "revenue -dividend", "NOT revenue",
                        "company:\"innovo group\"", "in:7 revenue", "cik:803164",
                        "form:8-K OR form:10-K"}) {
    SearchOptions so;
    so.limit = 0;
    auto a = Query(*searcher_, q, so);
    auto b = Query(**multi, q, so);
    ASSERT_EQ(a.size(), b.size()) << q;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].accession, b[i].accession) << q;
      EXPECT_EQ(a[i].source, b[i].source) << q;
      EXPECT_DOUBLE_EQ(a[i].score, b[i].score) << q;
      EXPECT_EQ(a[i].section, b[i].section) << q;
      EXPECT_EQ(a[i].cik, b[i].cik) << q;
    }
  }
}

TEST_P(IndexTest, FailuresAndMetaAreStored) {
  searcher_.reset();
  WriterOptions o;
  o.ingest_sst = GetParam();
  {
    auto w = IndexWriter::Open(db_, o);
    ASSERT_OK(w);
    ASSERT_OK((*w)->AddFailure("feed.tar.gz#bad.nc", "truncated SGML header"));
    ASSERT_OK((*w)->Commit({{"crawl.watermark", "2010-08-18"}}));
    EXPECT_EQ((*w)->failures_added(), 1u);
    auto m = (*w)->GetMeta("crawl.watermark");
    ASSERT_OK(m);
    ASSERT_TRUE(m->has_value());
    EXPECT_EQ(**m, "2010-08-18");
    auto missing = (*w)->GetMeta("nope");
    ASSERT_OK(missing);
    EXPECT_FALSE(missing->has_value());
  }
  auto s = Searcher::Open({db_});
  ASSERT_OK(s);
  auto stats = (*s)->Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->failures, 1u);
  ASSERT_EQ(stats->recent_failures.size(), 1u);
  EXPECT_EQ(stats->recent_failures[0].first, "feed.tar.gz#bad.nc");
  EXPECT_EQ(stats->recent_failures[0].second, "truncated SGML header");
  EXPECT_EQ(stats->filings, 5u);
}

TEST_P(IndexTest, SearcherRunsBesideAWriter) {
  WriterOptions o;
  o.ingest_sst = GetParam();
  auto w = IndexWriter::Open(db_, o);
  ASSERT_OK(w);
  auto s = Searcher::Open({db_});
  ASSERT_OK(s);
  EXPECT_THAT(Keys(**s, "dividend"), ElementsAre(kA));
}

TEST_P(IndexTest, EngineEvaluatesHandBuiltAst) {
  auto engine = SearchEngine::Open({db_});
  ASSERT_OK(engine);
  QueryNode root;
  root.kind = QueryNode::Kind::kAnd;
  auto term = std::make_unique<QueryNode>();
  term->kind = QueryNode::Kind::kTerm;
  term->text = "revenue";
  auto field = std::make_unique<QueryNode>();
  field->kind = QueryNode::Kind::kField;
  field->field = "form";
  field->value = "10-K";
  root.children.push_back(std::move(term));
  root.children.push_back(std::move(field));
  std::vector<std::string> got;
  auto r = (*engine)->Search(root, SearchOptions(), [&](const Hit& h) { got.push_back(h.accession); });
  ASSERT_OK(r);
  EXPECT_THAT(got, ElementsAre(kB));
}

TEST(IndexLarge, PositionsChunksAndSnippetCheckpoints) {
  // 300 filings in one batch (several position chunks per segment), each
  // with a long document whose phrase lies past many checkpoints.
  TempDir dir;
  std::vector<ParsedFiling> filings;
  for (int i = 0; i < 300; ++i) {
    std::string text;
    for (int k = 0; k < 1000 + i; ++k) text += "filler" + std::to_string(k % 50) + " ";
    text += "Golden Harbor merger agreement number" + std::to_string(i) + ". ";
    for (int k = 0; k < 300; ++k) text += "tail ";
    char acc[32];
    snprintf(acc, sizeof acc, "0000000009-11-%06d", i);
    filings.push_back(MakeFiling(acc, "8-K", "2011-01-01", "9", "NINE", {{"8-K", text}}));
  }
  ASSERT_OK(WriteAll(dir.Sub("db"), std::move(filings)));
  auto s = Searcher::Open({dir.Sub("db")});
  ASSERT_OK(s);
  SearchOptions o;
  o.limit = 0;
  o.snippet_words = 3;
  SearchResult result;
  auto hits = Query(**s, "\"golden harbor merger\"", o, &result);
  ASSERT_EQ(hits.size(), 300u);
  for (const Hit& h : hits) {
    ASSERT_EQ(h.snippets.size(), 1u) << h.accession;
    const Snippet& sn = h.snippets[0];
    EXPECT_NE(sn.text.find("Golden Harbor merger"), std::string::npos) << sn.text;
    ASSERT_EQ(sn.highlights.size(), 3u) << sn.text;
    EXPECT_EQ(sn.text.substr(sn.highlights[0].begin, 6), "Golden");
  }
  EXPECT_THAT(Keys(**s, "\"merger agreement number250\""), ElementsAre("0000000009-11-000250"));
  EXPECT_THAT(Keys(**s, "number299 NEAR/4 golden"), ElementsAre("0000000009-11-000299"));
  EXPECT_THAT(Keys(**s, "number299 NEAR/3 golden"), IsEmpty());
}

TEST(IndexCompany, FindsFilingsUnderEveryNameOfTheRegistrant) {
  TempDir dir;
  // An old filing under the old name only; a later one lists it as former.
  auto old_filing = MakeFiling("0000000001-95-000001", "10-K", "1995-03-01", "803164",
                               "NASCO PRODUCTS INC", {{"10-K", "Old annual report."}});
  auto new_filing = MakeFiling("0000000001-04-000001", "10-K", "2004-03-01", "803164",
                               "INNOVO GROUP INC", {{"10-K", "New annual report."}});
  new_filing.parties[0].former_names = {"NASCO PRODUCTS INC"};
  auto other = MakeFiling("0000000002-04-000001", "10-K", "2004-03-01", "5",
                          "GROUP INNOVO LLC", {{"10-K", "Unrelated."}});
  ASSERT_OK(WriteAll(dir.Sub("db"), {old_filing, new_filing, other}));
  auto s = Searcher::Open({dir.Sub("db")});
  ASSERT_OK(s);
  EXPECT_THAT(Keys(**s, "company:\"innovo group\""),
              ElementsAre("0000000001-04-000001", "0000000001-95-000001"));
  EXPECT_THAT(Keys(**s, "company:\"nasco products\""),
              ElementsAre("0000000001-04-000001", "0000000001-95-000001"));
  EXPECT_THAT(Keys(**s, "company:\"nasco prod*\""),
              ElementsAre("0000000001-04-000001", "0000000001-95-000001"));
  EXPECT_THAT(Keys(**s, "company:\"group innovo\""), ElementsAre("0000000002-04-000001"));
}

// Regression: with in:/doc: scopes the hit's best document, section and
// snippet come from the matches inside the scope, not from the filing's
// densest document or section.
TEST(IndexScopes, BestDocumentSectionAndSnippetComeFromTheScope) {
  TempDir dir;
  auto f = MakeFiling("0000000001-12-000001", "8-K", "2012-02-01", "1", "ONE",
                      {{"8-K", "Item 2.02 Results. Revenue revenue revenue grew. "
                               "Item 9.01 Exhibits. The revenue table follows."},
                       {"EX-99.1", "Press release about quarterly revenue."}});
  AddSection(f, "2.02", 1, "Item 2.02", "Item 9.01");
  AddSection(f, "9.01", 1, "Item 9.01");
  ASSERT_OK(WriteAll(dir.Sub("db"), {f}));
  auto s = Searcher::Open({dir.Sub("db")});
  ASSERT_OK(s);

  auto hits = Query(**s, "revenue");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].section, "2.02");  // unscoped: the densest section

  hits = Query(**s, "revenue in:9.01");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].document, 1);
  EXPECT_EQ(hits[0].section, "9.01");
  ASSERT_EQ(hits[0].snippets.size(), 1u);
  const Snippet& sn = hits[0].snippets[0];
  ASSERT_EQ(sn.highlights.size(), 1u) << sn.text;
  EXPECT_EQ(sn.text.substr(sn.highlights[0].begin, 7), "revenue") << sn.text;
  EXPECT_NE(sn.text.find("table"), std::string::npos) << sn.text;

  hits = Query(**s, "revenue doc:EX-99.1");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].document, 2);
  EXPECT_EQ(hits[0].document_type, "EX-99.1");
  EXPECT_EQ(hits[0].section, "");
  ASSERT_EQ(hits[0].snippets.size(), 1u);
  EXPECT_NE(hits[0].snippets[0].text.find("Press release"), std::string::npos);

  // A scoped group beside an unscoped clause: the unscoped clause's matches
  // count too, the scoped ones only inside the scope.
  hits = Query(**s, "(revenue in:9.01) OR press");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].section, "9.01");
}

// Regression: --group-by document returns the documents that satisfy the
// query on their own (all AND terms, in:/doc: scopes), not every document
// holding some query term.
TEST(IndexGroupByDocument, DocumentsSatisfyTheQueryWithinThemselves) {
  TempDir dir;
  auto f = MakeFiling("0000000001-12-000002", "8-K", "2012-03-01", "1", "ONE",
                      {{"8-K", "Item 9.01 alpha beta."},
                       {"EX-99.1", "alpha gamma."},
                       {"EX-99.2", "beta delta."}});
  AddSection(f, "9.01", 1, "Item 9.01");
  auto g = MakeFiling("0000000001-12-000003", "10-K", "2012-03-02", "1", "ONE",
                      {{"10-K", "alpha only."}, {"EX-99.1", "beta only."}});
  ASSERT_OK(WriteAll(dir.Sub("db"), {f, g}));
  auto s = Searcher::Open({dir.Sub("db")});
  ASSERT_OK(s);
  auto docs = [&](const std::string& q) {
    SearchOptions o;
    o.limit = 0;
    o.group_by = GroupBy::kDocument;
    SearchResult result;
    std::vector<std::string> out;
    for (const Hit& h : Query(**s, q, o, &result)) {
      out.push_back(h.accession.substr(h.accession.size() - 1) + "/" + std::to_string(h.document));
    }
    EXPECT_EQ(result.total_hits, out.size()) << q;
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(docs("alpha beta"), ElementsAre("2/1"));
  EXPECT_THAT(docs("alpha OR beta"), ElementsAre("2/1", "2/2", "2/3", "3/1", "3/2"));
  EXPECT_THAT(docs("alpha doc:EX-99.1"), ElementsAre("2/2"));
  EXPECT_THAT(docs("beta in:9.01"), ElementsAre("2/1"));
  EXPECT_THAT(docs("doc:EX-99.2"), ElementsAre("2/3"));
  EXPECT_THAT(docs("alpha form:8-K"), ElementsAre("2/1", "2/2"));
  EXPECT_THAT(docs("form:10-K"), ElementsAre("3/1", "3/2"));
  EXPECT_THAT(docs("(alpha gamma) OR delta"), ElementsAre("2/2", "2/3"));
  EXPECT_THAT(docs("beta -gamma"), ElementsAre("3/2"));  // filing 2 has gamma
  EXPECT_THAT(docs("alpha NEAR/1 beta"), ElementsAre("2/1"));
}

// Regression: the same filing key in two databases is one hit: the copy
// with the newest record (filed, then accepted; on a tie the later
// database in the list), counted once in totals and facets.
TEST(IndexMultiDb, SameFilingInTwoDatabasesIsReturnedOnce) {
  TempDir dir;
  const std::string acc = "0000000001-13-000001";
  auto old_copy = MakeFiling(acc, "8-K", "2013-01-02", "1", "ONE", {{"8-K", "shared older text."}});
  auto new_copy = MakeFiling(acc, "8-K", "2013-01-03", "1", "ONE", {{"8-K", "shared newer text."}});
  auto same_day = MakeFiling(acc, "8-K", "2013-01-03", "1", "ONE", {{"8-K", "shared tied text."}});
  auto other = MakeFiling("0000000002-13-000001", "8-K", "2013-01-04", "2", "TWO",
                          {{"8-K", "shared unrelated text."}});
  ASSERT_OK(WriteAll(dir.Sub("old"), {old_copy, other}));
  ASSERT_OK(WriteAll(dir.Sub("new"), {new_copy}));
  ASSERT_OK(WriteAll(dir.Sub("tie"), {same_day}));

  for (const auto& order : std::vector<std::vector<std::string>>{
           {dir.Sub("old"), dir.Sub("new")}, {dir.Sub("new"), dir.Sub("old")}}) {
    auto s = Searcher::Open(order);
    ASSERT_OK(s);
    SearchOptions o;
    o.limit = 0;
    o.facets = {"form", "cik"};
    SearchResult result;
    auto hits = Query(**s, "shared", o, &result);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(result.total_hits, 2u);
    EXPECT_NE(hits[0].accession, hits[1].accession);
    ASSERT_EQ(result.facets.size(), 2u);
    ASSERT_EQ(result.facets[0].second.size(), 1u);
    EXPECT_EQ(result.facets[0].second[0].count, 2u);  // form 8-K
    EXPECT_THAT(Keys(**s, "newer"), ElementsAre(acc));
    EXPECT_THAT(Keys(**s, "older"), IsEmpty());
    EXPECT_THAT(Keys(**s, "form:8-K"), ElementsAre(acc, "0000000002-13-000001"));
    o.group_by = GroupBy::kDocument;
    Query(**s, "shared", o, &result);
    EXPECT_EQ(result.total_hits, 2u);
  }
  // Same filed date: the later database in the list wins.
  auto s = Searcher::Open({dir.Sub("tie"), dir.Sub("new")});
  ASSERT_OK(s);
  EXPECT_THAT(Keys(**s, "newer"), ElementsAre(acc));
  EXPECT_THAT(Keys(**s, "tied"), IsEmpty());
  s = Searcher::Open({dir.Sub("new"), dir.Sub("tie")});
  ASSERT_OK(s);
  EXPECT_THAT(Keys(**s, "tied"), ElementsAre(acc));
  EXPECT_THAT(Keys(**s, "newer"), IsEmpty());
}

TEST(IndexOpen, MissingIndexIsNotFound) {
  TempDir dir;
  auto s = Searcher::Open({dir.Sub("none")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(WriteBatchAndSst, IndexTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? std::string("Sst") : std::string("WriteBatch");
                         });

}  // namespace
}  // namespace edgarix::index
