// The Alipay double checked from the merchant's side with code of this file's own: a request
// signer (sign_type included, empty values dropped, sorted, unencoded), an answer verifier that
// cuts the raw response object from the received bytes, and a notification receiver that
// verifies as Alipay documents (sign and sign_type excluded), all on raw OpenSSL.
#include "doubles/alipay_double.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "doubles/client.h"
#include "doubles/double_server.h"
#include "doubles/test_pki.h"

namespace doubles {
namespace {

namespace json = boost::json;
using Params = std::map<std::string, std::string>;

// A fixed "now": 2026-01-01 08:00:00 Beijing (00:00:00 UTC).
constexpr int64_t kNowMs = 1767225600000;
constexpr const char* kNowBeijing = "2026-01-01 08:00:00";
constexpr const char* kAppId = "2021000000000000";

// ---- The merchant's own crypto and encoding ----

template <auto FreeFn>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

PkeyPtr PrivateKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr PublicKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

std::string B64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Unb64(const std::string& text) {
  std::string out(3 * text.size() / 4 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) {
    return {};
  }
  size_t pad = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    ++pad;
  }
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string SignSha256(EVP_PKEY* key, const std::string& message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t size = 0;
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::string sig(size, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                 reinterpret_cast<const unsigned char*>(message.data()), message.size());
  sig.resize(size);
  return B64(sig);
}

bool VerifySha256(EVP_PKEY* key, const std::string& message, const std::string& sign_b64) {
  std::string sig = Unb64(sign_b64);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
  int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  return ok == 1;
}

// RFC 3986 percent-encoding of every byte but the unreserved ones (a space is %20 here, so the
// double's form decoding of both styles is exercised across tests).
std::string Pct(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0xF]};
    }
  }
  return out;
}

std::string Undo(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

Params ParseForm(const std::string& body) {
  Params out;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    std::string pair = body.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      out[Undo(pair.substr(0, eq))] = eq == std::string::npos ? "" : Undo(pair.substr(eq + 1));
    }
    if (amp == std::string::npos) {
      break;
    }
    pos = amp + 1;
  }
  return out;
}

std::string Content(const Params& p, const std::set<std::string>& excluded) {
  std::string out;
  for (const auto& [k, v] : p) {
    if (!v.empty() && excluded.count(k) == 0) {
      out += (out.empty() ? "" : "&") + k + "=" + v;
    }
  }
  return out;
}

std::string Encode(const Params& p) {
  std::string out;
  for (const auto& [k, v] : p) {
    out += (out.empty() ? "" : "&") + Pct(k) + "=" + Pct(v);
  }
  return out;
}

// The raw text of the value of `"node":` cut from `body` by matching braces outside strings.
std::string RawNode(const std::string& body, const std::string& node) {
  size_t at = body.find("\"" + node + "\":");
  if (at == std::string::npos) {
    return {};
  }
  size_t start = body.find('{', at);
  int depth = 0;
  bool in_string = false;
  for (size_t i = start; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return body.substr(start, i - start + 1);
    }
  }
  return {};
}

std::string NodeName(std::string method) {
  std::replace(method.begin(), method.end(), '.', '_');
  return method + "_response";
}

struct Answer {
  std::string raw;      // the response object's text
  json::object obj;     // parsed
  bool has_sign = false;
  bool sign_ok = false;
  std::string code() const { return obj.contains("code") ? std::string(obj.at("code").as_string()) : ""; }
  std::string sub() const { return obj.contains("sub_code") ? std::string(obj.at("sub_code").as_string()) : ""; }
  std::string str(const char* k) const { return obj.contains(k) ? std::string(obj.at(k).as_string()) : ""; }
};

// ---- The fixture: a merchant, the double, and a plain-HTTP notification receiver ----

