// index::ComputeDigest: equal for the same live filings however they were
// written (batch sizes, order, replacements, WriteBatch or SST, split over
// databases); different when a filing differs.

#include "edgarix/index/digest.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index_fixtures.h"
#include "status_matchers.h"

namespace edgarix::index {
namespace {

using testing::DocSpec;
using testing::MakeFiling;
using testing::TempDir;

std::vector<ParsedFiling> Corpus() {
  std::vector<ParsedFiling> out;
  const char* words[] = {"revenue", "merger", "dividend", "lease", "impairment",
                         "acquisition", "bankruptcy", "guidance", "restatement", "auditor"};
  for (int i = 0; i < 23; ++i) {
    char acc[32];
    std::snprintf(acc, sizeof(acc), "0000950123-10-%06d", 100 + i);
    std::string body = "Item 8.01 Other Events. The company announced ";
    for (int k = 0; k < 5 + i % 4; ++k) body += std::string(words[(i + k * 3) % 10]) + " ";
    body += "for fiscal year " + std::to_string(2000 + i);
    std::vector<DocSpec> docs = {{"8-K", body}};
    if (i % 3 == 0) docs.push_back({"EX-99.1", "Press release: " + body + " and a lease."});
    out.push_back(MakeFiling(acc, i % 5 == 0 ? "10-K" : "8-K",
                             "2010-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10),
                             std::to_string(1000 + i % 7), "ACME CORP " + std::to_string(i % 7),
                             docs));
  }
  // A filing without an accession number (keyed by content hash).
  out.push_back(MakeFiling("", "8-K", "2011-02-03", "", "NO NUMBER INC",
                           {{"8-K", "A bare document about a merger."}}));
  return out;
}

void Build(const std::string& path, const std::vector<ParsedFiling>& filings,
           size_t batch, bool sst = true) {
  WriterOptions options;
  options.batch_max_filings = batch;
  options.ingest_sst = sst;
  auto writer = IndexWriter::Open(path, options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (const ParsedFiling& f : filings) ASSERT_TRUE((*writer)->Add(Analyze(f)).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
}

IndexDigest Digest(const std::vector<std::string>& dbs,
                   std::map<std::string, uint64_t>* terms = nullptr) {
  DigestOptions options;
  if (terms != nullptr) {
    options.on_term = [terms](std::string_view t, uint64_t c) { (*terms)[std::string(t)] = c; };
  }
  auto d = ComputeDigest(dbs, options);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : IndexDigest{};
}

TEST(DigestTest, SameFilingsSameDigestWhateverTheBuild) {
  TempDir tmp;
  const std::vector<ParsedFiling> corpus = Corpus();
  Build(tmp.Sub("a"), corpus, 100);
  std::map<std::string, uint64_t> terms_a;
  const IndexDigest a = Digest({tmp.Sub("a")}, &terms_a);
  EXPECT_EQ(a.filings, corpus.size());
  EXPECT_GT(a.terms, 20u);
  EXPECT_GT(a.postings, a.terms);
  EXPECT_GT(a.facet_values, 10u);
  EXPECT_EQ(a.documents, corpus.size() + 8);  // 8 filings have an EX-99.1
  EXPECT_EQ(terms_a.size(), a.terms);

  // Small batches, reversed order, WriteBatch commits.
  std::vector<ParsedFiling> reversed = corpus;
  std::reverse(reversed.begin(), reversed.end());
  Build(tmp.Sub("b"), reversed, 2, /*sst=*/false);
  std::map<std::string, uint64_t> terms_b;
  const IndexDigest b = Digest({tmp.Sub("b")}, &terms_b);
  EXPECT_EQ(IndexDigest::Hex(b.digest), IndexDigest::Hex(a.digest));
  EXPECT_EQ(terms_b, terms_a);

  // Every filing added twice (replaced), and a first, different copy of one.
  std::vector<ParsedFiling> with_old = {corpus[4]};
  with_old[0].documents[0].text = "An earlier, wrong draft of this filing.";
  Build(tmp.Sub("c"), with_old, 3);
  Build(tmp.Sub("c"), corpus, 3);
  Build(tmp.Sub("c"), corpus, 7);
  const IndexDigest c = Digest({tmp.Sub("c")});
  EXPECT_EQ(c.filings, corpus.size());
  EXPECT_EQ(IndexDigest::Hex(c.digest), IndexDigest::Hex(a.digest));

  // Split over two databases, one holding an older copy of a filing.
  std::vector<ParsedFiling> first(corpus.begin(), corpus.begin() + 10);
  std::vector<ParsedFiling> second(corpus.begin() + 10, corpus.end());
  ParsedFiling older = corpus[12];
  older.filed = "2001-01-01";
  older.documents[0].text = "Older text.";
  first.push_back(older);
  Build(tmp.Sub("d1"), first, 4);
  Build(tmp.Sub("d2"), second, 5);
  const IndexDigest d = Digest({tmp.Sub("d1"), tmp.Sub("d2")});
  EXPECT_EQ(d.filings, corpus.size());
  EXPECT_EQ(IndexDigest::Hex(d.digest), IndexDigest::Hex(a.digest));
}

TEST(DigestTest, ChangedFilingChangesDigestAndOnlyItsTerms) {
  TempDir tmp;
  std::vector<ParsedFiling> corpus = Corpus();
  Build(tmp.Sub("a"), corpus, 100);
  std::map<std::string, uint64_t> terms_a;
  const IndexDigest a = Digest({tmp.Sub("a")}, &terms_a);

  corpus[7].documents[0].text += " zebra";
  Build(tmp.Sub("b"), corpus, 100);
  std::map<std::string, uint64_t> terms_b;
  const IndexDigest b = Digest({tmp.Sub("b")}, &terms_b);
  EXPECT_NE(b.digest, a.digest);
  EXPECT_NE(b.records_checksum, a.records_checksum);
  EXPECT_NE(b.text_checksum, a.text_checksum);
  EXPECT_EQ(b.terms, a.terms + 1);
  EXPECT_EQ(b.facets_checksum, a.facets_checksum);
  size_t changed = 0;
  for (const auto& [term, checksum] : terms_b) {
    auto it = terms_a.find(term);
    if (it == terms_a.end() || it->second != checksum) ++changed;
  }
  EXPECT_EQ(changed, 1u);  // "zebra" only: other positions did not move
  EXPECT_EQ(terms_b.count("zebra"), 1u);

  // A changed form moves only facets and the record.
  corpus = Corpus();
  corpus[7].form = "8-K/A";
  corpus[7].amendment = true;
  Build(tmp.Sub("c"), corpus, 100);
  const IndexDigest c = Digest({tmp.Sub("c")});
  EXPECT_NE(c.digest, a.digest);
  EXPECT_NE(c.facets_checksum, a.facets_checksum);
  EXPECT_EQ(c.postings_checksum, a.postings_checksum);

  // One filing fewer.
  corpus = Corpus();
  corpus.pop_back();
  Build(tmp.Sub("d"), corpus, 100);
  const IndexDigest d = Digest({tmp.Sub("d")});
  EXPECT_EQ(d.filings, a.filings - 1);
  EXPECT_NE(d.digest, a.digest);
}

TEST(DigestTest, MissingIndexIsNotFound) {
  TempDir tmp;
  auto d = ComputeDigest({tmp.Sub("nothing")});
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ComputeDigest({}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace edgarix::index
