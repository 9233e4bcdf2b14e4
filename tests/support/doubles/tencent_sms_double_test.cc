// The Tencent Cloud SMS double checked from the caller's side with a TC3-HMAC-SHA256 signer of this
// file's own, written step by step from Tencent's 签名方法 v3 page
// (https://cloud.tencent.com/document/api/382/52072): canonical request, string to sign, derived
// key, signature, Authorization. Requests go over HTTPS with doubles::Send.
#include "doubles/tencent_sms_double.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <cctype>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "doubles/client.h"
#include "doubles/double_server.h"

namespace doubles {
namespace {

namespace json = boost::json;

// A fixed "now": 2026-01-01 00:00:00 UTC.
constexpr int64_t kNowS = 1767225600;
constexpr int64_t kNowMs = kNowS * 1000;
constexpr const char* kPhone = "+8613912345678";
constexpr const char* kOtherPhone = "+8613800000000";

// ---- The caller's own signer (from the documentation, not from the double) ----

std::string HexOf(const unsigned char* p, unsigned int n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 0xF];
  }
  return out;
}

// Lowercase(HexEncode(Hash.SHA256(s)))
std::string Sha256Hex(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), md, &n, EVP_sha256(), nullptr);
  return HexOf(md, n);
}

// HMAC_SHA256(key, msg), raw bytes
std::string Hmac(const std::string& key, const std::string& msg) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), md, &n);
  return std::string(reinterpret_cast<const char*>(md), n);
}

std::string UtcDate(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// What a test sends, and what it signs (normally the same; tests change one side to prove a
// mismatch is caught).
struct Call {
  std::string body = R"({"PhoneNumberSet":["+8613912345678"],"SmsSdkAppId":"1400006666","SignName":"关爱桂城",)"
                     R"("TemplateId":"123456","TemplateParamSet":["481516","10"],"SessionContext":"outbox-7"})";
  int64_t timestamp = kNowS;
  std::string secret_id = TencentSmsDouble::Options{}.secret_id;
  std::string secret_key = TencentSmsDouble::Options{}.secret_key;
  std::string action = "SendSms";
  std::string version = "2021-01-11";
  std::optional<std::string> region = "ap-guangzhou";
  std::string content_type = "application/json; charset=utf-8";  // sent
  std::optional<std::string> content_type_signed;                // default: as sent, lower-cased
  std::optional<std::string> host_sent;                          // default: Send's (localhost:port)
  std::optional<std::string> host_signed;                        // default: as sent, lower-cased
  std::optional<std::string> credential_date;                    // default: UTC date of timestamp
  std::string service = "sms";
  bool sign_x_tc_action = false;  // SignedHeaders content-type;host;x-tc-action (newer doc example)
  bool send_authorization = true;
  std::string signed_headers_override;  // e.g. "host;content-type"
};

std::string Lowered(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

ClientResult Post(const TencentSmsDouble& d, const Call& c) {
  const std::string url = d.base_url() + "/";
  const std::string host_sent =
      c.host_sent.value_or(url.substr(std::string("https://").size(), url.size() - std::string("https://").size() - 1));
  // 1. CanonicalRequest: headers "key:value\n" with key and value lower-cased and trimmed, sorted.
  std::string canonical_headers = "content-type:" + c.content_type_signed.value_or(Lowered(c.content_type)) + "\n" +
                                  "host:" + c.host_signed.value_or(Lowered(host_sent)) + "\n";
  std::string signed_headers = "content-type;host";
  if (c.sign_x_tc_action) {
    canonical_headers += "x-tc-action:" + Lowered(c.action) + "\n";
    signed_headers += ";x-tc-action";
  }
  if (!c.signed_headers_override.empty()) {
    signed_headers = c.signed_headers_override;
  }
  std::string canonical_request = "POST\n/\n\n" + canonical_headers + "\n" + signed_headers + "\n" + Sha256Hex(c.body);
  // 2. StringToSign.
  std::string date = c.credential_date.value_or(UtcDate(c.timestamp));
  std::string scope = date + "/" + c.service + "/tc3_request";
  std::string string_to_sign =
      "TC3-HMAC-SHA256\n" + std::to_string(c.timestamp) + "\n" + scope + "\n" + Sha256Hex(canonical_request);
  // 3. Signature.
  std::string k_date = Hmac("TC3" + c.secret_key, date);
  std::string k_service = Hmac(k_date, c.service);
  std::string k_signing = Hmac(k_service, "tc3_request");
  std::string mac = Hmac(k_signing, string_to_sign);
  std::string signature = HexOf(reinterpret_cast<const unsigned char*>(mac.data()), static_cast<unsigned>(mac.size()));
  // 4. Authorization.
  std::string authorization = "TC3-HMAC-SHA256 Credential=" + c.secret_id + "/" + scope +
                              ", SignedHeaders=" + signed_headers + ", Signature=" + signature;

  std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", host_sent},
      {"Content-Type", c.content_type},
      {"X-TC-Action", c.action},
      {"X-TC-Version", c.version},
      {"X-TC-Timestamp", std::to_string(c.timestamp)},
  };
  if (c.region) {
    headers.emplace_back("X-TC-Region", *c.region);
  }
  if (c.send_authorization) {
    headers.emplace_back("Authorization", authorization);
  }
  return Send("POST", url, c.body, headers);
}

json::object ResponseOf(const ClientResult& r) {
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.status, 200);
  json::value v = json::parse(r.body);
  return v.at("Response").as_object();
}