class AlipayDoubleTest : public ::testing::Test {
 protected:
  AlipayDoubleTest()
      : app_keys_(NewRsaKeyPair()),
        app_key_(PrivateKey(app_keys_.private_pem)),
        alipay_(AlipayDouble::Options{kAppId, "2088102146225135", app_keys_.public_pem}),
        receiver_(DoubleServer::Options{false}) {
    alipay_.server().SetClock([] { return kNowMs; });
    alipay_key_ = PublicKey(alipay_.alipay_public_key_pem());
    receiver_.Route("POST", "/notify", [this](const Request& r) {
      std::lock_guard lock(mu_);
      received_.push_back(r);
      Response res;
      res.content_type = "text/plain";
      res.body = reply_;
      return res;
    });
  }

  Params Common(const std::string& method) const {
    return Params{{"app_id", kAppId},   {"method", method},      {"format", "JSON"}, {"charset", "utf-8"},
                  {"sign_type", "RSA2"}, {"timestamp", kNowBeijing}, {"version", "1.0"}};
  }
  void SignInto(Params& p) const { p["sign"] = SignSha256(app_key_.get(), Content(p, {"sign"})); }

  std::string NotifyUrl() const { return receiver_.base_url() + "/notify"; }

  json::object WapBiz(const std::string& out_trade_no, const std::string& amount = "20.00") const {
    return json::object{{"out_trade_no", out_trade_no},
                        {"total_amount", amount},
                        {"subject", "爱心捐赠 20 元"},
                        {"product_code", "QUICK_WAP_WAY"},
                        {"quit_url", "https://carecity.example/pay/quit"},
                        {"time_expire", "2026-01-01 08:30:00"}};
  }
  Params WapParams(const json::object& biz) const {
    Params p = Common("alipay.trade.wap.pay");
    p["biz_content"] = json::serialize(biz);
    p["notify_url"] = NotifyUrl();
    p["return_url"] = "https://carecity.example/pay/return";
    SignInto(p);
    return p;
  }
  std::string Link(const Params& p) const { return alipay_.base_url() + "/gateway.do?" + Encode(p); }
  ClientResult Open(const Params& p) const { return Send("GET", Link(p)); }
  void OpenTrade(const std::string& no, const std::string& amount = "20.00") {
    ASSERT_EQ(Open(WapParams(WapBiz(no, amount))).status, 200);
  }

  // The SDK's split: common parameters in the query, biz_content in the form body.
  ClientResult PostRaw(const Params& p) const {
    Params query = p;
    Params body;
    if (auto it = query.find("biz_content"); it != query.end()) {
      body[it->first] = it->second;
      query.erase(it);
    }
    return Send("POST", alipay_.base_url() + "/gateway.do?" + Encode(query), Encode(body),
                {{"Content-Type", "application/x-www-form-urlencoded;charset=utf-8"}});
  }
  Answer Parse(const std::string& method, const ClientResult& r) const {
    Answer a;
    std::string node = NodeName(method);
    a.raw = RawNode(r.body, node);
    if (a.raw.empty()) {
      node = "error_response";
      a.raw = RawNode(r.body, node);
    }
    json::value whole = json::parse(r.body);
    a.obj = whole.as_object().at(node).as_object();
    if (whole.as_object().contains("sign")) {
      a.has_sign = true;
      a.sign_ok = VerifySha256(alipay_key_.get(), a.raw, std::string(whole.as_object().at("sign").as_string()));
    }
    return a;
  }
  Answer Call(const std::string& method, const json::object& biz) {
    Params p = Common(method);
    p["biz_content"] = json::serialize(biz);
    SignInto(p);
    return Parse(method, PostRaw(p));
  }

  std::vector<Request> Received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  void SetReply(std::string r) {
    std::lock_guard lock(mu_);
    reply_ = std::move(r);
  }
  // As our server must: form-decode, drop sign and sign_type and empty values, sort, verify.
  bool NotificationVerifies(const std::string& body) {
    Params p = ParseForm(body);
    return p["sign_type"] == "RSA2" && VerifySha256(alipay_key_.get(), Content(p, {"sign", "sign_type"}), p["sign"]);
  }

  KeyPair app_keys_;
  PkeyPtr app_key_;
  AlipayDouble alipay_;
  PkeyPtr alipay_key_;
  DoubleServer receiver_;
  std::mutex mu_;
  std::vector<Request> received_;
  std::string reply_ = "success";
};

