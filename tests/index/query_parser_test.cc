#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_ast.h"
#include "status_matchers.h"

namespace edgarix::index {
namespace {

using Kind = QueryNode::Kind;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The canonical form of `q`, or "ERROR: <message>".
std::string Canon(std::string_view q) {
  auto node = ParseQuery(q);
  if (!node.ok()) return "ERROR: " + std::string(node.status().message());
  return ToString(**node);
}

std::string ErrorOf(std::string_view q) {
  auto node = ParseQuery(q);
  if (node.ok()) return "parsed as: " + ToString(**node);
  EXPECT_EQ(node.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(node.status().message());
}

std::unique_ptr<QueryNode> MustParse(std::string_view q) {
  auto node = ParseQuery(q);
  EXPECT_OK(node);
  if (!node.ok()) return nullptr;
  return std::move(*node);
}

struct Case {
  const char* query;
  const char* canonical;
};

// Every construct, rendered canonically, and stable when parsed again.
TEST(QueryParser, RoundTripsEveryConstruct) {
  const Case cases[] = {
      {"dividend", "dividend"},
      {"Dividend CASH", "dividend cash"},
      {"divid*", "divid*"},
      {"\"exact phrase\"", "\"exact phrase\""},
      {"\"Blue  Concepts\"", "\"blue concepts\""},
      {"\"stock incentive pl*\"", "\"stock incentive pl*\""},
      {"\"dividend\"", "dividend"},
      {"\"divid*\"", "divid*"},
      {"8-K", "\"8 k\""},
      {"2.02", "\"2 02\""},
      {"U.S.", "\"u s\""},
      {"U.S.*", "\"u s*\""},
      {"a OR b", "a OR b"},
      {"a OR b OR c", "a OR b OR c"},
      {"a AND b", "a b"},
      {"NOT a", "-a"},
      {"-a", "-a"},
      {"a -b", "a -b"},
      {"a NOT b", "a -b"},
      {"NOT NOT a", "--a"},
      {"-(a OR b)", "-(a OR b)"},
      {"-(a b)", "-(a b)"},
      {"-\"a b\"", "-\"a b\""},
      {"(a OR b) c", "(a OR b) c"},
      {"a (b c)", "a (b c)"},
      {"((a))", "a"},
      {"a OR (b OR c)", "a OR (b OR c)"},
      {"a NEAR/5 b", "a NEAR/5 b"},
      {"a NEAR b", "a NEAR/10 b"},
      {"\"a b\" NEAR/3 c*", "\"a b\" NEAR/3 c*"},
      {"a NEAR/2 b NEAR/3 c", "a NEAR/2 b NEAR/3 c"},
      {"a NEAR/2 (b NEAR/3 c)", "a NEAR/2 (b NEAR/3 c)"},
      {"(a OR b) NEAR/4 c", "(a OR b) NEAR/4 c"},
      {"-a NEAR/5 b", "-a NEAR/5 b"},
      {"form:8-K", "form:8-K"},
      {"form:10-k/a", "form:10-K/A"},
      {"FORM:8-k", "form:8-K"},
      {"rootform:10-K", "rootform:10-K"},
      {"cik:0000803164", "cik:803164"},
      {"company:\"innovo group\"", "company:\"innovo group\""},
      {"company:Innovo", "company:Innovo"},
      {"company:\" innovo \"", "company:innovo"},
      {"event:2.02", "event:2.02"},
      {"item:12", "item:12"},
      {"item:5.02", "item:5.02"},
      {"filed:2004-01-01..2004-12-31", "filed:2004-01-01..2004-12-31"},
      {"filed:2004-01-01..", "filed:2004-01-01.."},
      {"filed:..2004-12-31", "filed:..2004-12-31"},
      {"filed:2004-03-05", "filed:2004-03-05..2004-03-05"},
      {"filed:20040305", "filed:2004-03-05..2004-03-05"},
      {"filed:2004", "filed:2004-01-01..2004-12-31"},
      {"filed:2004-02", "filed:2004-02-01..2004-02-29"},
      {"filed:2003-02..2004", "filed:2003-02-01..2004-12-31"},
      {"year:2004", "year:2004"},
      {"sic:6022", "sic:6022"},
      {"state:ca", "state:CA"},
      {"in:1a", "in:1A"},
      {"in:8-K/5.02", "in:8-K/5.02"},
      {"in:II-1A", "in:II-1A"},
      {"doc:ex-99*", "doc:EX-99*"},
      {"-form:8-K", "-form:8-K"},
      {"a or b", "a or b"},
      {"near not and", "near not and"},
      {"Note: revenue", "note revenue"},
      {"10:30", "\"10 30\""},
      {"a , b", "a b"},
      {"- a", "a"},
      {"a - b", "a b"},
      {"a -- b", "a b"},
      {"(a !!!)", "a"},
      {"a OR !!!", "a"},
      {"company:\"innovo group\" event:8.01", "company:\"innovo group\" event:8.01"},
      {"\"Blue Concepts\" form:8-K", "\"blue concepts\" form:8-K"},
      {"form:S-8 \"Employee Stock Incentive Plan\"", "form:S-8 \"employee stock incentive plan\""},
      {"(in:1A risk*) OR (doc:EX-99* \"press release\")",
       "in:1A risk* OR doc:EX-99* \"press release\""},
      {"filed:\"2004-01-01 .. 2005\"", "filed:2004-01-01..2005-12-31"},
      {"a b OR c d", "a b OR c d"},
      {"(form:8-K OR form:8-K/A) -event:9.01 merger",
       "(form:8-K OR form:8-K/A) -event:9.01 merger"},
      {"  \t a \n ", "a"},
      {"caf\xc3\xa9", "caf\xc3\xa9"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(Canon(c.query), c.canonical);
    EXPECT_EQ(Canon(c.canonical), c.canonical) << "canonical form is not stable";
  }
}

TEST(QueryParser, AndBindsTighterThanOr) {
  auto n = MustParse("a OR b c");
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->kind, Kind::kOr);
  ASSERT_EQ(n->children.size(), 2u);
  EXPECT_EQ(n->children[0]->kind, Kind::kTerm);
  ASSERT_EQ(n->children[1]->kind, Kind::kAnd);
  EXPECT_EQ(n->children[1]->children.size(), 2u);

  auto m = MustParse("a b OR c");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->kind, Kind::kOr);
  EXPECT_EQ(m->children[0]->kind, Kind::kAnd);
  EXPECT_EQ(m->children[1]->kind, Kind::kTerm);
}

TEST(QueryParser, NotBindsTighterThanAndButLooserThanNear) {
  auto n = MustParse("-a b");
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->kind, Kind::kAnd);
  EXPECT_EQ(n->children[0]->kind, Kind::kNot);
  EXPECT_EQ(n->children[1]->kind, Kind::kTerm);