// The Error code of an answer ("" when it has none), after checking the envelope.
std::string ErrorCode(const ClientResult& r) {
  json::object resp = ResponseOf(r);
  EXPECT_TRUE(resp.contains("RequestId")) << r.body;
  if (!resp.contains("Error")) {
    return "";
  }
  EXPECT_FALSE(resp.contains("SendStatusSet")) << r.body;
  EXPECT_TRUE(resp.at("Error").as_object().at("Message").is_string()) << r.body;
  return std::string(resp.at("Error").at("Code").as_string());
}

class TencentSmsDoubleTest : public ::testing::Test {
 protected:
  TencentSmsDoubleTest() {
    sms_.server().SetClock([] { return kNowMs; });
  }
  TencentSmsDouble sms_;
};

// ---- The documentation's worked example ----

// From 签名方法 v3 (cloud.tencent.com/document/api/382/52072; English: tencentcloud.com
// /document/api/382/40467), the CVM DescribeInstances example: SecretKey
// Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, X-TC-Timestamp 1551113065, Host cvm.tencentcloudapi.com,
// Content-Type "application/json; charset=utf-8", the body below; the page gives the payload hash
// 35e9c5b0…, the hashed canonical request 5ffe6a04… and Signature 72e494ea….
TEST(Tc3KnownAnswerTest, TheDocumentationsExampleSignsToItsPublishedValues) {
  const std::string body = R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
  const std::string secret_key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
  const int64_t timestamp = 1551113065;
  EXPECT_EQ(Sha256Hex(body), "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");

  // The double's steps.
  std::string canonical = Tc3CanonicalRequest(
      {{"Host", "cvm.tencentcloudapi.com"}, {"Content-Type", "application/json; charset=utf-8"}}, body);
  EXPECT_EQ(canonical,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
            "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  EXPECT_EQ(Sha256Hex(canonical), "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  std::string to_sign = Tc3StringToSign(canonical, timestamp, "cvm");
  EXPECT_EQ(to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  // 1551113065 is 2019-02-26 00:44:25 in UTC+8; the page stresses the date is the UTC one.
  EXPECT_EQ(Tc3UtcDate(timestamp), "2019-02-25");
  EXPECT_EQ(Tc3Signature(secret_key, "2019-02-25", "cvm", to_sign),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");

  // This file's own signer, step by step, reaches the same value.
  std::string k = Hmac(Hmac(Hmac("TC3" + secret_key, "2019-02-25"), "cvm"), "tc3_request");
  std::string mac = Hmac(k, to_sign);
  EXPECT_EQ(HexOf(reinterpret_cast<const unsigned char*>(mac.data()), static_cast<unsigned>(mac.size())),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}

// ---- Accepted calls ----

TEST_F(TencentSmsDoubleTest, AGoodCallIsAcceptedAndTheCodeCanBeRead) {
  ClientResult r = Post(sms_, Call{});
  json::object resp = ResponseOf(r);
  ASSERT_FALSE(resp.contains("Error")) << r.body;
  ASSERT_TRUE(resp.at("RequestId").is_string());
  const json::array& set = resp.at("SendStatusSet").as_array();
  ASSERT_EQ(set.size(), 1u);
  const json::object& s = set[0].as_object();
  EXPECT_EQ(s.at("Code").as_string(), "Ok");
  EXPECT_EQ(s.at("PhoneNumber").as_string(), kPhone);
  EXPECT_EQ(s.at("Fee").as_int64(), 1);
  EXPECT_EQ(s.at("IsoCode").as_string(), "CN");
  EXPECT_EQ(s.at("SessionContext").as_string(), "outbox-7");
  EXPECT_FALSE(s.at("SerialNo").as_string().empty());
  EXPECT_TRUE(s.at("Message").is_string());

  std::optional<TencentSmsDouble::Message> m = sms_.LastMessageTo(kPhone);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->template_id, "123456");
  EXPECT_EQ(m->params, (std::vector<std::string>{"481516", "10"}));
  EXPECT_EQ(m->sign_name, "关爱桂城");
  EXPECT_EQ(m->phone_as_sent, kPhone);
  EXPECT_EQ(m->serial_no, std::string(s.at("SerialNo").as_string()));
  EXPECT_EQ(m->request_id, std::string(resp.at("RequestId").as_string()));
  TencentSmsDouble::Counters c = sms_.counters();
  EXPECT_EQ(c.calls, 1);
  EXPECT_EQ(c.accepted, 1);
  EXPECT_EQ(c.sent, 1);
  EXPECT_EQ(c.refused, 0);
}

// SendSms: "发送国内短信格式还支持0086、86或无任何国家或地区码的11位手机号码,前缀默认为+86".
TEST_F(TencentSmsDoubleTest, TheDocumentedShortFormsOfAMainlandNumberAreAccepted) {
  Call c;
  c.body = R"({"PhoneNumberSet":["8613912345678","13800000000","008613700000000"],"SmsSdkAppId":"1400006666",)"
           R"("SignName":"关爱桂城","TemplateId":"123456","TemplateParamSet":["1","2"]})";
  ClientResult r = Post(sms_, c);
  ASSERT_EQ(ErrorCode(r), "") << r.body;
  std::vector<TencentSmsDouble::Message> ms = sms_.messages();
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].phone, "+8613912345678");
  EXPECT_EQ(ms[0].phone_as_sent, "8613912345678");
  EXPECT_EQ(ms[1].phone, "+8613800000000");
  EXPECT_EQ(ms[2].phone, "+8613700000000");
}

// The documentation lower-cases header values and allows more signed headers than the two
// required (its newer example signs x-tc-action too).
TEST_F(TencentSmsDoubleTest, ReceivedHostAndContentTypeAreSignedLowerCasedAndExtraHeadersMayBeSigned) {
  Call upper;
  upper.content_type = "Application/JSON; charset=UTF-8";
  upper.host_sent = "LOCALHOST:" + std::to_string(sms_.server().port());
  EXPECT_EQ(ErrorCode(Post(sms_, upper)), "");
  Call bare;
  bare.content_type = "application/json";
  EXPECT_EQ(ErrorCode(Post(sms_, bare)), "");
  Call extra;
  extra.sign_x_tc_action = true;
  EXPECT_EQ(ErrorCode(Post(sms_, extra)), "");
  EXPECT_EQ(sms_.counters().sent, 3);
}

// ---- Refusals of the signature ----

TEST_F(TencentSmsDoubleTest, TheSignatureCoversTheHostAndContentTypeAsReceived) {
  Call production_host;  // signed for the real endpoint, sent to the double
  production_host.host_signed = "sms.tencentcloudapi.com";
  EXPECT_EQ(ErrorCode(Post(sms_, production_host)), "AuthFailure.SignatureFailure");
  Call no_charset;  // a library that adds "; charset=utf-8" after signing
  no_charset.content_type_signed = "application/json";
  EXPECT_EQ(ErrorCode(Post(sms_, no_charset)), "AuthFailure.SignatureFailure");
  Call unsorted;  // SignedHeaders not in ascending order
  unsorted.signed_headers_override = "host;content-type";
  EXPECT_EQ(ErrorCode(Post(sms_, unsorted)), "AuthFailure.SignatureFailure");
  EXPECT_TRUE(sms_.messages().empty());
  EXPECT_EQ(sms_.counters().refused, 3);
}

TEST_F(TencentSmsDoubleTest, AWrongKeyAChangedBodyOrAnotherServiceIsASignatureFailure) {
  Call wrong_key;
  wrong_key.secret_key = "someOtherSecretKey00000000000000";
  EXPECT_EQ(ErrorCode(Post(sms_, wrong_key)), "AuthFailure.SignatureFailure");
  Call wrong_service;
  wrong_service.service = "cvm";
  EXPECT_EQ(ErrorCode(Post(sms_, wrong_service)), "AuthFailure.SignatureFailure");
  // The body is hashed exactly as received: the headers of an accepted call replayed with one
  // space more in the body are another request.
  Call control;
  EXPECT_EQ(ErrorCode(Post(sms_, control)), "");
  std::vector<Request> sent = sms_.server().requests("/");
  ASSERT_FALSE(sent.empty());
  std::vector<std::pair<std::string, std::string>> headers;
  for (const char* name :
       {"host", "content-type", "x-tc-action", "x-tc-version", "x-tc-timestamp", "x-tc-region", "authorization"}) {
    headers.emplace_back(name, sent.back().headers.at(name));
  }
  EXPECT_EQ(ErrorCode(Send("POST", sms_.base_url() + "/", control.body + " ", headers)),
            "AuthFailure.SignatureFailure");
  EXPECT_EQ(sms_.messages().size(), 1u);  // only the control
}

TEST_F(TencentSmsDoubleTest, AnUnknownSecretIdOrAMalformedAuthorizationIsRefused) {
  Call unknown;
  unknown.secret_id = "AKIDnotOurs00000000000000000000000000";
  EXPECT_EQ(ErrorCode(Post(sms_, unknown)), "AuthFailure.SecretIdNotFound");
  Call none;
  none.send_authorization = false;
  EXPECT_EQ(ErrorCode(Post(sms_, none)), "AuthFailure.InvalidAuthorization");
  Call no_host;
  no_host.signed_headers_override = "content-type";
  EXPECT_EQ(ErrorCode(Post(sms_, no_host)), "AuthFailure.InvalidAuthorization");
  EXPECT_TRUE(sms_.messages().empty());
}

TEST_F(TencentSmsDoubleTest, TheTimestampMustBeWithinFiveMinutesOfTheDoublesClock) {
  Call stale;
  stale.timestamp = kNowS - 301;
  EXPECT_EQ(ErrorCode(Post(sms_, stale)), "AuthFailure.SignatureExpire");
  Call future;
  future.timestamp = kNowS + 301;
  EXPECT_EQ(ErrorCode(Post(sms_, future)), "AuthFailure.SignatureExpire");
  EXPECT_TRUE(sms_.messages().empty());
  Call edge;
  edge.timestamp = kNowS - 300;
  EXPECT_EQ(ErrorCode(Post(sms_, edge)), "");
  // Moving the double's clock moves the window.
  sms_.server().SetClock([] { return kNowMs + 3600 * 1000; });
  EXPECT_EQ(ErrorCode(Post(sms_, Call{})), "AuthFailure.SignatureExpire");
}

// 2025-12-31 16:30 UTC is already 2026-01-01 in Beijing: the credential's date is the UTC one.
TEST_F(TencentSmsDoubleTest, TheCredentialDateIsTheUtcDateOfTheTimestamp) {
  constexpr int64_t kBeforeUtcMidnight = kNowS - 7 * 3600 - 1800;
  sms_.server().SetClock([] { return kBeforeUtcMidnight * 1000; });
  Call beijing_date;
  beijing_date.timestamp = kBeforeUtcMidnight;
  beijing_date.credential_date = "2026-01-01";
  EXPECT_EQ(ErrorCode(Post(sms_, beijing_date)), "AuthFailure.SignatureFailure");
  Call utc_date;
  utc_date.timestamp = kBeforeUtcMidnight;
  EXPECT_EQ(ErrorCode(Post(sms_, utc_date)), "");
}

// ---- Refusals of the headers and the body ----

TEST_F(TencentSmsDoubleTest, TheActionVersionRegionAndContentTypeAreChecked) {
  Call action;
  action.action = "SendSmsV2";
  EXPECT_EQ(ErrorCode(Post(sms_, action)), "InvalidAction");
  Call version;
  version.version = "2019-07-11";
  EXPECT_EQ(ErrorCode(Post(sms_, version)), "NoSuchVersion");
  Call no_region;
  no_region.region.reset();
  EXPECT_EQ(ErrorCode(Post(sms_, no_region)), "MissingParameter");
  Call far_region;
  far_region.region = "eu-frankfurt";
  EXPECT_EQ(ErrorCode(Post(sms_, far_region)), "UnsupportedRegion");
  Call form;
  form.content_type = "application/x-www-form-urlencoded";
  EXPECT_EQ(ErrorCode(Post(sms_, form)), "InvalidParameter");
  EXPECT_TRUE(sms_.messages().empty());
  EXPECT_EQ(sms_.error_codes().size(), 5u);
}

TEST_F(TencentSmsDoubleTest, EachBusinessRefusalAnswersItsDocumentedCodeAndRecordsNothing) {
  auto body = [](const std::string& phones, const std::string& app, const std::string& sign, const std::string& tpl,
                 const std::string& params) {
    return R"({"PhoneNumberSet":[)" + phones + R"(],"SmsSdkAppId":")" + app + R"(","SignName":")" + sign +
           R"(","TemplateId":")" + tpl + R"(","TemplateParamSet":[)" + params + "]}";
  };
  const std::string ok_phone = "\"+8613912345678\"";
  struct Case {
    std::string body, code;
  };
  std::string many;
  for (int i = 0; i < 201; ++i) {
    many += (many.empty() ? "" : ",") + ok_phone;
  }
  std::vector<Case> cases = {
      {body(ok_phone, "1400000000", "关爱桂城", "123456", R"("1","2")"), "InvalidParameterValue.SdkAppIdNotExist"},
      {body(ok_phone, "1400006666", "别的签名", "123456", R"("1","2")"),
       "FailedOperation.SignatureIncorrectOrUnapproved"},
      {body(ok_phone, "1400006666", "关爱桂城", "999999", R"("1","2")"),
       "FailedOperation.TemplateIncorrectOrUnapproved"},
      {body(ok_phone, "1400006666", "关爱桂城", "123456", R"("1")"),
       "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"},
      {body(ok_phone, "1400006666", "关爱桂城", "123456", R"("1","2","3")"),
       "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"},
      {body("\"+8612912345678\"", "1400006666", "关爱桂城", "123456", R"("1","2")"),
       "InvalidParameterValue.IncorrectPhoneNumber"},
      {body("\"+861391234567\"", "1400006666", "关爱桂城", "123456", R"("1","2")"),
       "InvalidParameterValue.IncorrectPhoneNumber"},
      {body(ok_phone + ",\"+14155550100\"", "1400006666", "关爱桂城", "123456", R"("1","2")"),
       "InvalidParameterValue.IncorrectPhoneNumber"},
      {body(many, "1400006666", "关爱桂城", "123456", R"("1","2")"), "LimitExceeded.PhoneNumberCountLimit"},
      // The 2019-07-11 spelling of the app id field.
      {R"({"PhoneNumberSet":["+8613912345678"],"SmsSdkAppid":"1400006666","SignName":"关爱桂城",)"
       R"("TemplateId":"123456","TemplateParamSet":["1","2"]})",
       "UnknownParameter"},
      {R"({"PhoneNumberSet":["+8613912345678"],"SmsSdkAppId":"1400006666","SignName":"关爱桂城",)"
       R"("TemplateParamSet":["1","2"]})",
       "MissingParameter"},
      {R"({"PhoneNumberSet":"+8613912345678","SmsSdkAppId":"1400006666","SignName":"关爱桂城",)"
       R"("TemplateId":"123456","TemplateParamSet":["1","2"]})",
       "InvalidParameter"},
      {"not json", "InvalidParameter"},
  };
  for (const Case& k : cases) {
    Call c;
    c.body = k.body;
    EXPECT_EQ(ErrorCode(Post(sms_, c)), k.code) << k.body.substr(0, 200);
  }
  EXPECT_TRUE(sms_.messages().empty());
  EXPECT_EQ(sms_.counters().refused, static_cast<int>(cases.size()));
  EXPECT_EQ(sms_.counters().accepted, 0);
}

