#include "edgarix/core/tokenizer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace edgarix {
namespace {

struct Tok {
  std::string term;
  uint32_t position;
  uint32_t offset;
  bool operator==(const Tok&) const = default;
};

std::vector<Tok> All(std::string_view text) {
  std::vector<Tok> out;
  Tokenize(text, [&](std::string_view t, uint32_t p, uint32_t o) {
    out.push_back({std::string(t), p, o});
  });
  return out;
}

TEST(Tokenize, LowerCasesAndSplitsOnPunctuation) {
  EXPECT_EQ(All("Form 8-K, Item 2.02"),
            (std::vector<Tok>{{"form", 0, 0}, {"8", 1, 5}, {"k", 2, 7},
                              {"item", 3, 10}, {"2", 4, 15}, {"02", 5, 17}}));
}

TEST(Tokenize, KeepsUtf8LettersInsideWords) {
  auto toks = All("Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale");
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[0].term, "soci\xC3\xA9t\xC3\xA9");
}

TEST(Tokenize, CutsOverlongTokens) {
  std::string longword(1000, 'A');
  auto toks = All(longword + " b");
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[0].term, std::string(kMaxTokenBytes, 'a'));
  EXPECT_EQ(toks[1].term, "b");
  EXPECT_EQ(toks[1].position, 1u);
}

TEST(Tokenize, DoesNotCutInsideUtf8Sequence) {
  std::string s(kMaxTokenBytes - 1, 'a');
  s += "\xC3\xA9\xC3\xA9";
  auto toks = All(s);
  ASSERT_EQ(toks.size(), 1u);
  EXPECT_EQ(toks[0].term, std::string(kMaxTokenBytes - 1, 'a'));
}

TEST(Tokenize, HandlesAllLineEndings) {
  EXPECT_EQ(All("a\r\nb\rc\nd").size(), 4u);
}

TEST(NormalizeTerms, JoinsTerms) {
  EXPECT_EQ(NormalizeTerms("  Blue   Concepts! "), "blue concepts");
}

}  // namespace
}  // namespace edgarix