// ---- Links and the cashier ----

TEST_F(AlipayDoubleTest, ASignedWapPayLinkOpensTheCashierAndOnlyThenTheTrade) {
  EXPECT_FALSE(alipay_.trade("T1"));
  ClientResult page = Open(WapParams(WapBiz("T1")));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("付款"), std::string::npos);
  EXPECT_NE(page.body.find("取消"), std::string::npos);
  std::optional<AlipayDouble::Trade> t = alipay_.trade("T1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->trade_status, "WAIT_BUYER_PAY");
  EXPECT_EQ(t->total_amount, "20.00");
  EXPECT_EQ(t->subject, "爱心捐赠 20 元");
  EXPECT_EQ(t->notify_url, NotifyUrl());
  EXPECT_EQ(t->time_expire, "2026-01-01 08:30:00");
  EXPECT_EQ(t->times_opened, 1);
  EXPECT_EQ(alipay_.OpenLink(Link(WapParams(WapBiz("T1")))), 200);
  EXPECT_EQ(alipay_.trade("T1")->times_opened, 2);
}

TEST_F(AlipayDoubleTest, RefusedLinksNameAlipaysCodesAndOpenNoTrade) {
  auto refused = [&](Params p, const std::string& sub_code) {
    ClientResult r = Open(p);
    EXPECT_EQ(r.status, 400) << sub_code;
    EXPECT_NE(r.body.find(sub_code), std::string::npos) << r.body;
  };
  Params bad_sign = WapParams(WapBiz("T2"));
  bad_sign["subject_extra"] = "x";  // a parameter the sign does not cover
  refused(bad_sign, "isv.invalid-signature");
  Params wrong_app = WapParams(WapBiz("T2"));
  wrong_app["app_id"] = "2021000000000001";
  refused(wrong_app, "isv.invalid-app-id");
  Params no_type = WapParams(WapBiz("T2"));
  no_type.erase("sign_type");
  refused(no_type, "isv.missing-signature-type");
  // Signing without sign_type in the content (the notification rule) is wrong for requests.
  Params without_type = Common("alipay.trade.wap.pay");
  without_type["biz_content"] = json::serialize(WapBiz("T2"));
  Params to_sign = without_type;
  to_sign.erase("sign_type");
  without_type["sign"] = SignSha256(app_key_.get(), Content(to_sign, {"sign"}));
  refused(without_type, "isv.invalid-signature");

  json::object three = WapBiz("T2", "20.001");
  refused(WapParams(three), "ACQ.INVALID_PARAMETER");
  refused(WapParams(WapBiz("T2", "0.00")), "ACQ.INVALID_PARAMETER");
  json::object no_subject = WapBiz("T2");
  no_subject.erase("subject");
  refused(WapParams(no_subject), "ACQ.INVALID_PARAMETER");
  json::object wrong_product = WapBiz("T2");
  wrong_product["product_code"] = "FAST_INSTANT_TRADE_PAY";
  refused(WapParams(wrong_product), "ACQ.INVALID_PARAMETER");
  json::object minutes = WapBiz("T2");
  minutes["time_expire"] = "2026-01-01 08:30";
  refused(WapParams(minutes), "ACQ.INVALID_PARAMETER");
  EXPECT_FALSE(alipay_.trade("T2"));
}

TEST_F(AlipayDoubleTest, ReopeningWithAnotherAmountIsRefused) {
  OpenTrade("T3");
  ClientResult r = Open(WapParams(WapBiz("T3", "21.00")));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("ACQ.CONTEXT_INCONSISTENT"), std::string::npos);
}

// ---- Common checks on API calls ----

