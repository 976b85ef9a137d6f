#include "html_to_text.h"

#include <random>
#include <string>

#include "edgarix/core/text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace edgarix::parse {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HtmlToText, RemovesTagsAndKeepsText) {
  EXPECT_EQ(HtmlToText("<html><body><b>Hello</b> <i>world</i></body></html>"), "Hello world");
}

TEST(HtmlToText, DecodesNamedEntities) {
  EXPECT_EQ(HtmlToText("AT&amp;T &lt;b&gt; &quot;q&quot; &apos;a&apos;"), "AT&T <b> \"q\" 'a'");
  EXPECT_EQ(HtmlToText("&copy; 2004 &reg; &trade; &sect;"), "\u00a9 2004 \u00ae \u2122 \u00a7");
  EXPECT_EQ(HtmlToText("caf&eacute; &mdash; &ndash; &bull; &hellip;"),
            "caf\u00e9 \u2014 \u2013 \u2022 \u2026");
}

TEST(HtmlToText, DecodesNumericEntities) {
  EXPECT_EQ(HtmlToText("Company&#8217;s &#x2019; &#X2019;"), "Company\u2019s \u2019 \u2019");
  EXPECT_EQ(HtmlToText("&#65;&#x42;&#0067;"), "ABC");
}

TEST(HtmlToText, NumericWindows1252ReferencesBecomeTheirCharacters) {
  // Sloppy 1990s HTML writes cp1252 code units: &#146; is a right quote.
  EXPECT_EQ(HtmlToText("Registrant&#146;s &#147;x&#148;"), "Registrant\u2019s \u201cx\u201d");
}

TEST(HtmlToText, InvalidNumericReferencesBecomeReplacementCharacter) {
  EXPECT_EQ(HtmlToText("a&#0;b"), "a\ufffdb");
  EXPECT_EQ(HtmlToText("a&#xD800;b"), "a\ufffdb");
  EXPECT_EQ(HtmlToText("a&#99999999999999;b"), "a\ufffdb");
}

TEST(HtmlToText, NoBreakSpacesAreSpaces) {
  EXPECT_EQ(HtmlToText("Item&nbsp;2.02&#160;Results"), "Item 2.02 Results");
  EXPECT_EQ(HtmlToText("Item\xc2\xa0"
                       "2.02"),
            "Item 2.02");
}

TEST(HtmlToText, LegacyEntitiesWithoutSemicolon) {
  EXPECT_EQ(HtmlToText("AT&amp T &nbspX &copy2004"), "AT& T X \u00a92004");
}

TEST(HtmlToText, UnknownEntitiesAndBareAmpersandsStay) {
  EXPECT_EQ(HtmlToText("a & b &foo; c&d"), "a & b &foo; c&d");
}

TEST(HtmlToText, BlockElementsBecomeLineBreaks) {
  EXPECT_EQ(HtmlToText("<p>one</p><p>two</p><div>three</div>four<br>five"),
            "one\n\ntwo\nthree\nfour\nfive");
  EXPECT_EQ(HtmlToText("<h1>Title</h1>text<li>a<li>b"), "Title\ntext\na\nb");
}

TEST(HtmlToText, RunsOfBlankLinesCollapse) {
  EXPECT_EQ(HtmlToText("a<br><br><br><br><br>b"), "a\n\nb");
  EXPECT_EQ(HtmlToText("<p></p><p></p><p></p>x<p></p><p></p>"), "x");
}

TEST(HtmlToText, WhitespaceCollapsesOutsidePre) {
  EXPECT_EQ(HtmlToText("a  \n\t b"), "a b");
  EXPECT_EQ(HtmlToText("<pre>a  b\n  c</pre>"), "a  b\n  c");
}

TEST(HtmlToText, TableCellsAreKeptApart) {
  const std::string text = HtmlToText(
      "<table><tr><td>Item 2.02</td><td>Results</td></tr>"
      "<tr><td>1,234</td><td>5,678</td></tr></table>");
  EXPECT_EQ(text, "Item 2.02\tResults\n1,234\t5,678");
}

TEST(HtmlToText, AdjacentCellsNeverGlue) {
  EXPECT_THAT(HtmlToText("<tr><td>abc</td><td>def</td></tr>"), Not(HasSubstr("abcdef")));
  EXPECT_THAT(HtmlToText("<tr><th>abc<th>def</tr>"), Not(HasSubstr("abcdef")));
}