  auto m = MustParse("NOT a NEAR/3 b");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->kind, Kind::kNot);
  ASSERT_EQ(m->children[0]->kind, Kind::kNear);
  EXPECT_EQ(m->children[0]->distance, 3);
}

TEST(QueryParser, BuildsNodesWithTermsAndPositions) {
  auto n = MustParse("Divid* \"Stock Plan*\" 8-K NEAR/7 merger");
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->kind, Kind::kAnd);
  ASSERT_EQ(n->children.size(), 3u);
  const QueryNode& prefix = *n->children[0];
  EXPECT_EQ(prefix.kind, Kind::kPrefix);
  EXPECT_EQ(prefix.text, "divid");
  EXPECT_EQ(prefix.position, 0u);
  const QueryNode& phrase = *n->children[1];
  EXPECT_EQ(phrase.kind, Kind::kPhrase);
  EXPECT_THAT(phrase.terms, ::testing::ElementsAre("stock", "plan"));
  EXPECT_TRUE(phrase.last_is_prefix);
  EXPECT_EQ(phrase.position, 7u);
  const QueryNode& near = *n->children[2];
  EXPECT_EQ(near.kind, Kind::kNear);
  EXPECT_EQ(near.distance, 7);
  EXPECT_EQ(near.position, 21u);
  ASSERT_EQ(near.children.size(), 2u);
  EXPECT_EQ(near.children[0]->kind, Kind::kPhrase);
  EXPECT_THAT(near.children[0]->terms, ::testing::ElementsAre("8", "k"));
  EXPECT_FALSE(near.children[0]->last_is_prefix);
  EXPECT_EQ(near.children[1]->text, "merger");
  EXPECT_EQ(near.children[1]->position, 32u);
}

TEST(QueryParser, FieldNodesCarryNormalisedValues) {
  auto n = MustParse("x cik:0000803164 -company:\"Innovo Group\" filed:2004");
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->children.size(), 4u);
  const QueryNode& cik = *n->children[1];
  EXPECT_EQ(cik.kind, Kind::kField);
  EXPECT_EQ(cik.field, "cik");
  EXPECT_EQ(cik.value, "803164");
  EXPECT_EQ(cik.position, 2u);
  EXPECT_TRUE(cik.children.empty());
  const QueryNode& neg = *n->children[2];
  EXPECT_EQ(neg.kind, Kind::kNot);
  EXPECT_EQ(neg.position, 17u);
  EXPECT_EQ(neg.children[0]->field, "company");
  EXPECT_EQ(neg.children[0]->value, "Innovo Group");
  EXPECT_EQ(neg.children[0]->position, 18u);
  EXPECT_EQ(n->children[3]->value, "2004-01-01..2004-12-31");
}

