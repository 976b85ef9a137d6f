#include "edgarix/core/ids.h"

#include "gtest/gtest.h"

namespace edgarix {
namespace {

TEST(NormalizeAccession, AcceptsDashedAndUndashedForms) {
  EXPECT_EQ(NormalizeAccession("0000950123-10-078896"), "0000950123-10-078896");
  EXPECT_EQ(NormalizeAccession(" 000095012310078896\r"), "0000950123-10-078896");
}

TEST(NormalizeAccession, RejectsMalformed) {
  EXPECT_EQ(NormalizeAccession(""), std::nullopt);
  EXPECT_EQ(NormalizeAccession("0000950123-10-07889"), std::nullopt);
  EXPECT_EQ(NormalizeAccession("00009501a3-10-078896"), std::nullopt);
}

TEST(NormalizeCik, StripsLeadingZeros) {
  EXPECT_EQ(NormalizeCik("0000803164"), "803164");
  EXPECT_EQ(NormalizeCik("803164"), "803164");
  EXPECT_EQ(NormalizeCik("0000000000"), std::nullopt);
  EXPECT_EQ(NormalizeCik("12345678901"), std::nullopt);
  EXPECT_EQ(NormalizeCik("80x164"), std::nullopt);
}

TEST(NormalizeDate, ConvertsEdgarDates) {
  EXPECT_EQ(NormalizeDate("20240603"), "2024-06-03");
  EXPECT_EQ(NormalizeDate("2024-06-03"), "2024-06-03");
  EXPECT_EQ(NormalizeDate("20240230"), std::nullopt);
  EXPECT_EQ(NormalizeDate("20000229"), "2000-02-29");
  EXPECT_EQ(NormalizeDate("19000229"), std::nullopt);
  EXPECT_EQ(NormalizeDate("2024063"), std::nullopt);
}

TEST(NormalizeDateTime, ConvertsAcceptanceTime) {
  EXPECT_EQ(NormalizeDateTime("20240603160821"), "2024-06-03T16:08:21");
  EXPECT_EQ(NormalizeDateTime("20240603250821"), std::nullopt);
}

TEST(ContentHash, IsStableAndDistinguishes) {
  EXPECT_EQ(ContentHash("abc"), ContentHash("abc"));
  EXPECT_NE(ContentHash("abc"), ContentHash("abd"));
  EXPECT_EQ(ContentHash("").size(), 16u);
}

}  // namespace
}  // namespace edgarix
