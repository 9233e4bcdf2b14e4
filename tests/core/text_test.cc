#include "core/text.h"

#include <gtest/gtest.h>

namespace carecity {
namespace {

TEST(TextTest, MainlandMobileNumbersAreRecognised) {
  EXPECT_TRUE(IsMainlandMobile("13912345678"));
  EXPECT_TRUE(IsMainlandMobile("19912345678"));
  EXPECT_FALSE(IsMainlandMobile("12912345678"));  // no 12x prefix
  EXPECT_FALSE(IsMainlandMobile("1391234567"));   // too short
  EXPECT_FALSE(IsMainlandMobile("139123456789"));
  EXPECT_FALSE(IsMainlandMobile("1391234567a"));
}

TEST(TextTest, PhoneNumbersAreMaskedInTheMiddle) {
  EXPECT_EQ(MaskPhone("13912345678"), "139****5678");
  EXPECT_EQ(MaskEmail("alice@example.cn"), "a***@example.cn");
}

TEST(TextTest, CodePointsAreCountedNotBytes) {
  EXPECT_EQ(CodePointCount("关爱桂城"), 4u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
}

TEST(TextTest, InvalidUtf8IsRejected) {
  EXPECT_TRUE(IsValidUtf8("关爱 ok"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe5\x85"));          // truncated
}

TEST(TextTest, ControlCharactersAreFound) {
  EXPECT_TRUE(HasControlChars(std::string("a\0b", 3), true));
  EXPECT_TRUE(HasControlChars("a\x1b[31m", true));
  EXPECT_FALSE(HasControlChars("line\nnext", true));
  EXPECT_TRUE(HasControlChars("line\nnext", false));
  EXPECT_TRUE(HasControlChars("\xc2\x85", true));  // U+0085 NEL
}

TEST(TextTest, EmailShapeIsChecked) {
  EXPECT_TRUE(IsEmail("a@b.cn"));
  EXPECT_FALSE(IsEmail("a@b"));
  EXPECT_FALSE(IsEmail("@b.cn"));
  EXPECT_FALSE(IsEmail("a b@c.cn"));
  EXPECT_FALSE(IsEmail("a@@b.cn"));
}

TEST(MaskPersonName, KeepsTheFirstCharacterAndMasksEachOfTheRest) {
  EXPECT_EQ(MaskPersonName("陈阿姨"), "陈**");
  EXPECT_EQ(MaskPersonName("李"), "李*");
  EXPECT_EQ(MaskPersonName("Alice"), "A****");
  EXPECT_EQ(MaskPersonName(""), "*");
}

}  // namespace
}  // namespace carecity
