// Alipay's protocol rules (domains/payments/alipay_protocol.h).
#include "domains/payments/alipay_protocol.h"

#include <gtest/gtest.h>

namespace carecity::payments::alipay {
namespace {

TEST(AlipayProtocol, AmountsAreYuanWithTwoDecimalsBothWays) {
  EXPECT_EQ(Yuan(2000), "20.00");
  EXPECT_EQ(Yuan(1), "0.01");
  EXPECT_EQ(Yuan(123456), "1234.56");
  EXPECT_EQ(Yuan(0), "0.00");
  EXPECT_EQ(*FenFromYuan("20.00"), 2000);
  EXPECT_EQ(*FenFromYuan("0.01"), 1);
  EXPECT_EQ(*FenFromYuan("20"), 2000);
  EXPECT_EQ(*FenFromYuan("20.1"), 2010);
  EXPECT_EQ(*FenFromYuan("1234.56"), 123456);
  for (const char* bad : {"", "20.001", "-1.00", "1e3", "20.", ".5", "20,00", " 20.00", "0x10", "99999999999999.00"}) {
    EXPECT_FALSE(FenFromYuan(bad).ok()) << bad;
  }
}

TEST(AlipayProtocol, RequestsSignSignTypeNotificationsDoNot) {
  const Params params{{"method", "alipay.trade.query"}, {"app_id", "2021000000000000"},
                      {"sign_type", "RSA2"},             {"charset", "utf-8"},
                      {"notify_url", ""},                {"sign", "old"},
                      {"biz_content", R"({"out_trade_no":"CCd1T2"})"}};
  EXPECT_EQ(SignContent(params, false),
            "app_id=2021000000000000&biz_content={\"out_trade_no\":\"CCd1T2\"}&charset=utf-8&method=alipay.trade.query"
            "&sign_type=RSA2");
  EXPECT_EQ(SignContent(params, true),
            "app_id=2021000000000000&biz_content={\"out_trade_no\":\"CCd1T2\"}&charset=utf-8&method=alipay.trade.query");

  auto pem = pk::GenerateRsaPem();
  auto priv = pk::LoadPrivateKey(pem->private_pem);
  auto pub = pk::LoadPublicKey(pem->public_pem);
  auto signed_params = Signed(*priv, params);
  ASSERT_TRUE(signed_params.ok());
  EXPECT_TRUE(pk::VerifySha256(*pub, SignContent(params, false), signed_params->at("sign")));

  // A notification as Alipay signs it: without sign_type.
  Params notice{{"app_id", "2021000000000000"}, {"out_trade_no", "CCd1T2"}, {"trade_status", "TRADE_SUCCESS"},
                {"total_amount", "20.00"},      {"body", ""},               {"sign_type", "RSA2"}};
  notice["sign"] = *pk::SignSha256(*priv, SignContent(notice, true));
  EXPECT_TRUE(VerifyNotification(*pub, notice).ok());
  Params changed = notice;
  changed["total_amount"] = "2000.00";
  EXPECT_EQ(VerifyNotification(*pub, changed).error().key, "invalid_signature");
  changed = notice;
  changed["sign_type"] = "RSA";
  EXPECT_FALSE(VerifyNotification(*pub, changed).ok());
  changed = notice;
  changed.erase("sign");
  EXPECT_FALSE(VerifyNotification(*pub, changed).ok());
  // Signed with sign_type included (a request's rule) does not verify as a notification.
  Params wrong_rule = notice;
  wrong_rule["sign"] = *pk::SignSha256(*priv, SignContent(notice, false));
  EXPECT_FALSE(VerifyNotification(*pub, wrong_rule).ok());
}

TEST(AlipayProtocol, FormEncodingRoundTripsAndRefusesMalformedBodies) {
  const Params params{{"subject", "关爱 基金&捐赠=1"}, {"a", ""}, {"b", "x+y"}};
  auto back = FormDecode(FormEncode(params));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, params);
  auto decoded = FormDecode("gmt_payment=2026-01-01+10%3A00%3A00&subject=%E5%85%B3%E7%88%B1&body=");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->at("gmt_payment"), "2026-01-01 10:00:00");
  EXPECT_EQ(decoded->at("subject"), "关爱");
  EXPECT_EQ(decoded->at("body"), "");
  EXPECT_TRUE(FormDecode("").ok());
  for (const char* bad : {"a=%G1", "a=%4", "a=1&a=2", "=x"}) {
    EXPECT_FALSE(FormDecode(bad).ok()) << bad;
  }
}

TEST(AlipayProtocol, TheSignedTextIsCutFromTheBytesReceived) {
  const std::string body =
      R"({"alipay_trade_query_response":{"code":"10000","msg":"Success","subject":"a}\"b{","total_amount":"20.00"},)"
      R"("sign":"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE"})";
  EXPECT_EQ(ResponseNode("alipay.trade.query"), "alipay_trade_query_response");
  auto cut = CutAnswer(body, "alipay_trade_query_response");
  ASSERT_TRUE(cut.ok()) << cut.error().detail;
  EXPECT_EQ(cut->response_text,
            R"({"code":"10000","msg":"Success","subject":"a}\"b{","total_amount":"20.00"})");
  EXPECT_EQ(cut->sign, "ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEE");
  // Unsigned (an unknown app), missing, unclosed, or a second copy after the first.
  auto unsigned_answer = CutAnswer(R"({"alipay_trade_query_response":{"code":"40002"}})", "alipay_trade_query_response");
  ASSERT_TRUE(unsigned_answer.ok());
  EXPECT_EQ(unsigned_answer->sign, "");
  EXPECT_FALSE(CutAnswer(R"({"error_response":{"code":"40001"}})", "alipay_trade_query_response").ok());
  EXPECT_FALSE(CutAnswer(R"({"alipay_trade_query_response":{"code":"10000")", "alipay_trade_query_response").ok());
  EXPECT_FALSE(CutAnswer(R"({"alipay_trade_query_response":{"code":"10000"},"sign":"S","alipay_trade_query_response":{}})",
                         "alipay_trade_query_response")
                   .ok());
}

TEST(AlipayProtocol, TimesAreChinaTime) {
  EXPECT_EQ(ChinaTime(1767232800000), "2026-01-01 10:00:00");
  EXPECT_EQ(*ParseChinaTime("2026-01-01 10:00:00"), 1767232800000);
  for (const char* bad : {"2026-01-01T10:00:00", "2026-01-01 10:00", "2026-13-01 10:00:00", ""}) {
    EXPECT_FALSE(ParseChinaTime(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace carecity::payments::alipay
