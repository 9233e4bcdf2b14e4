// Alipay's OpenAPI gateway, the protocol alone (docs/design-channels.md
// 4.4): amounts in yuan, the RSA2 sign content of requests and of
// notifications, form encoding, the signed text of an answer cut from the
// bytes received, and China time. Pure functions over core/pkcrypto; the
// provider (to come) makes the calls.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/pkcrypto.h"
#include "core/result.h"

namespace carecity::payments::alipay {

using Params = std::map<std::string, std::string>;

// 2000 fen <-> "20.00": whole numbers only, never through floating point.
std::string Yuan(int64_t fen);
// "20", "20.1" and "20.10" are 2010 fen; a sign, a third decimal, an
// exponent or anything else is invalid_value.
Result<int64_t> FenFromYuan(std::string_view yuan);

// What is signed: every parameter but `sign` (and `sign_type` too for a
// notification, which Alipay signs without it), empty values dropped,
// sorted by name, "k=v" joined with "&", values as they are (not encoded).
std::string SignContent(const Params& params, bool drop_sign_type);

// `params` with `sign` added: RSA-SHA256 of SignContent (sign_type kept) by
// the app's key.
Result<Params> Signed(const pk::RsaKey& app_key, Params params);

// application/x-www-form-urlencoded, UTF-8: every byte but RFC 3986's
// unreserved characters percent-encoded.
std::string FormEncode(const Params& params);
// And back: "+" is a space; a malformed escape or a repeated name is
// invalid_value.
Result<Params> FormDecode(std::string_view body);

// A notification's parameters, verified with Alipay's public key
// (sign_type must be RSA2). Errors: invalid_signature (401).
Status VerifyNotification(const pk::RsaKey& alipay_key, const Params& params);

// An answer is {"<method, '.' as '_'>_response": {...}, "sign": "..."}; the
// signature covers the response object's text exactly as received (never
// re-serialised: escapes would change), from its "{" to the matching "}".
struct SignedAnswer {
  std::string response_text;  // the raw object
  std::string sign;           // empty when the answer is unsigned
};
// Errors: invalid_value when the node is missing, malformed, or appears
// twice (a second copy could smuggle another text past the signature).
Result<SignedAnswer> CutAnswer(std::string_view body, std::string_view node);
// "alipay.trade.query" -> "alipay_trade_query_response".
std::string ResponseNode(std::string_view method);

// "yyyy-MM-dd HH:mm:ss" in China time (Alipay's timestamp, time_expire,
// gmt_payment), and back.
std::string ChinaTime(int64_t ms);
Result<int64_t> ParseChinaTime(std::string_view text);

}  // namespace carecity::payments::alipay