TEST(HtmlToText, DropsScriptStyleHeadAndTitle) {
  const std::string text = HtmlToText(
      "<html><head><title>T</title><style>p{color:red}</style></head>"
      "<body><script>var x = '<p>no</p>';</script>yes<noscript>js</noscript></body></html>");
  EXPECT_EQ(text, "yes");
}

TEST(HtmlToText, DropsHiddenIxbrlHeader) {
  const std::string text = HtmlToText(
      "<html><body><div style=\"display:none\"><ix:header><ix:hidden>"
      "<ix:nonNumeric name=\"dei:EntityCentralIndexKey\">0000320193</ix:nonNumeric>"
      "</ix:hidden></ix:header></div><p>Visible <ix:nonNumeric>text</ix:nonNumeric></p>"
      "</body></html>");
  EXPECT_EQ(text, "Visible text");
}

TEST(HtmlToText, DropsIxHeaderOutsideHiddenDiv) {
  EXPECT_EQ(HtmlToText("a<ix:header><div>x<div>y</div></div></ix:header>b"), "ab");
}

TEST(HtmlToText, DisplayNoneWithSpacesAndCase) {
  EXPECT_EQ(HtmlToText("<span style='color:red; DISPLAY : None'>gone</span>kept"), "kept");
}

TEST(HtmlToText, HiddenElementNestingIsTracked) {
  EXPECT_EQ(HtmlToText("<div style=\"display:none\">a<div>b</div>c</div>d"), "d");
}

TEST(HtmlToText, HiddenParagraphWithoutEndTagEndsAtNextBlock) {
  // Seen in EDGAR: a hidden page number in a <P> that never closes.
  EXPECT_EQ(HtmlToText("<P style=\"display: none\">1\n</DIV><P>Item 5.02 Departure</P>"),
            "Item 5.02 Departure");
}

TEST(HtmlToText, SloppyHtml) {
  // Unclosed tags, upper case, unquoted attributes, a '<' that is not a tag.
  EXPECT_EQ(HtmlToText("<P ALIGN=center><B>Bold<FONT SIZE=2>a < b</P>"), "Bolda < b");
  // A tag cut short by the next tag.
  EXPECT_EQ(HtmlToText("x<p<b>y"), "x\n\ny");
  // An unterminated comment drops the rest; an unterminated tag ends input.
  EXPECT_EQ(HtmlToText("a<!-- never closed"), "a");
  EXPECT_EQ(HtmlToText("a<p class=\"x"), "a");
}

TEST(HtmlToText, UnclosedTitleDoesNotSwallowTheDocument) {
  EXPECT_EQ(HtmlToText("<title>Report<p>Body text"), "Report\n\nBody text");
}

TEST(HtmlToText, CommentsAndDoctypeDropped) {
  EXPECT_EQ(HtmlToText("<!DOCTYPE html><?xml version=\"1.0\"?>a<!-- <p>x</p> -->b"), "ab");
}

TEST(HtmlToText, ValidUtf8PassesThrough) {
  EXPECT_EQ(HtmlToText("<p>caf\u00e9 \u2019 \U0001F600 and more ascii text here</p>"),
            "caf\u00e9 \u2019 \U0001F600 and more ascii text here");
  // Overlong, surrogate and truncated sequences are not valid UTF-8.
  for (const char* bad : {"abcdefgh\xc0\xafxyz", "abcdefgh\xed\xa0\x80", "abcdefgh\xe2\x80"}) {
    EXPECT_TRUE(IsValidUtf8(HtmlToText(bad))) << bad;
  }
}

TEST(HtmlToText, InvalidUtf8BecomesValidUtf8) {
  const std::string text = HtmlToText("<p>Caf\xe9 \x93quoted\x94 \xff</p>");
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_THAT(text, HasSubstr("Caf\u00e9"));
  EXPECT_THAT(text, HasSubstr("\u201cquoted\u201d"));
}

TEST(HtmlToText, DeepNestingIsLinearAndBounded) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div><span>";
  html += "deep";
  for (int i = 0; i < 100000; ++i) html += "</span></div>";
  EXPECT_EQ(HtmlToText(html), "deep");
  std::string hidden = "<div style=\"display:none\">";
  for (int i = 0; i < 100000; ++i) hidden += "<div>";
  hidden += "x";
  EXPECT_EQ(HtmlToText(hidden), "");
}

