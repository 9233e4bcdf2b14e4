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

}  // namespace
}  // namespace carecity