TEST_F(AlipayDoubleTest, CommonParameterRefusalsCarryTheDocumentedCodes) {
  json::object biz{{"out_trade_no", "T4"}};
  auto call = [&](Params p, bool resign) {
    if (resign) {
      SignInto(p);
    }
    return Parse("alipay.trade.query", PostRaw(p));
  };
  Params base = Common("alipay.trade.query");
  base["biz_content"] = json::serialize(biz);

  Params bad = base;
  SignInto(bad);
  bad["sign"] = SignSha256(app_key_.get(), "something else");
  Answer a = call(bad, false);
  EXPECT_EQ(a.code(), "40002");
  EXPECT_EQ(a.str("msg"), "Invalid Arguments");
  EXPECT_EQ(a.sub(), "isv.invalid-signature");
  EXPECT_TRUE(a.sign_ok);

  Params wrong_app = base;
  wrong_app["app_id"] = "2021000000000001";
  a = call(wrong_app, true);
  EXPECT_EQ(a.code(), "40002");
  EXPECT_EQ(a.sub(), "isv.invalid-app-id");

  Params no_type = base;
  no_type.erase("sign_type");
  a = call(no_type, true);
  EXPECT_EQ(a.code(), "40001");
  EXPECT_EQ(a.sub(), "isv.missing-signature-type");

  Params rsa = base;
  rsa["sign_type"] = "RSA";
  a = call(rsa, true);
  EXPECT_EQ(a.sub(), "isv.invalid-signature-type");

  Params utc = base;
  utc["timestamp"] = "2026-01-01 00:00:00";  // UTC instead of Beijing
  a = call(utc, true);
  EXPECT_EQ(a.sub(), "isv.invalid-timestamp");

  Params iso = base;
  iso["timestamp"] = "2026-01-01T08:00:00";
  a = call(iso, true);
  EXPECT_EQ(a.sub(), "isv.invalid-timestamp");

  Params gbk = base;
  gbk["charset"] = "GBK";
  a = call(gbk, true);
  EXPECT_EQ(a.sub(), "isv.invalid-charset");

  Params v2 = base;
  v2["version"] = "2.0";
  a = call(v2, true);
  EXPECT_EQ(a.code(), "40002");

  Params unknown = base;
  unknown["method"] = "alipay.trade.nonsense";
  SignInto(unknown);
  ClientResult r = PostRaw(unknown);
  EXPECT_NE(r.body.find("\"error_response\""), std::string::npos);
  EXPECT_NE(r.body.find("isv.invalid-method"), std::string::npos);

  // alipay-easysdk sends charset "UTF-8" and format "json": the gateway takes either case.
  Params sdk_case = base;
  sdk_case["charset"] = "UTF-8";
  sdk_case["format"] = "json";
  a = call(sdk_case, true);
  EXPECT_EQ(a.sub(), "ACQ.TRADE_NOT_EXIST");

  // Everything in the form body (design 4.4) is as good as the SDK's split.
  Params all = base;
  SignInto(all);
  ClientResult body_only = Send("POST", alipay_.base_url() + "/gateway.do", Encode(all),
                                {{"Content-Type", "application/x-www-form-urlencoded;charset=utf-8"}});
  EXPECT_EQ(Parse("alipay.trade.query", body_only).sub(), "ACQ.TRADE_NOT_EXIST");
}

TEST_F(AlipayDoubleTest, AnswersAreSignedOverTheRawResponseObjectAndTamperingShows) {
  OpenTrade("T5");
  Answer a = Call("alipay.trade.query", {{"out_trade_no", "T5"}});
  EXPECT_EQ(a.code(), "10000");
  EXPECT_TRUE(a.has_sign);
  EXPECT_TRUE(a.sign_ok);
  // The sign covers the bytes as received (RawNode), so a broken sign must show even though the
  // object itself is intact.
  alipay_.TamperNextAnswers(1);
  a = Call("alipay.trade.query", {{"out_trade_no", "T5"}});
  EXPECT_TRUE(a.has_sign);
  EXPECT_FALSE(a.sign_ok);
  a = Call("alipay.trade.query", {{"out_trade_no", "T5"}});
  EXPECT_TRUE(a.sign_ok);
  // The published key in the console's bare form is the same key.
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  std::string bare = alipay_.alipay_public_key_bare();
  EXPECT_EQ(bare.find('\n'), std::string::npos);
  for (size_t i = 0; i < bare.size(); i += 64) {
    pem += bare.substr(i, 64) + "\n";
  }
  pem += "-----END PUBLIC KEY-----\n";
  PkeyPtr k = PublicKey(pem);
  ASSERT_TRUE(k);
  EXPECT_EQ(EVP_PKEY_eq(k.get(), alipay_key_.get()), 1);
}