// Inputs that would take quadratic time with a naive search for a closing
// tag or quote; each is a few MB, so only a linear pass finishes quickly.
TEST(HtmlToText, RepeatedUnclosedConstructsStayLinear) {
  std::string quotes;
  for (int i = 0; i < 300000; ++i) quotes += "<a b=\"x";
  EXPECT_LE(HtmlToText(quotes).size(), quotes.size());
  std::string heads;
  for (int i = 0; i < 300000; ++i) heads += "<head>h</head>t";
  EXPECT_EQ(HtmlToText(heads).size(), 300000u);
  std::string titles;
  for (int i = 0; i < 300000; ++i) titles += "<title>t";
  EXPECT_EQ(HtmlToText(titles).size(), 300000u);
  std::string bodies;
  for (int i = 0; i < 300000; ++i) bodies += "<head>h<body>b";
  EXPECT_EQ(HtmlToText(bodies).size(), 2 * 300000u - 1);  // "b\nb\n...b"
}

TEST(HtmlToText, OutputIsNotLargerThanInput) {
  std::string html;
  for (int i = 0; i < 10000; ++i) html += "<p>&lt;<br><td>&#1;&gt";
  EXPECT_LE(HtmlToText(html).size(), html.size());
}

TEST(HtmlToText, LongSingleLine) {
  std::string html(5 << 20, 'a');
  html += "<p>b";
  const std::string text = HtmlToText(html);
  EXPECT_EQ(text.size(), (5u << 20) + 3);
}

// Deterministic byte soup of tag, entity and text fragments: the output is
// always valid UTF-8 and no larger than the input.
TEST(HtmlToText, RandomSoup) {
  static const char* const kPieces[] = {"<p>",       "</p>",        "<div style=\"display:none\">",
                                        "</div>",    "<td>",        "<tr>",
                                        "<br/>",     "<ix:header>", "</ix:header>",
                                        "<script>",  "</script>",   "<head>",
                                        "<body>",    "<pre>",       "</pre>",
                                        "&amp;",     "&#x2019;",    "&#146;",
                                        "&nbsp",     "&",           "<",
                                        ">",         "\"",          "'",
                                        "<!--",      "-->",         "<!DOCTYPE",
                                        "Item 2.02", " ",           "\n",
                                        "\xc2",      "\xa0",        "\xe2\x80",
                                        "\xff",      "<title>",     "<a href='x",
                                        "=",         "word",        "<P style=display:none>",
                                        "</TABLE>"};
  std::mt19937 rng(42);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  for (int round = 0; round < 300; ++round) {
    std::string html;
    const int n = 1 + static_cast<int>(rng() % 400);
    for (int i = 0; i < n; ++i) html += kPieces[pick(rng)];
    const std::string text = HtmlToText(html);
    ASSERT_TRUE(IsValidUtf8(text)) << html;
    // Invalid bytes may grow to 3 bytes of UTF-8 each.
    ASSERT_LE(text.size(), 3 * html.size()) << html;
  }
}

TEST(LooksLikeHtml, RecognisesHtml) {
  EXPECT_TRUE(LooksLikeHtml("<html><body>x</body></html>"));
  EXPECT_TRUE(LooksLikeHtml("  <HTML>\n<BODY>"));
  EXPECT_TRUE(
      LooksLikeHtml("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"));
  EXPECT_TRUE(LooksLikeHtml("<DIV style=\"x\">a</DIV>"));
  EXPECT_TRUE(LooksLikeHtml("<p>Paragraph</p>"));
  EXPECT_TRUE(LooksLikeHtml("<font size=2>x</font>"));
}

TEST(LooksLikeHtml, EdgarPlainTextIsNotHtml) {
  // EDGAR's plain-text table markup and page tags are not HTML.
  EXPECT_FALSE(LooksLikeHtml("FORM 8-K\n<PAGE>\n<TABLE>\n<CAPTION>\n<S>  <C>\n</TABLE>\n"));
  EXPECT_FALSE(LooksLikeHtml("plain text only"));
  EXPECT_FALSE(LooksLikeHtml(""));
}

}  // namespace
}  // namespace edgarix::parse
