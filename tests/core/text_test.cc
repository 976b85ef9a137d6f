#include "edgarix/core/text.h"

#include "gtest/gtest.h"

namespace edgarix {
namespace {

TEST(ToUtf8, LeavesValidUtf8Alone) {
  EXPECT_EQ(ToUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(ToUtf8, ReadsStrayBytesAsCp1252) {
  // 0x93/0x94 are curly quotes in cp1252, 0xE9 is e-acute in Latin-1.
  EXPECT_EQ(ToUtf8("\x93hi\x94 caf\xE9"),
            "\xE2\x80\x9Chi\xE2\x80\x9D caf\xC3\xA9");
  EXPECT_EQ(ToUtf8("\x81"), "\xEF\xBF\xBD");
}

TEST(IsValidUtf8, RejectsOverlongAndSurrogates) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));
}

TEST(CollapseWhitespace, FoldsRunsAndTrims) {
  EXPECT_EQ(CollapseWhitespace("  a \t\r\n b\xC2\xA0 c  "), "a b c");
  EXPECT_EQ(CollapseWhitespace(""), "");
}

}  // namespace
}  // namespace edgarix