// ---- Query, close ----

TEST_F(AlipayDoubleTest, QueryFollowsTheTradeFromOpenToPaid) {
  Answer a = Call("alipay.trade.query", {{"out_trade_no", "T6"}});
  EXPECT_EQ(a.code(), "40004");
  EXPECT_EQ(a.str("msg"), "Business Failed");
  EXPECT_EQ(a.sub(), "ACQ.TRADE_NOT_EXIST");
  EXPECT_TRUE(a.sign_ok);
  OpenTrade("T6");
  a = Call("alipay.trade.query", {{"out_trade_no", "T6"}});
  EXPECT_EQ(a.str("trade_status"), "WAIT_BUYER_PAY");
  EXPECT_FALSE(a.obj.contains("send_pay_date"));
  ASSERT_TRUE(alipay_.Pay("T6"));
  a = Call("alipay.trade.query", {{"out_trade_no", "T6"}});
  EXPECT_EQ(a.code(), "10000");
  EXPECT_EQ(a.str("trade_status"), "TRADE_SUCCESS");
  EXPECT_EQ(a.str("total_amount"), "20.00");
  EXPECT_EQ(a.str("send_pay_date"), kNowBeijing);
  EXPECT_EQ(a.str("trade_no"), alipay_.trade("T6")->trade_no);
  EXPECT_NE(a.str("buyer_logon_id").find("****"), std::string::npos);
  EXPECT_FALSE(alipay_.Pay("T6"));
}

TEST_F(AlipayDoubleTest, CloseClosesOnlyUnpaidOpenedTrades) {
  EXPECT_EQ(Call("alipay.trade.close", {{"out_trade_no", "T7"}}).sub(), "ACQ.TRADE_NOT_EXIST");
  OpenTrade("T7");
  Answer a = Call("alipay.trade.close", {{"out_trade_no", "T7"}});
  EXPECT_EQ(a.code(), "10000");
  EXPECT_EQ(alipay_.trade("T7")->trade_status, "TRADE_CLOSED");
  EXPECT_TRUE(alipay_.trade("T7")->closed_by_merchant);
  EXPECT_FALSE(alipay_.Pay("T7"));
  OpenTrade("T8");
  ASSERT_TRUE(alipay_.Pay("T8"));
  a = Call("alipay.trade.close", {{"out_trade_no", "T8"}});
  EXPECT_EQ(a.code(), "40004");
  EXPECT_EQ(a.sub(), "ACQ.TRADE_STATUS_ERROR");
}

TEST_F(AlipayDoubleTest, AnUnpaidTradePastTimeExpireCannotBePaidAndReadsClosed) {
  OpenTrade("T9");
  alipay_.server().SetClock([] { return kNowMs + 31 * 60 * 1000; });
  EXPECT_FALSE(alipay_.Pay("T9"));
  EXPECT_EQ(alipay_.trade("T9")->trade_status, "TRADE_CLOSED");
  EXPECT_TRUE(alipay_.deliveries().empty());
}

// ---- Refunds ----

