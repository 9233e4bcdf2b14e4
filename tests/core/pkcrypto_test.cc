// core/pkcrypto: RSA keys in the providers' forms, RSA-SHA256 signatures, AES-256-GCM.
#include "core/pkcrypto.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>

#include "core/crypto.h"

namespace carecity::pk {
namespace {

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// The PEM's body: the DER in bare base64 on one line, as Alipay shows its keys.
std::string BareBase64(const std::string& pem) {
  std::string out;
  size_t at = pem.find('\n') + 1;
  while (at < pem.size() && pem.compare(at, 5, "-----") != 0) {
    const size_t end = pem.find('\n', at);
    out += pem.substr(at, end - at);
    at = end + 1;
  }
  return out;
}

// A WeChat Pay v3 request's signing string, signed by a standard implementation
// (Python's cryptography, PKCS#1 v1.5 over SHA-256) with a throwaway key made for
// this test: our verification must agree with it byte for byte.
constexpr char kMessage[] =
    "POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n"
    "{\"appid\":\"wxd678efh567hg6787\"}\n";
constexpr char kPublicPem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvrG9pKL7z5X4KooYJJwf\n"
    "xS+bdDQqcE3bdvqNpuho5Fa/qT0VgRX2/2KFTv6jFSj4F4GkdrOjIo9+93iDV6tT\n"
    "KJczt8Ubl6KtKBw+RNhxc+nsvrVY6J4kxN6ylNLWsIjb5CY8Ihww234BL4xUatxM\n"
    "MVgNgckSZcLz7RuXzmNX3OQsl+ZDgb3XamYIyiGxXoZVP5gIcRpX1oFtr9DPIcSV\n"
    "hK8ShXydmxi7zl7eoEdp9yTztofV0ybxPrl7PSoJnhUVR2GjGBa5QKU2XWpX3ZfC\n"
    "++k2WTCCNTAYFhJAgRx+ik/9ysauQ6QXtqz/hHChMUCT3RhE/tRNQ0v/Z517Mnxk\n"
    "yQIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
constexpr char kSignature[] =
    "H+ZSJUrbI4IH2EN/PwGcfQX/3E6lQT+VZxpvulQJ3m8FjqsrcXc2QMCG35Pp/I5P4cq7+leqafN+lLwndHfPMzCEa7a9yBqYMBRcCi7azMeNFJpQZbM5lsNvAyFa4TjAjO4Iu/0FOiWIXr4cNVOseFrwF/yXqs1lmBhYKJmp/fztq5ztqyofwRQrkFoBbSL2QOHhVBnPX7n6h6w505A166VOwGTny/9TTi4qMbnZV2wvEbjP22p9y9/nX9Oe1Q/BcLyrTdKLdqAbaoj/7+ngk5fMeZVhMrsVheK9Etgb4KriwQdiNEDi1cywRhbuwEcV+pPVcJct+KbkvABMU8mvCA==";

TEST(PkCrypto, VerifiesASignatureMadeElsewhereAndNothingElse) {
  auto key = LoadPublicKey(kPublicPem);
  ASSERT_TRUE(key.ok()) << key.error().detail;
  EXPECT_FALSE(key->is_private());
  EXPECT_EQ(key->bits(), 2048);
  EXPECT_TRUE(VerifySha256(*key, kMessage, kSignature));
  std::string changed = kMessage;
  changed[1] = 'U';
  EXPECT_FALSE(VerifySha256(*key, changed, kSignature));
  std::string flipped = kSignature;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifySha256(*key, kMessage, flipped));
  EXPECT_FALSE(VerifySha256(*key, kMessage, ""));
  EXPECT_FALSE(VerifySha256(*key, kMessage, "not base64!"));
  // The same key as Alipay prints it: bare base64 of the DER.
  auto bare = LoadPublicKey(BareBase64(kPublicPem));
  ASSERT_TRUE(bare.ok()) << bare.error().detail;
  EXPECT_TRUE(VerifySha256(*bare, kMessage, kSignature));
}

TEST(PkCrypto, SignsWithAGeneratedKeyInEitherFormAndOnlyThatKeyVerifies) {
  auto pair = GenerateRsaPem(2048);
  ASSERT_TRUE(pair.ok()) << pair.error().detail;
  EXPECT_NE(pair->private_pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  auto priv = LoadPrivateKey(pair->private_pem);
  auto bare = LoadPrivateKey(BareBase64(pair->private_pem));
  auto pub = LoadPublicKey(pair->public_pem);
  ASSERT_TRUE(priv.ok() && bare.ok() && pub.ok());
  EXPECT_TRUE(priv->is_private());
  auto sig = SignSha256(*priv, kMessage);
  ASSERT_TRUE(sig.ok()) << sig.error().detail;
  EXPECT_EQ(*SignSha256(*bare, kMessage), *sig);  // PKCS#1 v1.5 is deterministic
  EXPECT_TRUE(VerifySha256(*pub, kMessage, *sig));
  EXPECT_TRUE(VerifySha256(*priv, kMessage, *sig));
  auto other = LoadPublicKey(kPublicPem);
  EXPECT_FALSE(VerifySha256(*other, kMessage, *sig));
  EXPECT_FALSE(SignSha256(*pub, kMessage).ok());  // a public key cannot sign
}

TEST(PkCrypto, RefusesWhatIsNotAStrongRsaKeyNamingTheProblem) {
  EXPECT_EQ(LoadPrivateKey("").error().key, "invalid_key");
  EXPECT_EQ(LoadPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").error().key,
            "invalid_key");
  EXPECT_NE(LoadPublicKey("hello world").error().detail.find("neither PEM nor base64"), std::string::npos);
  auto small = GenerateRsaPem(1024);
  ASSERT_TRUE(small.ok());
  auto weak = LoadPrivateKey(small->private_pem);
  ASSERT_FALSE(weak.ok());
  EXPECT_NE(weak.error().detail.find("1024 bits"), std::string::npos);
  EXPECT_EQ(weak.error().detail.find("PRIVATE"), std::string::npos);  // no key material in the detail
}

// The GCM specification's test case 16 (AES-256, 96-bit IV, with associated data).
TEST(PkCrypto, AesGcmMatchesTheSpecificationsVectorAndRejectsAnyChange) {
  const std::string key = Unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const std::string iv = Unhex("cafebabefacedbaddecaf888");
  const std::string aad = Unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const std::string plain = Unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
      "ba637b39");
  const std::string sealed = Unhex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a"
      "0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");
  auto s = AesGcmSeal(key, iv, aad, plain);
  ASSERT_TRUE(s.ok()) << s.error().detail;
  EXPECT_EQ(*s, sealed);
  auto o = AesGcmOpen(key, iv, aad, sealed);
  ASSERT_TRUE(o.ok()) << o.error().detail;
  EXPECT_EQ(*o, plain);

