#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace carecity {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }
};

TEST_F(CryptoTest, TokensAreLongRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = RandomToken();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(CryptoTest, PublicIdsAreUnguessableBase32AndRecognised) {
  std::set<std::string> seen;
  std::set<char> chars;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewPublicId();
    ASSERT_TRUE(IsPublicId(id)) << id;
    seen.insert(id);
    chars.insert(id.begin(), id.end());
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(chars.size(), 32u);  // every base32 digit turns up: all 5 bits are random
  EXPECT_FALSE(IsPublicId("12"));
  EXPECT_FALSE(IsPublicId("abcdefghijklmnopqrs1"));  // '1' is not base32
  EXPECT_FALSE(IsPublicId("ABCDEFGHIJKLMNOPQRST"));
  EXPECT_FALSE(IsPublicId("abcdefghijklmnopqrstu"));
}

TEST_F(CryptoTest, RandomDigitsKeepLeadingZeros) {
  for (int i = 0; i < 50; ++i) {
    const std::string d = RandomDigits(6);
    ASSERT_EQ(d.size(), 6u);
    EXPECT_EQ(d.find_first_not_of("0123456789"), std::string::npos);
  }
}

TEST_F(CryptoTest, Sha256MatchesTheKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, PasswordHashVerifiesOnlyTheRightPassword) {
  const PasswordCost cheap{1, 8 * 1024};
  const std::string h = HashPassword("correct horse", cheap);
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse", h));
  EXPECT_FALSE(VerifyPassword("correct horsf", h));
  EXPECT_FALSE(VerifyPassword("correct horse", ""));
  EXPECT_NE(HashPassword("correct horse", cheap), h);  // salted
}

TEST_F(CryptoTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Seal, RoundTripsAndRefusesAWrongKeyOrATamperedBox) {
  InitCrypto();
  const auto key = ParseDataKey(NewDataKeyHex());
  ASSERT_TRUE(key.has_value());
  const std::string secret = R"({"health_condition":"高血压"})";
  const std::string a = Seal(*key, secret);
  EXPECT_NE(a, Seal(*key, secret)) << "a fresh nonce every time";
  EXPECT_EQ(a.find("高血压"), std::string::npos);
  EXPECT_EQ(Open(*key, a), secret);
  EXPECT_FALSE(Open(*ParseDataKey(NewDataKeyHex()), a).has_value());
  std::string tampered = a;
  tampered[30] = tampered[30] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(Open(*key, tampered).has_value());
  EXPECT_FALSE(Open(*key, "not base64!").has_value());
  EXPECT_FALSE(ParseDataKey("abcd").has_value());
  EXPECT_FALSE(ParseDataKey(std::string(64, 'g')).has_value());
}

TEST(Signatures, VerifyUnderTheirKeyOnlyAndOnlyForTheSignedMessage) {
  InitCrypto();
  const std::string seed = *ParseDataKey(NewDataKeyHex());
  const std::string pub = SigningPublicKeyHex(seed);
  EXPECT_EQ(pub.size(), 64u);
  EXPECT_EQ(pub, SigningPublicKeyHex(seed));  // the seed determines the key
  const std::string sig = SignHex(seed, "seq 5 head ab12");
  EXPECT_EQ(sig.size(), 128u);
  EXPECT_TRUE(VerifySignatureHex(pub, "seq 5 head ab12", sig));
  EXPECT_FALSE(VerifySignatureHex(pub, "seq 5 head ab13", sig));
  EXPECT_FALSE(VerifySignatureHex(SigningPublicKeyHex(*ParseDataKey(NewDataKeyHex())), "seq 5 head ab12", sig));
  EXPECT_FALSE(VerifySignatureHex(pub, "seq 5 head ab12", sig.substr(2)));
  EXPECT_FALSE(VerifySignatureHex("zz", "seq 5 head ab12", sig));
}

TEST(SealBound, OpensOnlyUnderTheSameKeyAndTheSameContext) {
  InitCrypto();
  const auto key = ParseDataKey(NewDataKeyHex());
  ASSERT_TRUE(key.has_value());
  const std::string secret = R"({"health_condition":"高血压"})";
  const std::string a = SealBound(*key, secret, "casework_applications.sensitive_box.7");
  EXPECT_TRUE(IsSealedBound(a));
  EXPECT_EQ(a.rfind("v2:", 0), 0u);
  EXPECT_NE(a, SealBound(*key, secret, "casework_applications.sensitive_box.7")) << "a fresh nonce every time";
  EXPECT_EQ(a.find("高血压"), std::string::npos);
  EXPECT_EQ(OpenBound(*key, a, "casework_applications.sensitive_box.7"), secret);
  // Moved to another row or column, or opened under another key: nothing.
  EXPECT_FALSE(OpenBound(*key, a, "casework_applications.sensitive_box.8").has_value());
  EXPECT_FALSE(OpenBound(*key, a, "casework_applications.other_box.7").has_value());
  EXPECT_FALSE(OpenBound(*ParseDataKey(NewDataKeyHex()), a, "casework_applications.sensitive_box.7").has_value());
  std::string tampered = a;
  tampered[30] = tampered[30] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenBound(*key, tampered, "casework_applications.sensitive_box.7").has_value());
  // The two formats are told apart and neither opens as the other.
  const std::string unbound = Seal(*key, secret);
  EXPECT_FALSE(IsSealedBound(unbound));
  EXPECT_FALSE(OpenBound(*key, unbound, "casework_applications.sensitive_box.7").has_value());
  EXPECT_FALSE(Open(*key, a).has_value());
  EXPECT_FALSE(OpenBound(*key, "v2:not base64!", "x").has_value());
  EXPECT_FALSE(OpenBound(*key, "v2:", "x").has_value());
  EXPECT_EQ(OpenBound(*key, SealBound(*key, "", "x"), "x"), std::string());
}

}  // namespace
}  // namespace carecity