// ---- Knobs ----

TEST_F(TencentSmsDoubleTest, APerNumberCodeFailsOnlyThatNumber) {
  sms_.SetPhoneResult(kOtherPhone, "LimitExceeded.PhoneNumberDailyLimit", 1);
  Call c;
  c.body = R"({"PhoneNumberSet":["+8613800000000","+8613912345678"],"SmsSdkAppId":"1400006666",)"
           R"("SignName":"关爱桂城","TemplateId":"123456","TemplateParamSet":["1","2"]})";
  ClientResult r = Post(sms_, c);
  json::object resp = ResponseOf(r);
  ASSERT_FALSE(resp.contains("Error")) << r.body;
  const json::array& set = resp.at("SendStatusSet").as_array();
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set[0].at("PhoneNumber").as_string(), kOtherPhone);
  EXPECT_EQ(set[0].at("Code").as_string(), "LimitExceeded.PhoneNumberDailyLimit");
  EXPECT_EQ(set[0].at("Fee").as_int64(), 0);
  EXPECT_EQ(set[1].at("Code").as_string(), "Ok");
  EXPECT_FALSE(sms_.LastMessageTo(kOtherPhone).has_value());
  EXPECT_TRUE(sms_.LastMessageTo(kPhone).has_value());
  EXPECT_EQ(sms_.counters().number_failures, 1);
  // It was armed for one call: the next one reaches the number.
  EXPECT_EQ(ErrorCode(Post(sms_, c)), "");
  EXPECT_TRUE(sms_.LastMessageTo(kOtherPhone).has_value());
}