  std::string tampered = sealed;
  tampered[5] ^= 1;
  EXPECT_EQ(AesGcmOpen(key, iv, aad, tampered).error().key, "aead_rejected");
  EXPECT_EQ(AesGcmOpen(key, iv, "certificate", sealed).error().key, "aead_rejected");
  EXPECT_EQ(AesGcmOpen(key, "cafebabefacedbaddecaf889", aad, sealed).error().key, "aead_rejected");
  EXPECT_EQ(AesGcmOpen(key, iv, aad, "short").error().key, "aead_rejected");
  EXPECT_EQ(AesGcmOpen("short key", iv, aad, sealed).error().key, "invalid_key");
}

TEST(PkCrypto, WeChatStyleResourceRoundTripsWithATextNonce) {
  // WeChat Pay's notification: a 32-character APIv3 key, a 12-character nonce,
  // associated_data "transaction", ciphertext and tag in base64.
  const std::string key = "0123456789abcdefghijklmnopqrstuv";
  auto s = AesGcmSeal(key, "fdasflkja484", "transaction", "{\"trade_state\":\"SUCCESS\"}");
  ASSERT_TRUE(s.ok());
  auto back = FromBase64(Base64(*s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*AesGcmOpen(key, "fdasflkja484", "transaction", *back), "{\"trade_state\":\"SUCCESS\"}");
}

TEST(PkCrypto, Base64IsStrictAndSha1HexIsTheStandardDigest) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(*FromBase64("Zg=="), "f");
  EXPECT_EQ(*FromBase64("Zm8="), "fo");
  EXPECT_EQ(*FromBase64("Zm9vYmFy"), "foobar");
  for (const char* bad : {"", "Zg=", "Zg", "Z===", "Zg==Zg==", "Zm9v YmFy", "Zm9v\nYmFy", "Zm9-", "=Zm9"}) {
    EXPECT_FALSE(FromBase64(bad).has_value()) << bad;
  }
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  // The JS-SDK's documented example string (appendix 1).
  EXPECT_EQ(Sha1Hex("jsapi_ticket=sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
                    "&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value"),
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
}

TEST(PkCrypto, SerialsCompareIgnoringCaseAndLeadingZeros) {
  EXPECT_TRUE(SameSerial("0A3775B6A45ACD58", "a3775b6a45acd58"));
  EXPECT_TRUE(SameSerial("00", "0"));
  EXPECT_FALSE(SameSerial("0A37", "A370"));
  EXPECT_FALSE(SameSerial("", "0"));
  // A WeChat public-key id is not hex: only its case is ignored.
  EXPECT_EQ(CanonicalSerial("PUB_KEY_ID_0114"), "PUB_KEY_ID_0114");
  EXPECT_TRUE(SameSerial("pub_key_id_0114", "PUB_KEY_ID_0114"));
}

TEST(PkCrypto, HmacIsTheStandardOne) {
  // RFC 4231 test case 2.
  EXPECT_EQ(BytesToHex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HmacSha256("Jefe", "what do ya want for nothing?").size(), 32u);
}

// A self-signed throwaway certificate made with `openssl req -x509 -set_serial
// 0x0A3775B6A45ACD588826D15E583A95F5DD2AB3B1F0` (its key was not kept): the
// serial, dates and key must read as openssl x509 prints them.
constexpr char kCertPem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDJDCCAgygAwIBAgIVCjd1tqRazViIJtFeWDqV9d0qs7HwMA0GCSqGSIb3DQEB\n"
    "CwUAMCExHzAdBgNVBAMMFkNhcmVDaXR5IHRlc3QgbWVyY2hhbnQwHhcNMjYxMjA3\n"
    "MTcxNjAzWhcNMzYxMjA0MTcxNjAzWjAhMR8wHQYDVQQDDBZDYXJlQ2l0eSB0ZXN0\n"
    "IG1lcmNoYW50MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/XcqfHa\n"
    "1x0p4hf3RhmzyJKkCUNhBQx3rG3FHcC5KEGtK5GAzczymatjA41kaRTYHkq7HHM4\n"
    "kuK9wN1wOeg2GUnjCFziKzPq7OZI1iavxrscrhyizapbKQmjbiboCZ5OwPr/wXJT\n"
    "kdiv1IxQ7zQcEHhupWDhzis/0D/DASsqiRJOsi3adOMfvhlrFLQGjP75rzbZwLI8\n"
    "yuDuWXxg4KXLbZL7nX2vrLaQvDBQcenQYrMyitrebjqkCGRt46IOofMXL7kQAKpW\n"
    "eqqCF7MCUXUuRB5/yZ2KEaoGS6ujz2FuuflN3e+XCTJYZVVq5of8tFrDZM4QDrKB\n"
    "ydhREhgp3a3bKwIDAQABo1MwUTAdBgNVHQ4EFgQUs2O4EpI1IjmHz6PlGPE4sozm\n"
    "+pMwHwYDVR0jBBgwFoAUs2O4EpI1IjmHz6PlGPE4sozm+pMwDwYDVR0TAQH/BAUw\n"
    "AwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAgMdyKc94qwgBTKDzm/qWojn0gcSb9Jzq\n"
    "W2p4f/OrtozhYarVyj4EPQwNp2rbCEzMT8stjaIV8tGUvgI0+mnHqbVr/+lRL0fW\n"
    "aKcqDnlo+mxdEJ4BJKTPQC/5+EeubCYYQ0tYF6vUvZ4JmwW/3SDdFWNrwsS9jUxI\n"
    "scRN4LUkabKDqDRSrG9NsN8kF1EiH3njD1iTgYZFdyOVhqF+VuEaC7Pyc9cF0nf0\n"
    "979o8N1oH3nl3z0thjgW2B0jvM3QmagEh0+0eJXB+eh7YX792vKzhhYhs5NZVJpx\n"
    "ZvUO2gya1A2X4sz5zDtM6spfKNKD/2LYjhmk27hm3wwlkVj+LxWfmg==\n"
    "-----END CERTIFICATE-----\n";
constexpr char kCertPublicPem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/XcqfHa1x0p4hf3Rhmz\n"
    "yJKkCUNhBQx3rG3FHcC5KEGtK5GAzczymatjA41kaRTYHkq7HHM4kuK9wN1wOeg2\n"
    "GUnjCFziKzPq7OZI1iavxrscrhyizapbKQmjbiboCZ5OwPr/wXJTkdiv1IxQ7zQc\n"
    "EHhupWDhzis/0D/DASsqiRJOsi3adOMfvhlrFLQGjP75rzbZwLI8yuDuWXxg4KXL\n"
    "bZL7nX2vrLaQvDBQcenQYrMyitrebjqkCGRt46IOofMXL7kQAKpWeqqCF7MCUXUu\n"
    "RB5/yZ2KEaoGS6ujz2FuuflN3e+XCTJYZVVq5of8tFrDZM4QDrKBydhREhgp3a3b\n"
    "KwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

TEST(PkCrypto, CertificatesGiveSerialValidityAndKey) {
  auto cert = LoadCertificate(kCertPem);
  ASSERT_TRUE(cert.ok()) << cert.error().detail;
  EXPECT_EQ(cert->serial_hex, "0A3775B6A45ACD588826D15E583A95F5DD2AB3B1F0");
  EXPECT_EQ(cert->not_before_ms, 1796663763000);  // 2026-12-07 17:16:03Z
  EXPECT_EQ(cert->not_after_ms, 2112023763000);   // 2036-12-04 17:16:03Z
  EXPECT_EQ(cert->public_key.bits(), 2048);
  EXPECT_FALSE(cert->public_key.is_private());
  // The certificate's key is the one openssl x509 -pubkey prints: a key pair
  // made here does not match it, and matches itself.
  auto pair = GenerateRsaPem();
  ASSERT_TRUE(pair.ok());
  auto priv = LoadPrivateKey(pair->private_pem);
  auto pub = LoadPublicKey(pair->public_pem);
  auto printed = LoadPublicKey(kCertPublicPem);
  ASSERT_TRUE(priv.ok() && pub.ok() && printed.ok());
  EXPECT_TRUE(KeysMatch(*priv, *pub));
  EXPECT_FALSE(KeysMatch(*priv, cert->public_key));
  EXPECT_EQ(EVP_PKEY_eq(printed->get(), cert->public_key.get()), 1);

  EXPECT_FALSE(LoadCertificate(kCertPublicPem).ok());
  EXPECT_FALSE(LoadCertificate("").ok());
  // Cut short: the DER ends inside the certificate.
  const std::string cut = std::string(kCertPem).substr(0, 400) + "\n-----END CERTIFICATE-----\n";
  EXPECT_FALSE(LoadCertificate(cut).ok());
}

}  // namespace
}  // namespace carecity::pk
