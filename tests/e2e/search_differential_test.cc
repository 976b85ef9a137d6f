// Indexes a corpus through the real components (InputReader -> Parser ->
// pipeline -> RocksDB on disk) and checks, for a fixed set of term, phrase,
// NEAR, prefix, boolean and field queries, that the filings the index returns
// are exactly those a brute-force scan of the same extracted text finds.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "edgarix/core/tokenizer.h"
#include "edgarix/fetch/input_reader.h"
#include "edgarix/index/searcher.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"
#include "edgarix/pipeline/pipeline.h"
#include "gtest/gtest.h"
#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix {
namespace {

namespace fs = std::filesystem;

// One filing as the brute-force side sees it: the token list of each
// non-binary document, and the header fields.
struct BruteFiling {
  ParsedFiling parsed;
  std::vector<std::vector<std::string>> doc_tokens;
};

using Predicate = std::function<bool(const BruteFiling&)>;

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> out;
  Tokenize(text, [&](std::string_view t, uint32_t, uint32_t) { out.emplace_back(t); });
  return out;
}

bool HasTerm(const BruteFiling& f, const std::string& term) {
  for (const auto& doc : f.doc_tokens) {
    if (std::find(doc.begin(), doc.end(), term) != doc.end()) return true;
  }
  return false;
}

bool HasPrefix(const BruteFiling& f, const std::string& prefix) {
  for (const auto& doc : f.doc_tokens) {
    for (const auto& t : doc) {
      if (t.compare(0, prefix.size(), prefix) == 0) return true;
    }
  }
  return false;
}

bool HasPhrase(const BruteFiling& f, const std::string& phrase) {
  const std::vector<std::string> want = Tokens(phrase);
  for (const auto& doc : f.doc_tokens) {
    if (doc.size() < want.size()) continue;
    for (size_t i = 0; i + want.size() <= doc.size(); ++i) {
      if (std::equal(want.begin(), want.end(), doc.begin() + i)) return true;
    }
  }
  return false;
}

// Both terms within `distance` words of each other, either order, same document.
bool HasNear(const BruteFiling& f, const std::string& a, const std::string& b, int distance) {
  for (const auto& doc : f.doc_tokens) {
    std::vector<long> pa, pb;
    for (size_t i = 0; i < doc.size(); ++i) {
      if (doc[i] == a) pa.push_back(static_cast<long>(i));
      if (doc[i] == b) pb.push_back(static_cast<long>(i));
    }
    for (long x : pa) {
      for (long y : pb) {
        if (x != y && std::labs(x - y) <= distance) return true;
      }
    }
  }
  return false;
}

bool FormIs(const BruteFiling& f, const std::string& form) { return f.parsed.form == form; }
bool RootFormIs(const BruteFiling& f, const std::string& form) {
  return f.parsed.root_form == form;
}
bool YearIs(const BruteFiling& f, const std::string& year) {
  return f.parsed.filed.compare(0, 4, year) == 0;
}
bool HasEvent(const BruteFiling& f, const std::string& e) {
  const auto& ev = f.parsed.events;
  return std::find(ev.begin(), ev.end(), e) != ev.end();
}

struct Case {
  std::string query;
  Predicate expected;
};

