// WeChat Pay v3's protocol rules (domains/payments/wechatpay_protocol.h),
// against WeChat's documented examples where there are some.
#include "domains/payments/wechatpay_protocol.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

namespace carecity::payments::wechatpay {
namespace {

namespace json = boost::json;

struct Keys {
  pk::RsaKey priv;
  pk::RsaKey pub;
};

const Keys& TestKeys() {
  static const Keys keys = [] {
    auto pem = pk::GenerateRsaPem();
    return Keys{*pk::LoadPrivateKey(pem->private_pem), *pk::LoadPublicKey(pem->public_pem)};
  }();
  return keys;
}

TEST(WechatPayProtocol, TheRequestMessageIsWeChatsDocumentedLayout) {
  // The signature guide's example: GET /v3/certificates, empty body.
  EXPECT_EQ(RequestMessage("GET", "/v3/certificates", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", ""),
            "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
  EXPECT_EQ(RequestMessage("POST", "/v3/pay/transactions/jsapi", 1554208460, "N", R"({"a":1})"),
            "POST\n/v3/pay/transactions/jsapi\n1554208460\nN\n{\"a\":1}\n");
  const std::string nonce = NewNonce();
  EXPECT_TRUE(std::regex_match(nonce, std::regex("[0-9A-Za-z]{32}"))) << nonce;
  EXPECT_NE(NewNonce(), nonce);
}

TEST(WechatPayProtocol, TheAuthorizationHeaderCarriesAVerifiableSignature) {
  auto header = Authorization(TestKeys().priv, "1900000001", "3775B6A4", "GET",
                              "/v3/pay/transactions/out-trade-no/CCd1T2?mchid=1900000001", "", 1767232800, "NONCE");
  ASSERT_TRUE(header.ok());
  std::smatch m;
  ASSERT_TRUE(std::regex_match(*header, m,
                               std::regex("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"NONCE\","
                                          "timestamp=\"1767232800\",serial_no=\"3775B6A4\",signature=\"([^\"]+)\"")))
      << *header;
  EXPECT_TRUE(pk::VerifySha256(TestKeys().pub,
                               "GET\n/v3/pay/transactions/out-trade-no/CCd1T2?mchid=1900000001\n1767232800\nNONCE\n\n",
                               m[1].str()));
}

TEST(WechatPayProtocol, AnswersVerifyOnlyUnderAKnownKeyWithinFiveMinutes) {
  PlatformKeys keys;
  keys.Add("PUB_KEY_ID_0114232134912410000000000000", TestKeys().pub);
  const int64_t now = 1767232800000;
  const std::string body = R"({"prepay_id":"wx26112221580621e9b071c00d9e093b0000"})";
  const std::string ts = "1767232700";  // 100 s ago
  auto sig = pk::SignSha256(TestKeys().priv, ts + "\nNONCE\n" + body + "\n");
  ASSERT_TRUE(sig.ok());
  const SignedHeaders good{ts, "NONCE", *sig, "pub_key_id_0114232134912410000000000000"};  // case ignored
  EXPECT_TRUE(VerifySigned(keys, good, body, now).ok());

  EXPECT_EQ(VerifySigned(keys, good, body + " ", now).error().key, "invalid_signature");
  SignedHeaders other = good;
  other.serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
  EXPECT_EQ(VerifySigned(keys, other, body, now).error().key, "invalid_signature");
  // A certificate serial matches with or without its leading zero.
  keys.Add("0A3775B6A45ACD58", TestKeys().pub);
  other = good;
  other.serial = "a3775b6a45acd58";
  EXPECT_TRUE(VerifySigned(keys, other, body, now).ok());
  other = good;
  other.nonce = "";
  EXPECT_EQ(VerifySigned(keys, other, body, now).error().key, "invalid_signature");
  // 299 s is in time; 300 s is not (the SDK rejects at 300).
  EXPECT_TRUE(VerifySigned(keys, good, body, 1767232700000 + 299'000).ok());
  EXPECT_EQ(VerifySigned(keys, good, body, 1767232700000 + 300'000).error().key, "stale_notification");
  EXPECT_EQ(VerifySigned(keys, good, body, 1767232700000 - 300'000).error().key, "stale_notification");
}

TEST(WechatPayProtocol, AResourceOpensOnlyWithTheApiV3KeyAndItsOwnNonceAndData) {
  const std::string key = "0123456789abcdefghijklmnopqrstuv";
  const std::string plain = R"({"out_trade_no":"CCd1T2","trade_state":"SUCCESS"})";
  auto sealed = pk::AesGcmSeal(key, "fdasflkja484", "transaction", plain);
  ASSERT_TRUE(sealed.ok());
  json::object resource{{"original_type", "transaction"},
                        {"algorithm", "AEAD_AES_256_GCM"},
                        {"ciphertext", pk::Base64(*sealed)},
                        {"associated_data", "transaction"},
                        {"nonce", "fdasflkja484"}};
  auto opened = OpenResource(key, resource);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  EXPECT_EQ(*opened, plain);
  EXPECT_EQ(OpenResource("0123456789abcdefghijklmnopqrstuw", resource).error().key, "invalid_notification");
  json::object changed = resource;
  changed["associated_data"] = "refund";
  EXPECT_FALSE(OpenResource(key, changed).ok());
  changed = resource;
  changed["algorithm"] = "AEAD_AES_128_GCM";
  EXPECT_FALSE(OpenResource(key, changed).ok());
  changed = resource;
  changed["ciphertext"] = "not base64!";
  EXPECT_FALSE(OpenResource(key, changed).ok());
}

TEST(WechatPayProtocol, TransactionsReadAsOurOrderStates) {
  const auto tx = [](const char* state) {
    return json::object{{"appid", "wxd678efh567hg6787"},
                        {"mchid", "1230000109"},
                        {"out_trade_no", "1217752501201407033233368018"},
                        {"transaction_id", "1217752501201407033233368018"},
                        {"trade_type", "JSAPI"},
                        {"trade_state", state},
                        {"success_time", "2018-06-08T10:34:56+08:00"},
                        {"amount", json::object{{"total", 100}, {"payer_total", 100}, {"currency", "CNY"}}}};
  };
  auto paid = ReadTransaction(tx("SUCCESS"), "1230000109", "wxd678efh567hg6787");
  ASSERT_TRUE(paid.ok()) << paid.error().detail;
  EXPECT_TRUE(paid->paid());
  EXPECT_EQ(paid->amount_fen, 100);
  EXPECT_EQ(paid->paid_at_ms, 1528425296000);
  EXPECT_EQ(paid->transaction_id, "1217752501201407033233368018");
  for (auto [theirs, ours] : {std::pair{"NOTPAY", "NOTPAY"}, {"USERPAYING", "NOTPAY"}, {"PAYERROR", "NOTPAY"},
                              {"CLOSED", "CLOSED"}, {"REVOKED", "CLOSED"}, {"REFUND", "REFUND"}}) {
    auto read = ReadTransaction(tx(theirs), "1230000109", "wxd678efh567hg6787");
    ASSERT_TRUE(read.ok()) << theirs;
    EXPECT_EQ(read->state, ours) << theirs;
    EXPECT_FALSE(read->paid()) << theirs;
  }
  // Another merchant's or another app's transaction is not ours.
  EXPECT_FALSE(ReadTransaction(tx("SUCCESS"), "1900000001", "wxd678efh567hg6787").ok());
  EXPECT_FALSE(ReadTransaction(tx("SUCCESS"), "1230000109", "wx0000000000000000").ok());
  auto no_time = tx("SUCCESS");
  no_time.erase("success_time");
  EXPECT_FALSE(ReadTransaction(no_time, "1230000109", "wxd678efh567hg6787").ok());
  EXPECT_FALSE(ReadTransaction(tx("SOMETHING_NEW"), "1230000109", "wxd678efh567hg6787").ok());

  auto refund = ReadRefund(json::object{{"refund_id", "50000000382019052709732678859"},
                                        {"status", "PROCESSING"}});
  ASSERT_TRUE(refund.ok());
  EXPECT_EQ(refund->kind, RefundState::Kind::kProcessing);
  EXPECT_EQ(refund->provider_refund_id, "50000000382019052709732678859");
  EXPECT_EQ(ReadRefund(json::object{{"refund_status", "SUCCESS"}})->kind, RefundState::Kind::kSucceeded);
  EXPECT_EQ(ReadRefund(json::object{{"status", "ABNORMAL"}})->kind, RefundState::Kind::kAbnormal);
  EXPECT_EQ(ReadRefund(json::object{{"status", "CLOSED"}})->kind, RefundState::Kind::kClosed);
  EXPECT_FALSE(ReadRefund(json::object{{"status", "DONE"}}).ok());
}

TEST(WechatPayProtocol, TheJsapiSheetIsSignedOverAppIdTimeNonceAndPackage) {
  auto params = JsapiParams(TestKeys().priv, "wx8888888888888888", "wx201410272009395522657a690389285100", 1414561699,
                            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->at("appId"), "wx8888888888888888");
  EXPECT_EQ(params->at("timeStamp"), "1414561699");
  EXPECT_EQ(params->at("nonceStr"), "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
  EXPECT_EQ(params->at("package"), "prepay_id=wx201410272009395522657a690389285100");
  EXPECT_EQ(params->at("signType"), "RSA");
  EXPECT_TRUE(pk::VerifySha256(TestKeys().pub,
                               "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n"
                               "prepay_id=wx201410272009395522657a690389285100\n",
                               params->at("paySign")));
}

TEST(WechatPayProtocol, TimesAreRfc3339InChinaTime) {
  EXPECT_EQ(Rfc3339(1767232800000), "2026-01-01T10:00:00+08:00");
  EXPECT_EQ(Rfc3339(1767196799000), "2025-12-31T23:59:59+08:00");
  EXPECT_EQ(*ParseRfc3339("2026-01-01T10:00:00+08:00"), 1767232800000);
  EXPECT_EQ(*ParseRfc3339("2026-01-01T02:00:00Z"), 1767232800000);
  EXPECT_EQ(*ParseRfc3339("2026-01-01T02:00:00.123Z"), 1767232800000);
  EXPECT_EQ(*ParseRfc3339("2025-12-31T21:00:00-05:00"), 1767232800000);
  for (const char* bad : {"", "2026-01-01", "2026-01-01 10:00:00+08:00", "2026-13-01T10:00:00+08:00",
                          "2026-01-01T10:00:00+0800", "2026-01-01T10:00:00"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace carecity::payments::wechatpay
