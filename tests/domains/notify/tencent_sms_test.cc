// Tencent Cloud SMS: TC3-HMAC-SHA256 against the signing guide's worked
// example, the classification of Tencent's codes, and the sender end to end
// against the Tencent SMS double (its own signer, written from the docs).
#include "domains/notify/tencent_sms.h"

#include <gtest/gtest.h>

#include <memory>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/run_sync.h"
#include "doubles/tencent_sms_double.h"
#include "doubles/test_pki.h"

namespace carecity::notify {
namespace {

using Outcome = Delivery::Outcome;

// 签名方法 v3 (cloud.tencent.com/document/api/382/52072), the CVM
// DescribeInstances example: its published payload hash, hashed canonical
// request and signature.
TEST(Tc3, TheSigningGuidesExampleSignsToItsPublishedValues) {
  const std::string body = R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
  const int64_t timestamp = 1551113065;  // 2019-02-26 00:44 in Beijing, still the 25th in UTC
  const std::string canonical = tc3::CanonicalRequest("/", "application/json; charset=utf-8", "cvm.tencentcloudapi.com", body);
  EXPECT_EQ(canonical,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
            "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(Sha256Hex(canonical), "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  EXPECT_EQ(tc3::UtcDate(timestamp), "2019-02-25");
  const std::string to_sign = tc3::StringToSign(canonical, timestamp, "cvm");
  EXPECT_EQ(to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  const std::string signature = tc3::Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "2019-02-25", "cvm", to_sign);
  EXPECT_EQ(signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  EXPECT_EQ(tc3::Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "2019-02-25", "cvm", signature),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
            "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  // Header values are signed lower-cased and trimmed, as the guide says.
  EXPECT_EQ(tc3::CanonicalRequest("/", " Application/JSON; charset=UTF-8", "CVM.tencentcloudapi.com", body), canonical);
}

TEST(TencentSmsCodes, PassingTroubleIsRetriedAndOurMistakesRaiseAnAlert) {
  bool alert = true;
  for (const char* code : {"InternalError.Timeout", "InternalError.RequestTimeException", "RequestLimitExceeded",
                           "LimitExceeded.PhoneNumberThirtySecondLimit", "LimitExceeded.PhoneNumberOneHourLimit"}) {
    EXPECT_EQ(ClassifyTencentCode(code, alert), Outcome::kRetry) << code;
    EXPECT_FALSE(alert) << code;
  }
  EXPECT_EQ(ClassifyTencentCode("AuthFailure.SignatureExpire", alert), Outcome::kRetry);  // our clock
  EXPECT_TRUE(alert);
  for (const char* code : {"AuthFailure.SignatureFailure", "AuthFailure.SecretIdNotFound",
                           "UnauthorizedOperation.SmsSdkAppIdVerifyFail", "FailedOperation.SignatureIncorrectOrUnapproved",
                           "FailedOperation.TemplateIncorrectOrUnapproved",
                           "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                           "FailedOperation.InsufficientBalanceInSmsPackage", "InvalidParameterValue.SdkAppIdNotExist"}) {
    EXPECT_EQ(ClassifyTencentCode(code, alert), Outcome::kFailed) << code;
    EXPECT_TRUE(alert) << code;
  }
  for (const char* code : {"InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberInBlacklist",
                           "LimitExceeded.PhoneNumberDailyLimit", "SomethingNew.Unheard"}) {
    EXPECT_EQ(ClassifyTencentCode(code, alert), Outcome::kFailed) << code;
    EXPECT_FALSE(alert) << code;
  }
  EXPECT_EQ(ClassifyTencentCode("Ok", alert), Outcome::kSent);
}

class TencentSmsSenderTest : public ::testing::Test {
 protected:
  TencentSmsSenderTest() : clock_(1'800'000'000'000) {
    sms_.server().SetClock([this] { return clock_.NowMs(); });
    auto client = http::OutboundClient::Create({doubles::SharedPki().ca_cert_path});
    EXPECT_TRUE(client.ok());
    client_ = std::move(*client);
    config_.secret_id = sms_.options().secret_id;
    config_.sdk_app_id = sms_.options().sdk_app_id;
    config_.sign_name = "关爱桂城";
    config_.base_url = sms_.base_url();
    config_.timeout_ms = 3000;
    code_template_ = SmsTemplate{"123456", {"code", "minutes"}};
  }
  Delivery Send(const std::string& phone, std::vector<std::string> params, const std::string& key) {
    TencentSmsSender sender(config_, key, *client_, clock_);
    return RunSync(sender.Send(phone, code_template_, std::move(params)));
  }
  Delivery Send(const std::string& phone) { return Send(phone, {"481516", "10"}, sms_.options().secret_key); }

  FakeClock clock_;
  doubles::TencentSmsDouble sms_;
  std::unique_ptr<http::OutboundClient> client_;
  SmsConfig config_;
  SmsTemplate code_template_;
};

TEST_F(TencentSmsSenderTest, ACodeArrivesAtTheNumberWithItsParametersInTheTemplatesOrder) {
  const Delivery d = Send("13912345678");
  EXPECT_EQ(d.outcome, Outcome::kSent) << d.error;
  EXPECT_FALSE(d.provider_ref.empty());
  auto got = sms_.LastMessageTo("+8613912345678");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->phone_as_sent, "+8613912345678");
  EXPECT_EQ(got->template_id, "123456");
  EXPECT_EQ(got->sign_name, "关爱桂城");
  EXPECT_EQ(got->params, (std::vector<std::string>{"481516", "10"}));
  EXPECT_EQ(got->serial_no, d.provider_ref);
}

TEST_F(TencentSmsSenderTest, AWrongKeyOrAWrongClockIsRefusedAsTencentDoesAndSaysSo) {
  const Delivery wrong_key = Send("13912345678", {"481516", "10"}, "notTheKey000000000000000000000000");
  EXPECT_EQ(wrong_key.outcome, Outcome::kFailed);
  EXPECT_TRUE(wrong_key.alert);
  EXPECT_NE(wrong_key.error.find("AuthFailure.SignatureFailure"), std::string::npos) << wrong_key.error;
  // Our clock six minutes ahead of Tencent's: retried later, and an alert.
  sms_.server().SetClock([this] { return clock_.NowMs() - 6 * 60 * 1000; });
  const Delivery skewed = Send("13912345678");
  EXPECT_EQ(skewed.outcome, Outcome::kRetry);
  EXPECT_TRUE(skewed.alert);
  EXPECT_EQ(sms_.messages().size(), 0u);
}

TEST_F(TencentSmsSenderTest, TencentsTroubleIsRetriedAndANumbersOwnFailureIsFinal) {
  sms_.FailNext(1, "InternalError.Timeout");
  EXPECT_EQ(Send("13912345678").outcome, Outcome::kRetry);
  EXPECT_EQ(Send("13912345678").outcome, Outcome::kSent);
  sms_.SetPhoneResult("+8613800000000", "LimitExceeded.PhoneNumberDailyLimit");
  const Delivery capped = Send("13800000000");
  EXPECT_EQ(capped.outcome, Outcome::kFailed);
  EXPECT_FALSE(capped.alert);
  EXPECT_NE(capped.error.find("LimitExceeded.PhoneNumberDailyLimit"), std::string::npos);
  // A template whose parameters do not match what Tencent approved is ours to fix.
  const Delivery mismatched = Send("13912345678", {"481516"}, sms_.options().secret_key);
  EXPECT_EQ(mismatched.outcome, Outcome::kFailed);
  EXPECT_TRUE(mismatched.alert);
}

TEST_F(TencentSmsSenderTest, ALostAnswerOrAnUnreachableProviderIsRetried) {
  sms_.server().DropAfterCommit("/", 1);
  EXPECT_EQ(Send("13912345678").outcome, Outcome::kRetry);
  EXPECT_EQ(sms_.messages().size(), 1u);  // it did go: a retry may send it twice (docs/design-channels.md 5)
  config_.base_url = "https://localhost:9";
  const Delivery d = Send("13912345678");
  EXPECT_EQ(d.outcome, Outcome::kRetry);
  EXPECT_NE(d.error.find("upstream_unreachable"), std::string::npos) << d.error;
}

}  // namespace
}  // namespace carecity::notify