TEST(QueryParser, ParenthesesKeepScopeGroupsNested) {
  auto n = MustParse("(in:1A risk) factors");
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->kind, Kind::kAnd);
  ASSERT_EQ(n->children.size(), 2u);
  ASSERT_EQ(n->children[0]->kind, Kind::kAnd);
  EXPECT_EQ(n->children[0]->children[0]->field, "in");
  EXPECT_EQ(n->children[0]->children[0]->value, "1A");
}

struct ErrorCase {
  const char* query;
  const char* message;
};

TEST(QueryParser, ReportsErrorsWithTheirPosition) {
  const ErrorCase cases[] = {
      {"", "at position 0: empty query"},
      {"   ", "at position 0: empty query"},
      {"!!! ...", "at position 0: the query has no searchable words"},
      {"\"\"", "at position 0: the query has no searchable words"},
      {"(a b", "at position 0: unclosed parenthesis"},
      {"a (b (c) d", "at position 2: unclosed parenthesis"},
      {"a b)", "at position 3: unmatched ')'"},
      {"a) (b", "at position 1: unmatched ')'"},
      {"()", "at position 0: empty parentheses"},
      {"a ( ) b", "at position 2: empty parentheses"},
      {"\"a b", "at position 0: unclosed quote"},
      {"a \"b c\" \"d", "at position 8: unclosed quote"},
      {"company:\"innovo", "at position 8: unclosed quote"},
      {"foo:bar", "at position 0: unknown field 'foo:'"},
      {"a Forms:8-K", "at position 2: unknown field 'Forms:'"},
      {"form:", "at position 5: missing value after 'form:'"},
      {"x form: 8-K", "at position 7: missing value after 'form:'"},
      {"company:\"  \"", "at position 9: missing value after 'company:'"},
      {"OR a", "at position 0: OR needs a clause before it"},
      {"a OR", "at position 2: OR needs a clause after it"},
      {"a OR OR b", "at position 2: OR needs a clause after it"},
      {"(a OR) b", "at position 3: OR needs a clause after it"},
      {"AND a", "at position 0: AND needs a clause before it"},
      {"a AND", "at position 2: AND needs a clause after it"},
      {"a AND OR b", "at position 2: AND needs a clause after it"},
      {"NOT", "at position 0: NOT needs a clause after it"},
      {"a NOT", "at position 2: NOT needs a clause after it"},
      {"(a -)", "parsed as: a"},
      {"a -(", "at position 3: unclosed parenthesis"},
      {"NEAR a", "at position 0: NEAR needs a clause before it"},
      {"a NEAR", "at position 2: NEAR needs a word or phrase after it"},
      {"a NEAR/5", "at position 2: NEAR needs a word or phrase after it"},
      {"a NEAR/5 -b", "at position 2: NEAR needs a word or phrase after it"},
      {"a NEAR/ b", "at position 7: NEAR/ needs a number"},
      {"a NEAR/x b", "at position 7: NEAR/ needs a number"},
      {"a NEAR/0 b", "at position 7: NEAR distance must be between 1 and 1000"},
      {"a NEAR/99999999999 b", "at position 7: NEAR distance must be between 1 and 1000"},
      {"!!! NEAR/3 b", "at position 4: NEAR needs a word or phrase before it"},
      {"a NEAR/3 !!!", "at position 2: NEAR needs a word or phrase after it"},
      {"a NEAR/3 form:8-K", "at position 9: NEAR works on words"},
      {"(a b) NEAR/3 c", "at position 1: NEAR works on words"},
      {"cik:12ab", "at position 4: cik must be 1 to 10 digits"},
      {"cik:12345678901", "at position 4: cik must be 1 to 10 digits"},
      {"filed:2004-13-01", "at position 6: filed needs a date"},
      {"filed:2004-02-30", "at position 6: filed needs a date"},
      {"filed:2004-01-01..2004-13-01", "at position 18: filed needs a date"},
      {"filed:..", "at position 6: filed range needs a date"},
      {"filed:2005..2004", "at position 6: filed range ends before it starts"},
      {"filed:yesterday", "at position 6: filed needs a date"},
      {"x filed:\"2004-01-01 .. 20005\"", "at position 23: filed needs a date"},
      {"year:04", "at position 5: year must be a year"},
      {"year:1492", "at position 5: year must be a year"},
      {"sic:60a2", "at position 4: sic must be 1 to 4 digits"},
      {"state:CAL", "at position 6: state must be a two-character code"},
      {"event:2", "at position 6: event must look like 2.02"},
      {"event:2.2", "at position 6: event must look like 2.02"},
      {"item:123", "at position 5: item must look like 2.02"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_THAT(ErrorOf(c.query), StartsWith(c.message));
  }
}

TEST(QueryParser, LimitsNestingWithoutOverflowingTheStack) {
  const std::string deep_ok = std::string(256, '(') + "a" + std::string(256, ')');
  EXPECT_EQ(Canon(deep_ok), "a");

  const std::string parens = std::string(10000, '(') + "a" + std::string(10000, ')');
  EXPECT_EQ(ErrorOf(parens), "at position 256: nesting deeper than 256");
  EXPECT_THAT(ErrorOf(std::string(10000, '(')), StartsWith("at position 256: nesting"));

  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "NOT ";
  nots += "a";
  EXPECT_EQ(ErrorOf(nots), "at position 1024: nesting deeper than 256");
  EXPECT_THAT(ErrorOf(std::string(10000, '-') + "a"), HasSubstr("nesting deeper than 256"));

  std::string nears = "a";
  for (int i = 0; i < 10000; ++i) nears += " NEAR/2 a";
  EXPECT_THAT(ErrorOf(nears), HasSubstr("nesting deeper than 256"));

  std::string mixed;
  for (int i = 0; i < 10000; ++i) mixed += "-(";
  EXPECT_THAT(ErrorOf(mixed), HasSubstr("nesting deeper than 256"));
}

TEST(QueryParser, RejectsQueriesLongerThanOneMebibyte) {
  const std::string big((size_t{1} << 20) + 1, 'a');
  EXPECT_THAT(ErrorOf(big), StartsWith("at position 1048576: query longer than 1 MiB"));
}

TEST(QueryParser, HandlesAOneMegabyteQueryQuickly) {
  // 10^6 bytes of words: too many clauses, rejected rather than building an
  // AST of half a million nodes.
  std::string words;
  while (words.size() + 8 < 1000000) words += "dividend ";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(ErrorOf(words), HasSubstr("more than 65536 words"));
  // One long word and one long phrase parse (tokens are cut to 64 bytes).
  EXPECT_EQ(MustParse(std::string(1000000, 'x'))->kind, Kind::kTerm);
  auto one_phrase = ParseQuery("\"" + std::string(999998, '.') + "\"");
  EXPECT_FALSE(one_phrase.ok());
  // Many dropped words cost nothing.
  std::string punct;
  while (punct.size() < 1000000) punct += "-- ";
  punct += "a";
  EXPECT_EQ(Canon(punct), "a");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 30.0);  // generous: sanitizer builds; the point is "no hang"
}

