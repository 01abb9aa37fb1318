// Strict decimal parsing of seeds and shard numbers.
#include <gtest/gtest.h>

#include "tera/core/decimal.h"

namespace {

TEST(Decimal, ReadsEveryUint64AndOnlyDigits) {
  EXPECT_EQ(tera::parse_decimal("0"), 0u);
  EXPECT_EQ(tera::parse_decimal("007"), 7u);
  EXPECT_EQ(tera::parse_decimal("18446744073709551615"), 18446744073709551615u);
  for (const char* bad : {"", "-1", "+3", " 7", "7 ", "1.5", "0x10", "1e3", "abc", "７"}) {
    EXPECT_EQ(tera::parse_decimal(bad), std::nullopt) << bad;
  }
}

TEST(Decimal, RefusesNumbersPastTwoToTheSixtyFourInsteadOfClamping) {
  EXPECT_EQ(tera::parse_decimal("18446744073709551616"), std::nullopt);  // 2^64
  EXPECT_EQ(tera::parse_decimal("18446744073709551620"), std::nullopt);
  EXPECT_EQ(tera::parse_decimal("99999999999999999999999"), std::nullopt);
}

}  // namespace