TEST_F(TencentSmsDoubleTest, FailNextAnswersAWholeCallErrorForAuthenticatedCallsOnly) {
  sms_.FailNext(2, "InternalError.Timeout");
  Call bad;
  bad.secret_key = "someOtherSecretKey00000000000000";
  EXPECT_EQ(ErrorCode(Post(sms_, bad)), "AuthFailure.SignatureFailure");  // does not use a count
  EXPECT_EQ(ErrorCode(Post(sms_, Call{})), "InternalError.Timeout");
  EXPECT_EQ(ErrorCode(Post(sms_, Call{})), "InternalError.Timeout");
  EXPECT_EQ(ErrorCode(Post(sms_, Call{})), "");
  EXPECT_EQ(sms_.messages().size(), 1u);
  TencentSmsDouble::Counters c = sms_.counters();
  EXPECT_EQ(c.failed_by_knob, 2);
  EXPECT_EQ(c.refused, 1);
  EXPECT_EQ(c.calls, 4);
  sms_.FailNext(1, "RequestLimitExceeded", "too fast");
  ClientResult r = Post(sms_, Call{});
  EXPECT_EQ(ErrorCode(r), "RequestLimitExceeded");
  EXPECT_EQ(ResponseOf(r).at("Error").at("Message").as_string(), "too fast");
}

TEST_F(TencentSmsDoubleTest, LostRequestsAndLostAnswersComeFromTheServersFaults) {
  sms_.server().DropBeforeCommit("/", 1);
  EXPECT_NE(Post(sms_, Call{}).error, "");
  EXPECT_TRUE(sms_.messages().empty());  // never reached Tencent
  sms_.server().DropAfterCommit("/", 1);
  EXPECT_NE(Post(sms_, Call{}).error, "");
  EXPECT_EQ(sms_.messages().size(), 1u);  // sent, but the answer was lost
  EXPECT_EQ(ErrorCode(Post(sms_, Call{})), "");
}

TEST_F(TencentSmsDoubleTest, OnlyPostToTheRootIsServed) {
  EXPECT_EQ(Send("GET", sms_.base_url() + "/").status, 404);
  EXPECT_EQ(Send("POST", sms_.base_url() + "/v2/sms", "{}", {{"Content-Type", "application/json"}}).status, 404);
  EXPECT_EQ(sms_.counters().calls, 0);
}

}  // namespace
}  // namespace doubles