TEST_F(AlipayDoubleTest, RefundsAreCumulativeIdempotentAndBounded) {
  OpenTrade("R1");
  EXPECT_EQ(Call("alipay.trade.refund", {{"out_trade_no", "R1"}, {"refund_amount", "5.00"}, {"out_request_no", "r1"}})
                .sub(),
            "ACQ.TRADE_STATUS_ERROR");
  ASSERT_TRUE(alipay_.Pay("R1"));
  Answer a = Call("alipay.trade.refund",
                  {{"out_trade_no", "R1"}, {"refund_amount", "5.00"}, {"out_request_no", "r1"}, {"refund_reason", "退"}});
  EXPECT_EQ(a.code(), "10000");
  EXPECT_EQ(a.str("fund_change"), "Y");
  EXPECT_EQ(a.str("refund_fee"), "5.00");
  EXPECT_EQ(a.str("gmt_refund_pay"), kNowBeijing);
  EXPECT_TRUE(a.sign_ok);
  a = Call("alipay.trade.refund", {{"out_trade_no", "R1"}, {"refund_amount", "5.00"}, {"out_request_no", "r1"}});
  EXPECT_EQ(a.code(), "10000");
  EXPECT_EQ(a.str("fund_change"), "N");
  EXPECT_EQ(a.str("refund_fee"), "5.00");
  EXPECT_EQ(alipay_.refunds_executed("R1"), 1);
  a = Call("alipay.trade.refund", {{"out_trade_no", "R1"}, {"refund_amount", "15.01"}, {"out_request_no", "r2"}});
  EXPECT_EQ(a.code(), "40004");
  EXPECT_EQ(a.sub(), "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
  EXPECT_EQ(Call("alipay.trade.refund", {{"out_trade_no", "R1"}, {"refund_amount", "1.001"}, {"out_request_no", "r2"}})
                .sub(),
            "ACQ.INVALID_PARAMETER");
  a = Call("alipay.trade.refund", {{"out_trade_no", "R1"}, {"refund_amount", "15.00"}, {"out_request_no", "r2"}});
  EXPECT_EQ(a.str("fund_change"), "Y");
  EXPECT_EQ(a.str("refund_fee"), "20.00");
  EXPECT_EQ(alipay_.trade("R1")->trade_status, "TRADE_CLOSED");
  EXPECT_EQ(alipay_.trade("R1")->refunded_amount, "20.00");
  EXPECT_EQ(alipay_.refunds_executed("R1"), 2);
  Answer q = Call("alipay.trade.query", {{"out_trade_no", "R1"}});
  EXPECT_EQ(q.str("trade_status"), "TRADE_CLOSED");
  EXPECT_EQ(q.str("send_pay_date"), kNowBeijing);  // how a merchant tells refunded from never paid

  Answer rq = Call("alipay.trade.fastpay.refund.query", {{"out_trade_no", "R1"}, {"out_request_no", "r1"}});
  EXPECT_EQ(rq.code(), "10000");
  EXPECT_EQ(rq.str("refund_status"), "REFUND_SUCCESS");
  EXPECT_EQ(rq.str("refund_amount"), "5.00");
  rq = Call("alipay.trade.fastpay.refund.query", {{"out_trade_no", "R1"}, {"out_request_no", "nope"}});
  EXPECT_EQ(rq.code(), "10000");
  EXPECT_FALSE(rq.obj.contains("refund_status"));
  EXPECT_FALSE(rq.obj.contains("refund_amount"));
  EXPECT_EQ(Call("alipay.trade.fastpay.refund.query", {{"out_trade_no", "R9"}, {"out_request_no", "r1"}}).sub(),
            "ACQ.TRADE_NOT_EXIST");
  EXPECT_EQ(Call("alipay.trade.refund", {{"out_trade_no", "R9"}, {"refund_amount", "1.00"}, {"out_request_no", "x"}})
                .sub(),
            "ACQ.TRADE_NOT_EXIST");
}

TEST_F(AlipayDoubleTest, AProcessingRefundAnswersNoStatusForNQueriesThenSuccess) {
  OpenTrade("R2");
  ASSERT_TRUE(alipay_.Pay("R2"));
  alipay_.SetRefundOutcome("p1", 2);
  Answer a = Call("alipay.trade.refund", {{"out_trade_no", "R2"}, {"refund_amount", "3.00"}, {"out_request_no", "p1"}});
  EXPECT_EQ(a.code(), "10000");
  EXPECT_EQ(a.str("fund_change"), "N");
  EXPECT_EQ(alipay_.refunds_executed("R2"), 1);
  for (int i = 0; i < 2; ++i) {
    Answer q = Call("alipay.trade.fastpay.refund.query", {{"out_trade_no", "R2"}, {"out_request_no", "p1"}});
    EXPECT_EQ(q.code(), "10000");
    EXPECT_NE(q.str("refund_status"), "REFUND_SUCCESS") << i;
  }
  Answer q = Call("alipay.trade.fastpay.refund.query", {{"out_trade_no", "R2"}, {"out_request_no", "p1"}});
  EXPECT_EQ(q.str("refund_status"), "REFUND_SUCCESS");
  EXPECT_EQ(q.str("refund_amount"), "3.00");
}

TEST_F(AlipayDoubleTest, FailNextAnswersTheGivenCodeWithoutEffect) {
  OpenTrade("F1");
  ASSERT_TRUE(alipay_.Pay("F1"));
  alipay_.FailNext("alipay.trade.refund", 1, "40004", "ACQ.SYSTEM_ERROR");
  Answer a = Call("alipay.trade.refund", {{"out_trade_no", "F1"}, {"refund_amount", "1.00"}, {"out_request_no", "f"}});
  EXPECT_EQ(a.code(), "40004");
  EXPECT_EQ(a.sub(), "ACQ.SYSTEM_ERROR");
  EXPECT_TRUE(a.sign_ok);
  EXPECT_EQ(alipay_.refunds_executed("F1"), 0);
  a = Call("alipay.trade.refund", {{"out_trade_no", "F1"}, {"refund_amount", "1.00"}, {"out_request_no", "f"}});
  EXPECT_EQ(a.str("fund_change"), "Y");
  alipay_.FailNext("alipay.trade.query", 2, "20000", "isp.unknow-error");
  EXPECT_EQ(Call("alipay.trade.query", {{"out_trade_no", "F1"}}).code(), "20000");
  EXPECT_EQ(Call("alipay.trade.query", {{"out_trade_no", "F1"}}).str("msg"), "Service Currently Unavailable");
  EXPECT_EQ(Call("alipay.trade.query", {{"out_trade_no", "F1"}}).code(), "10000");
}

// ---- Notifications ----

TEST_F(AlipayDoubleTest, ThePaymentNotificationIsFormEncodedAndSignedWithoutSignType) {
  OpenTrade("N1");
  ASSERT_TRUE(alipay_.Pay("N1"));
  std::vector<Request> got = Received();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].headers["content-type"].rfind("application/x-www-form-urlencoded", 0), 0U);
  EXPECT_TRUE(NotificationVerifies(got[0].body));
  Params p = ParseForm(got[0].body);
  // Including sign_type in the content (the request rule) must not verify.
  EXPECT_FALSE(VerifySha256(alipay_key_.get(), Content(p, {"sign"}), p["sign"]));
  EXPECT_EQ(p["notify_type"], "trade_status_sync");
  EXPECT_EQ(p["trade_status"], "TRADE_SUCCESS");
  EXPECT_EQ(p["app_id"], kAppId);
  EXPECT_EQ(p["seller_id"], "2088102146225135");
  EXPECT_EQ(p["out_trade_no"], "N1");
  EXPECT_EQ(p["trade_no"], alipay_.trade("N1")->trade_no);
  EXPECT_EQ(p["total_amount"], "20.00");
  EXPECT_EQ(p["gmt_payment"], kNowBeijing);
  EXPECT_EQ(p["notify_time"], kNowBeijing);
  EXPECT_EQ(p["subject"], "爱心捐赠 20 元");
  EXPECT_EQ(p["version"], "1.0");
  EXPECT_EQ(p["charset"], "utf-8");
  for (const char* k : {"notify_id", "receipt_amount", "buyer_pay_amount", "gmt_create", "buyer_id"}) {
    EXPECT_FALSE(p[k].empty()) << k;
  }
  EXPECT_TRUE(p.count("body") == 1 && p["body"].empty());  // empty values present by default
  EXPECT_NE(got[0].body.find("notify_time=2026-01-01+08"), std::string::npos);  // '+' is a space
  ASSERT_EQ(alipay_.deliveries().size(), 1U);
  EXPECT_EQ(alipay_.deliveries()[0].answer, "success");
}