TEST(QueryParser, AcceptsUpToTheClauseLimit) {
  std::string q;
  for (int i = 0; i < 30000; ++i) q += "cik:" + std::to_string(i + 1) + " OR ";
  q += "x";
  auto n = MustParse(q);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->kind, Kind::kOr);
  EXPECT_EQ(n->children.size(), 30001u);
}

// Random byte strings over the query alphabet: never a crash; an error
// always names a position inside the query; a parsed query's canonical form
// parses to itself.
TEST(QueryParser, SurvivesRandomInput) {
  const std::vector<std::string> pieces = {"a",
                                           "b",
                                           "Div*",
                                           "8-K",
                                           " ",
                                           " ",
                                           " ",
                                           "(",
                                           ")",
                                           "\"",
                                           "-",
                                           "*",
                                           ":",
                                           "OR",
                                           "AND",
                                           "NOT",
                                           "NEAR",
                                           "NEAR/",
                                           "NEAR/3",
                                           "form:",
                                           "in:",
                                           "doc:",
                                           "filed:",
                                           "cik:",
                                           "year:",
                                           "2004",
                                           "..",
                                           "2004-01-01",
                                           "company:\"x y\"",
                                           "foo:",
                                           ".",
                                           "/",
                                           "\t",
                                           "\xc3\xa9",
                                           "\xff",
                                           std::string(1, '\0'),
                                           "or",
                                           "event:2.02",
                                           "item:12"};
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string q;
    const int n = static_cast<int>(rng() % 16);
    for (int i = 0; i < n; ++i) q += pieces[rng() % pieces.size()];
    if (iter % 4 == 0) {
      // Raw bytes too.
      for (int i = 0; i < 8; ++i) q.push_back(static_cast<char>(rng() % 256));
    }
    SCOPED_TRACE(q);
    auto node = ParseQuery(q);
    if (!node.ok()) {
      const std::string msg(node.status().message());
      ASSERT_THAT(msg, StartsWith("at position "));
      const size_t pos = std::stoul(msg.substr(12));
      ASSERT_LE(pos, q.size());
      continue;
    }
    const std::string canon = ToString(**node);
    auto again = ParseQuery(canon);
    ASSERT_OK(again) << "canonical: " << canon;
    ASSERT_EQ(ToString(**again), canon);
  }
}

}  // namespace
}  // namespace edgarix::index
