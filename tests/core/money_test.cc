#include "core/money.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace carecity {
namespace {

TEST(MoneyTest, FenAreFormattedAsYuanWithTwoDecimals) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(123450), "1234.50");
  EXPECT_EQ(FormatYuan(-2000), "-20.00");
  EXPECT_EQ(FormatYuan(1'000'000'000), "10000000.00");
}

TEST(MoneyTest, ExtremeAmountsDoNotOverflow) {
  EXPECT_EQ(FormatYuan(INT64_MIN), "-92233720368547758.08");
  EXPECT_EQ(FormatYuan(INT64_MAX), "92233720368547758.07");
}

TEST(MoneyTest, AmountsAreWrittenInChineseCapitals) {
  EXPECT_EQ(AmountInWords(2000), "贰拾元整");
  EXPECT_EQ(AmountInWords(1000), "壹拾元整");
  EXPECT_EQ(AmountInWords(100501), "壹仟零伍元零壹分");
  EXPECT_EQ(AmountInWords(5), "伍分");
  EXPECT_EQ(AmountInWords(50), "伍角");
  EXPECT_EQ(AmountInWords(0), "零元整");
  EXPECT_EQ(AmountInWords(123456), "壹仟贰佰叁拾肆元伍角陆分");
  EXPECT_EQ(AmountInWords(1'000'000'000), "壹仟万元整");        // ¥10,000,000
  EXPECT_EQ(AmountInWords(1'005'000'000), "壹仟零伍万元整");    // ¥10,050,000
  EXPECT_EQ(AmountInWords(10'000'000'500), "壹亿零伍元整");     // ¥100,000,005
  EXPECT_EQ(AmountInWords(100'010'000), "壹佰万零壹佰元整");    // ¥1,000,100
  EXPECT_EQ(AmountInWords(350'000'000), "叁佰伍拾万元整");      // ¥3,500,000
  EXPECT_EQ(AmountInWords(-2000), "负贰拾元整");
}

}  // namespace
}  // namespace carecity