TEST_F(AlipayDoubleTest, TheNotificationIsRetriedUntilTheBodyIsExactlySuccess) {
  for (const char* reply : {"SUCCESS", "success\n", "fail"}) {
    SetReply(reply);
    std::string no = std::string("N2") + std::to_string(std::strlen(reply));
    OpenTrade(no);
    size_t before = alipay_.deliveries().size();
    ASSERT_TRUE(alipay_.Pay(no));
    EXPECT_EQ(alipay_.deliveries().size() - before, 3U) << reply;
  }
  SetReply("success");
  alipay_.SetNotifyFaults({.max_attempts = 5});
  OpenTrade("N3");
  ASSERT_TRUE(alipay_.Pay("N3"));
  EXPECT_EQ(alipay_.deliveries().size(), 10U);
  SetReply("nope");
  alipay_.SetNotifyFaults({.max_attempts = 5});
  OpenTrade("N4");
  ASSERT_TRUE(alipay_.Pay("N4"));
  EXPECT_EQ(alipay_.deliveries().size(), 15U);
}

TEST_F(AlipayDoubleTest, EachNotificationFaultShowsAtTheReceiver) {
  OpenTrade("K1");
  alipay_.SetNotifyFaults({.duplicates = 2});
  ASSERT_TRUE(alipay_.Pay("K1"));
  EXPECT_EQ(Received().size(), 3U);

  OpenTrade("K2");
  alipay_.SetNotifyFaults({.tamper_signature = true, .max_attempts = 1});
  ASSERT_TRUE(alipay_.Pay("K2"));
  EXPECT_FALSE(NotificationVerifies(Received().back().body));

  OpenTrade("K3");
  alipay_.SetNotifyFaults({.wrong_app_id = true});
  ASSERT_TRUE(alipay_.Pay("K3"));
  EXPECT_TRUE(NotificationVerifies(Received().back().body));
  EXPECT_NE(ParseForm(Received().back().body)["app_id"], kAppId);

  OpenTrade("K4");
  alipay_.SetNotifyFaults({.empty_values_present = false});
  ASSERT_TRUE(alipay_.Pay("K4"));
  EXPECT_EQ(ParseForm(Received().back().body).count("body"), 0U);
  EXPECT_TRUE(NotificationVerifies(Received().back().body));

  OpenTrade("K5");
  alipay_.SetNotifyFaults({.lose = true});
  size_t before = Received().size();
  ASSERT_TRUE(alipay_.Pay("K5"));
  EXPECT_EQ(Received().size(), before);
  alipay_.server().SetClock([] { return kNowMs + 60'000; });
  AlipayDouble::Delivery d = alipay_.Redeliver("K5");
  EXPECT_EQ(d.answer, "success");
  ASSERT_EQ(Received().size(), before + 1);
  Params p = ParseForm(Received().back().body);
  EXPECT_EQ(p["notify_time"], "2026-01-01 08:01:00");
  EXPECT_EQ(p["gmt_payment"], kNowBeijing);
  EXPECT_TRUE(NotificationVerifies(Received().back().body));
  EXPECT_FALSE(alipay_.Redeliver("none").error.empty());
}

TEST_F(AlipayDoubleTest, TheCashierPayButtonPaysAndNotifies) {
  ClientResult page = Open(WapParams(WapBiz("C1")));
  size_t at = page.body.find("action=\"");
  ASSERT_NE(at, std::string::npos);
  std::string action = page.body.substr(at + 8, page.body.find('"', at + 8) - at - 8);
  ClientResult paid = Send("POST", alipay_.base_url() + action);
  EXPECT_EQ(paid.status, 200);
  alipay_.WaitForDeliveries();
  EXPECT_EQ(alipay_.trade("C1")->trade_status, "TRADE_SUCCESS");
  ASSERT_EQ(Received().size(), 1U);
  EXPECT_TRUE(NotificationVerifies(Received()[0].body));
}

}  // namespace
}  // namespace doubles
