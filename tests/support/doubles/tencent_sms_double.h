// A local Tencent Cloud SMS API 3.0 endpoint (docs/design-channels.md sections 5.1 and 7.3),
// written from Tencent Cloud's published documentation and not from our sender: it checks a
// SendSms call (version 2021-01-11) as Tencent documents it — the X-TC-* headers, the
// TC3-HMAC-SHA256 Authorization recomputed from the received headers and raw body, the ±5 minute
// timestamp window, the SMS application, signature (签名), template and its parameter count, the
// phone numbers — and answers HTTP 200 with {"Response":{...,"RequestId"}} as Tencent does.
//
// Documentation followed (the pages the doubles' author read):
//   签名方法 v3          https://cloud.tencent.com/document/api/382/52072 (en: tencentcloud.com
//                        /document/api/382/40467)
//   SendSms 2021-01-11   https://cloud.tencent.com/document/api/382/55981
//   Common error codes   https://cloud.tencent.com/document/api/382/52075
//   SMS error codes      https://cloud.tencent.com/document/api/382/59177
//
// Route (on an HTTPS DoubleServer with SharedPki's certificate):
//   POST /   X-TC-Action: SendSms → {"Response":{"SendStatusSet":[{SerialNo, PhoneNumber, Fee,
//            SessionContext, Code, Message, IsoCode}, ...],"RequestId"}}; each number's Code is
//            "Ok" or that number's failure (SetPhoneResult).
//
// Refusals: always HTTP 200 with {"Response":{"Error":{"Code","Message"},"RequestId"}}, checked in
// this order; a refused call records no message.
//   MissingParameter / InvalidAction  X-TC-Action absent / not SendSms
//   MissingParameter / NoSuchVersion  X-TC-Version absent / not 2021-01-11
//   MissingParameter / UnsupportedRegion  X-TC-Region absent / not in Options::regions
//   InvalidParameter                  Content-Type not application/json (parameters such as
//                                     charset allowed, and signed as sent)
//   MissingParameter / InvalidParameter  X-TC-Timestamp absent / not decimal seconds
//   AuthFailure.InvalidAuthorization  Authorization absent, not "TC3-HMAC-SHA256 Credential=
//                                     <id>/<date>/<service>/tc3_request, SignedHeaders=...,
//                                     Signature=<64 lower-case hex>", SignedHeaders without
//                                     content-type and host, or naming a header not sent
//   AuthFailure.SignatureExpire       X-TC-Timestamp more than 300 s from server().now_ms()
//   AuthFailure.SecretIdNotFound      the Credential's SecretId is not Options::secret_id
//   AuthFailure.SignatureFailure      the signature differs from the one recomputed from the
//                                     received values of the signed headers (trimmed and
//                                     lower-cased, as the documentation says) and the raw body; or
//                                     the Credential's date is not the UTC date of X-TC-Timestamp,
//                                     its service is not sms, or SignedHeaders is not sorted
//   <FailNext code>                   the next n calls that got this far (see FailNext)
//   InvalidParameter                  the body is not a JSON object
//   UnknownParameter                  a body field SendSms does not define (e.g. the 2019-07-11
//                                     spellings SmsSdkAppid, TemplateID, Sign)
//   InvalidParameter                  a field of the wrong JSON type
//   MissingParameter                  PhoneNumberSet, SmsSdkAppId or TemplateId absent
//   InvalidParameterValue.SdkAppIdNotExist            SmsSdkAppId not Options::sdk_app_id
//   MissingParameter                  PhoneNumberSet empty
//   LimitExceeded.PhoneNumberCountLimit               more than 200 numbers
//   InvalidParameterValue.IncorrectPhoneNumber        a number that is not a mainland mobile:
//                                     +86, 0086, 86 or nothing, then 11 digits 1[3-9]xxxxxxxxx
//   FailedOperation.SignatureIncorrectOrUnapproved    SignName absent or not approved
//   FailedOperation.TemplateIncorrectOrUnapproved     TemplateId not approved
//   FailedOperation.TemplateParamSetNotMatchApprovedTemplate  parameter count differs
//   InvalidParameterValue             SessionContext of 512 bytes or more (the documentation asks
//                                     for less than 512; the exact code is our assumption)
// Codes for the header checks and the unknown field come from the common error code page; which
// code Tencent picks where two could apply (e.g. a missing region) is our reading, not documented.
//
// Thread-safety: every public member may be called from any thread. The handler runs on the
// DoubleServer's thread; state is guarded by one mutex and accessors return copies.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doubles/double_server.h"