std::vector<Case> Cases() {
  return {
      {"revenue", [](const BruteFiling& f) { return HasTerm(f, "revenue"); }},
      {"REVENUE", [](const BruteFiling& f) { return HasTerm(f, "revenue"); }},
      {"agreement merger",
       [](const BruteFiling& f) { return HasTerm(f, "agreement") && HasTerm(f, "merger"); }},
      {"dividend OR dividends",
       [](const BruteFiling& f) { return HasTerm(f, "dividend") || HasTerm(f, "dividends"); }},
      {"agreement -merger",
       [](const BruteFiling& f) { return HasTerm(f, "agreement") && !HasTerm(f, "merger"); }},
      {"agreement NOT merger",
       [](const BruteFiling& f) { return HasTerm(f, "agreement") && !HasTerm(f, "merger"); }},
      {"\"press release\"", [](const BruteFiling& f) { return HasPhrase(f, "press release"); }},
      {"\"results of operations\"",
       [](const BruteFiling& f) { return HasPhrase(f, "results of operations"); }},
      {"\"blue concepts\"", [](const BruteFiling& f) { return HasPhrase(f, "blue concepts"); }},
      {"net NEAR/3 income", [](const BruteFiling& f) { return HasNear(f, "net", "income", 3); }},
      {"stock NEAR/10 option",
       [](const BruteFiling& f) { return HasNear(f, "stock", "option", 10); }},
      {"divid*", [](const BruteFiling& f) { return HasPrefix(f, "divid"); }},
      {"acqui* (merger OR combination)",
       [](const BruteFiling& f) {
         return HasPrefix(f, "acqui") && (HasTerm(f, "merger") || HasTerm(f, "combination"));
       }},
      {"form:8-K", [](const BruteFiling& f) { return FormIs(f, "8-K"); }},
      {"form:8-K exhibit",
       [](const BruteFiling& f) { return FormIs(f, "8-K") && HasTerm(f, "exhibit"); }},
      {"rootform:10-K", [](const BruteFiling& f) { return RootFormIs(f, "10-K"); }},
      {"year:2004", [](const BruteFiling& f) { return YearIs(f, "2004"); }},
      {"event:9.01", [](const BruteFiling& f) { return HasEvent(f, "9.01"); }},
      {"event:2.02 earnings",
       [](const BruteFiling& f) { return HasEvent(f, "2.02") && HasTerm(f, "earnings"); }},
      {"8-K", [](const BruteFiling& f) { return HasPhrase(f, "8 k"); }},
  };
}

// Parses every filing of `dir` the way the index does, for the brute side.
std::vector<BruteFiling> BruteLoad(const fs::path& dir, const parse::Parser& parser) {
  std::vector<BruteFiling> out;
  auto reader = fetch::InputReader::Open({dir.string()}, fetch::InputOptions{});
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return out;
  while (auto raw = (*reader)->Next()) {
    if (!raw->read_error.empty()) continue;
    auto parsed = parser.Parse(*raw);
    if (!parsed.ok()) continue;
    BruteFiling f;
    for (const auto& doc : parsed->documents) {
      if (!doc.binary) f.doc_tokens.push_back(Tokens(doc.text));
    }
    f.parsed = *std::move(parsed);
    out.push_back(std::move(f));
  }
  return out;
}

void RunDifferential(const fs::path& corpus, const fs::path& db) {
  auto parser = parse::Parser::Create(parse::ParseOptions{});
  ASSERT_OK(parser);
  {
    auto writer = index::IndexWriter::Open(db.string(), index::WriterOptions{});
    ASSERT_OK(writer);
    auto reader = fetch::InputReader::Open({corpus.string()}, fetch::InputOptions{});
    ASSERT_OK(reader);
    fetch::InputReader& input = **reader;
    auto stats = pipeline::RunIndexPipeline([&] { return input.Next(); }, **parser, **writer,
                                            pipeline::PipelineOptions{});
    ASSERT_OK(stats);
    ASSERT_GT(stats->filings_indexed, 0u);
  }
  const std::vector<BruteFiling> brute = BruteLoad(corpus, **parser);
  ASSERT_FALSE(brute.empty());

  auto searcher = index::Searcher::Open({db.string()});
  ASSERT_OK(searcher);
  for (const Case& c : Cases()) {
    std::set<std::string> want;
    for (const auto& f : brute) {
      if (c.expected(f)) want.insert(f.parsed.source);
    }
    std::set<std::string> got;
    index::SearchOptions options;
    options.limit = 0;
    options.snippets = 0;
    auto result = (*searcher)->Search(c.query, options,
                                      [&](const index::Hit& h) { got.insert(h.source); });
    ASSERT_OK(result) << " query: " << c.query;
    EXPECT_EQ(got, want) << "query: " << c.query;
    EXPECT_EQ(result->total_hits, want.size()) << "query: " << c.query;
  }
}

TEST(SearchDifferential, SampleCorpusMatchesBruteForce) {
  const fs::path dir = fs::temp_directory_path() / ("edgarix_diff_" + std::to_string(getpid()));
  fs::remove_all(dir);
  RunDifferential(testing::TestData() / "filings", dir / "db");
  fs::remove_all(dir);
}

TEST(SearchDifferential, SharedCorpus8KsMatchBruteForce) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  const fs::path dir = fs::temp_directory_path() / ("edgarix_diff2_" + std::to_string(getpid()));
  fs::remove_all(dir);
  RunDifferential(testing::SharedCorpus() / "filings" / "edgar-crawler-8k", dir / "db");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace edgarix