namespace doubles {

// ---- TC3-HMAC-SHA256 steps, as the double computes them (exposed for the known-answer test) ----

// Step 1: "POST\n/\n\n" + "name:value\n" for each signed header (names and values trimmed and
// lower-cased, sorted by name) + "\n" + the names joined with ';' + "\n" + hex(SHA-256(body)).
// `headers` are the signed headers' names and values as received, in any order.
std::string Tc3CanonicalRequest(std::vector<std::pair<std::string, std::string>> headers, std::string_view body);
// Step 2: "TC3-HMAC-SHA256\n<timestamp>\n<UTC date of timestamp>/<service>/tc3_request\n" +
// hex(SHA-256(canonical_request)).
std::string Tc3StringToSign(std::string_view canonical_request, int64_t timestamp_s, std::string_view service);
// Step 3: hex(HMAC(HMAC(HMAC(HMAC("TC3"+secret_key, date), service), "tc3_request"), string_to_sign)).
std::string Tc3Signature(std::string_view secret_key, std::string_view date, std::string_view service,
                         std::string_view string_to_sign);
// "YYYY-MM-DD" of a Unix time in UTC.
std::string Tc3UtcDate(int64_t timestamp_s);

class TencentSmsDouble {
 public:
  struct Options {
    std::string secret_id = "AKIDdoubleSms000000000000000000000000";
    std::string secret_key = "doubleSmsSecretKey00000000000000";
    std::string sdk_app_id = "1400006666";
    std::vector<std::string> sign_names = {"关爱桂城"};      // approved 签名 (exact UTF-8 text)
    std::map<std::string, int> templates = {{"123456", 2}};  // approved template id → parameter count
    std::vector<std::string> regions = {"ap-guangzhou", "ap-beijing", "ap-nanjing"};
  };

  // Starts an HTTPS DoubleServer (SharedPki). Throws what DoubleServer throws.
  TencentSmsDouble();  // Options{} defaults
  explicit TencentSmsDouble(Options options);
  ~TencentSmsDouble();
  TencentSmsDouble(const TencentSmsDouble&) = delete;
  TencentSmsDouble& operator=(const TencentSmsDouble&) = delete;

  std::string base_url() const;  // https://localhost:<port>; the endpoint is base_url() + "/"
  DoubleServer& server();        // for requests(), SetDelay, DropAfterCommit/BeforeCommit, SetClock
  const Options& options() const;

  // ---- Knobs ----
  // The next n calls that pass the header and signature checks answer Error `code` (e.g.
  // "InternalError.Timeout", "RequestLimitExceeded") with `message` (empty: a stock text for the
  // documented codes), recording nothing. n replaces any count left from before; 0 clears it.
  void FailNext(int n, std::string code, std::string message = {});
  // Messages to `phone` (E.164, "+86...") get `code` as their SendStatusSet Code (Fee 0, empty
  // SerialNo, not recorded as sent) for the next `times` accepted calls naming it, or for ever
  // when times < 0. Other numbers of the same call are unaffected. A second call replaces the first.
  void SetPhoneResult(const std::string& phone, std::string code, int times = -1);
  void ClearPhoneResults();

  // ---- What was sent ----
  struct Message {
    std::string phone;          // E.164 "+86...", as the answer's PhoneNumber
    std::string phone_as_sent;  // as it was in PhoneNumberSet (may be a documented short form)
    std::string template_id;
    std::vector<std::string> params;  // TemplateParamSet, in order
    std::string sign_name;
    std::string session_context;
    std::string serial_no;
    std::string request_id;
  };
  // Every message answered "Ok", in order of acceptance.
  std::vector<Message> messages() const;
  // The last message answered "Ok" to `phone` (E.164), if any.
  std::optional<Message> LastMessageTo(const std::string& phone) const;
  void clear_messages();

  struct Counters {
    int calls = 0;            // POST / requests that reached the handler (not dropped before it)
    int refused = 0;          // answered with Error by a check (not by FailNext)
    int failed_by_knob = 0;   // answered with Error by FailNext
    int accepted = 0;         // answered with a SendStatusSet
    int sent = 0;             // SendStatusSet entries with Code "Ok"
    int number_failures = 0;  // SendStatusSet entries with another Code (SetPhoneResult)
  };
  Counters counters() const;
  // The Error codes answered, in order (refusals and FailNext alike).
  std::vector<std::string> error_codes() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace doubles
