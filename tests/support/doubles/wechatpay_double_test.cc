// The WeChat Pay v3 double checked from the merchant's side with code of this file's own: a
// request signer, an answer verifier and a notification receiver on raw OpenSSL. If the double
// misread WeChat's protocol the same way as this file, WeChat's documented example (the
// known-answer test) would still catch the message format.
#include "doubles/wechatpay_double.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "doubles/client.h"
#include "doubles/double_server.h"
#include "doubles/test_pki.h"

namespace doubles {
namespace {

namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;
using Mode = WechatPayDouble::Options::Mode;

constexpr const char* kApiV3Key = "0123456789abcdefghijABCDEFGHIJ01";  // 32 ASCII bytes
constexpr const char* kOpenid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
// A fixed "now" (2026-01-01T08:00:00+08:00) so times and windows are exact.
constexpr int64_t kNowMs = 1767225600000;

// ---- The merchant's own crypto (raw OpenSSL, nothing shared with the double) ----

template <auto FreeFn>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};
void FreeOpenSslString(char* p) { OPENSSL_free(p); }
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;

PkeyPtr PrivateKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr PublicKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr CertificateKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  return PkeyPtr(cert ? X509_get_pubkey(cert.get()) : nullptr);
}

std::string ToBase64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> FromBase64(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) {
    return std::nullopt;
  }
  size_t pad = text.back() == '=' ? (text[text.size() - 2] == '=' ? 2 : 1) : 0;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string SignWith(const std::string& private_pem, const std::string& message) {
  PkeyPtr key = PrivateKey(private_pem);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t size = 0;
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()), 1);
  EXPECT_EQ(
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()), message.size()),
      1);
  std::string signature(size, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                           reinterpret_cast<const unsigned char*>(message.data()), message.size()),
            1);
  signature.resize(size);
  return ToBase64(signature);
}

bool VerifyWith(EVP_PKEY* key, const std::string& message, const std::string& signature_base64) {
  std::optional<std::string> signature = FromBase64(signature_base64);
  if (key == nullptr || !signature) {
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return false;
  }
  int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  return ok == 1;
}

// AES-256-GCM open of base64(ciphertext ‖ tag); nullopt when the tag does not match.
std::optional<std::string> AesGcmOpen(const std::string& key, const std::string& nonce, const std::string& aad,
                                      const std::string& ciphertext_base64) {
  std::optional<std::string> input = FromBase64(ciphertext_base64);
  constexpr size_t kTag = 16;
  if (!input || input->size() < kTag || key.size() != 32) {
    return std::nullopt;
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  std::string out(input->size() - kTag, '\0');
  std::string tag = input->substr(input->size() - kTag);
  bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                         reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                        reinterpret_cast<const unsigned char*>(input->data()), static_cast<int>(out.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTag), tag.data()) == 1;
  int tail = 0;
  ok = ok && EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail) > 0;
  ERR_clear_error();
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

// The merchant's message builder, written here from W1 (not the double's).
std::string MerchantMessage(const std::string& method, const std::string& target, const std::string& ts,
                            const std::string& nonce, const std::string& body) {
  return method + "\n" + target + "\n" + ts + "\n" + nonce + "\n" + body + "\n";
}

const KeyPair& MerchantKeys() {
  static const KeyPair keys = NewRsaKeyPair();
  return keys;
}

const KeyPair& StrangerKeys() {
  static const KeyPair keys = NewRsaKeyPair();
  return keys;
}

std::string Header(const ClientResult& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

json::object Json(const std::string& text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << text;
    return {};
  }
  return v.as_object();
}

std::string Str(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

// How a test request departs from a well-made one.
struct Call {
  std::string method = "GET";
  std::string target;
  std::string body;
  int64_t ts_offset_s = 0;
  std::optional<std::string> sign_pem;       // default: the merchant's key
  std::optional<std::string> serial_no;      // default: the configured serial
  std::optional<std::string> mchid;          // default: the configured mchid
  std::optional<std::string> signed_body;    // sign one body, send another
  std::optional<std::string> authorization;  // replaces the whole header
  bool accept = true;
  bool user_agent = true;
  Headers extra;
};

// ---- A local "our server" that receives notifications and checks them as the merchant must ----

struct Received {
  std::map<std::string, std::string> headers;
  std::string body;
  bool serial_known = false, signature_ok = false, fresh = false, decrypted = false;
  json::object envelope, resource;
};

class Receiver {
 public:
  Receiver(const WechatPayDouble& wx, std::function<int64_t()> now_ms) : now_ms_(std::move(now_ms)) {
    keys_.emplace(wx.platform_public_key_id(), PublicKey(wx.platform_public_key_pem()));
    keys_.emplace(wx.platform_certificate_serial(), CertificateKey(wx.platform_certificate_pem()));
    DoubleServer::Options options;
    options.tls = false;
    server_ = std::make_unique<DoubleServer>(options);
    server_->Route("POST", "/notify", [this](const Request& req) { return Handle(req); });
  }

  std::string url() const { return server_->base_url() + "/notify"; }
  void FailNext(int n) {
    std::lock_guard lock(mu_);
    fail_next_ = n;
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  Response Handle(const Request& req) {
    Received r;
    r.headers = req.headers;
    r.body = req.body;
    auto h = [&](const char* name) {
      auto it = req.headers.find(name);
      return it == req.headers.end() ? std::string() : it->second;
    };
    auto key = keys_.find(h("wechatpay-serial"));
    r.serial_known = key != keys_.end();
    const std::string ts = h("wechatpay-timestamp");
    r.signature_ok =
        r.serial_known && VerifyWith(key->second.get(), ts + "\n" + h("wechatpay-nonce") + "\n" + req.body + "\n",
                                     h("wechatpay-signature"));
    r.fresh = !ts.empty() && std::llabs(std::stoll(ts) - now_ms_() / 1000) < 300;
    r.envelope = Json(req.body);
    if (auto it = r.envelope.find("resource"); it != r.envelope.end() && it->value().is_object()) {
      const json::object& res = it->value().get_object();
      std::optional<std::string> plain =
          AesGcmOpen(kApiV3Key, Str(res, "nonce"), Str(res, "associated_data"), Str(res, "ciphertext"));
      r.decrypted = plain.has_value();
      if (plain) {
        r.resource = Json(*plain);
      }
    }
    bool ok = r.signature_ok && r.fresh && r.decrypted;
    Response res;
    {
      std::lock_guard lock(mu_);
      received_.push_back(std::move(r));
      if (ok && fail_next_ > 0) {
        --fail_next_;
        res.status = 500;
        res.body = R"({"code":"FAIL","message":"busy"})";
        return res;
      }
    }
    res.status = ok ? 204 : 400;
    res.body = ok ? "" : R"({"code":"FAIL","message":"rejected"})";
    if (ok) {
      res.content_type.clear();
    }
    return res;
  }

  std::function<int64_t()> now_ms_;
  std::map<std::string, PkeyPtr> keys_;  // serial → key, as the merchant configures them (W12)
  mutable std::mutex mu_;
  std::vector<Received> received_;  // GUARDED_BY(mu_)
  int fail_next_ = 0;               // GUARDED_BY(mu_)
  std::unique_ptr<DoubleServer> server_;
};

// ---- The fixture ----

class WechatPayDoubleTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(Mode::kPublicKey); }

  void Start(Mode mode) {
    receiver_.reset();
    WechatPayDouble::Options options;
    options.merchant_public_key_pem = MerchantKeys().public_pem;
    options.apiv3_key = kApiV3Key;
    options.mode = mode;
    wx_ = std::make_unique<WechatPayDouble>(options);
    options_ = options;
    wx_->server().SetClock([this] { return now_ms_.load(); });
    wx_->AddOpenid(kOpenid);
    receiver_ = std::make_unique<Receiver>(*wx_, [this] { return now_ms_.load(); });
  }

  void TearDown() override {
    wx_->WaitForDeliveries();
    receiver_.reset();
    wx_.reset();
  }

  ClientResult Send(const Call& c) {
    const std::string ts = std::to_string(now_ms_.load() / 1000 + c.ts_offset_s);
    const std::string nonce = "593BEC0C930BF1AFEB40B4A08C8FB242";
    const std::string message = MerchantMessage(c.method, c.target, ts, nonce, c.signed_body.value_or(c.body));
    const std::string signature = SignWith(c.sign_pem.value_or(MerchantKeys().private_pem), message);
    const std::string auth =
        c.authorization.value_or("WECHATPAY2-SHA256-RSA2048 mchid=\"" + c.mchid.value_or(options_.mchid) +
                                 "\",nonce_str=\"" + nonce + "\",signature=\"" + signature + "\",timestamp=\"" + ts +
                                 "\",serial_no=\"" + c.serial_no.value_or(options_.merchant_cert_serial) + "\"");
    Headers headers;
    if (!auth.empty()) {
      headers.emplace_back("Authorization", auth);
    }
    if (c.accept) {
      headers.emplace_back("Accept", "application/json");
    }
    headers.emplace_back("User-Agent", c.user_agent ? "carecity-test/1" : "");
    if (!c.body.empty()) {
      headers.emplace_back("Content-Type", "application/json");
    }
    for (const auto& h : c.extra) {
      headers.push_back(h);
    }
    return doubles::Send(c.method, wx_->base_url() + c.target, c.body, headers);
  }

  json::object JsapiOrder(const std::string& out_trade_no, int64_t total = 2000) {
    return json::object{{"appid", options_.appid},
                        {"mchid", options_.mchid},
                        {"description", "CareCity 爱心捐赠"},
                        {"out_trade_no", out_trade_no},
                        {"time_expire", "2026-01-01T10:00:00+08:00"},
                        {"notify_url", receiver_->url()},
                        {"amount", json::object{{"total", total}, {"currency", "CNY"}}},
                        {"payer", json::object{{"openid", kOpenid}}}};
  }

  json::object H5Order(const std::string& out_trade_no) {
    json::object o = JsapiOrder(out_trade_no);
    o.erase("payer");
    o["scene_info"] = json::object{{"payer_client_ip", "203.0.113.7"}, {"h5_info", json::object{{"type", "Wap"}}}};
    return o;
  }

  ClientResult Post(const std::string& target, const json::object& body) {
    Call c;
    c.method = "POST";
    c.target = target;
    c.body = json::serialize(body);
    return Send(c);
  }

  ClientResult Get(const std::string& target) {
    Call c;
    c.target = target;
    return Send(c);
  }

  ClientResult Query(const std::string& out_trade_no) {
    return Get("/v3/pay/transactions/out-trade-no/" + out_trade_no + "?mchid=" + options_.mchid);
  }

  ClientResult Close(const std::string& out_trade_no) {
    return Post("/v3/pay/transactions/out-trade-no/" + out_trade_no + "/close",
                json::object{{"mchid", options_.mchid}});
  }

  json::object RefundRequest(const std::string& out_trade_no, const std::string& out_refund_no, int64_t refund,
                             int64_t total = 2000) {
    return json::object{{"out_trade_no", out_trade_no},
                        {"out_refund_no", out_refund_no},
                        {"reason", "捐赠撤回"},
                        {"notify_url", receiver_->url()},
                        {"amount", json::object{{"refund", refund}, {"total", total}, {"currency", "CNY"}}}};
  }

  std::string PaidOrder(const std::string& out_trade_no) {
    ClientResult r = Post("/v3/pay/transactions/jsapi", JsapiOrder(out_trade_no));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(wx_->Pay(out_trade_no));
    return out_trade_no;
  }

  // The answer's signature verifies with `key` over "<ts>\n<nonce>\n<body>\n" (W2).
  static bool AnswerVerifies(const ClientResult& r, EVP_PKEY* key) {
    return VerifyWith(key,
                      Header(r, "wechatpay-timestamp") + "\n" + Header(r, "wechatpay-nonce") + "\n" + r.body + "\n",
                      Header(r, "wechatpay-signature"));
  }

  void ExpectWxError(const ClientResult& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body << r.error;
    EXPECT_EQ(Str(Json(r.body), "code"), code) << r.body;
    EXPECT_TRUE(Header(r, "wechatpay-signature").empty()) << "error answers are not signed";
  }

  std::atomic<int64_t> now_ms_{kNowMs};
  WechatPayDouble::Options options_;
  std::unique_ptr<WechatPayDouble> wx_;
  std::unique_ptr<Receiver> receiver_;
};

// ---- Signing ----

TEST(WechatPaySignatureMessageTest, MatchesWeChatsDocumentedExample) {
  const std::string expected = "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n";
  EXPECT_EQ(WechatPayRequestMessage("GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", ""),
            expected);
  EXPECT_EQ(MerchantMessage("GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", ""), expected);
}

TEST_F(WechatPayDoubleTest, AJsapiOrderAnswersAPrepayIdSignedWithThePlatformPublicKey) {
  ClientResult r = Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000"));
  ASSERT_EQ(r.status, 200) << r.body << r.error;
  json::object body = Json(r.body);
  EXPECT_EQ(Str(body, "prepay_id").rfind("wx", 0), 0u) << r.body;
  EXPECT_EQ(Header(r, "wechatpay-serial"), wx_->platform_public_key_id());
  EXPECT_EQ(wx_->platform_public_key_id().rfind("PUB_KEY_ID_01", 0), 0u);
  EXPECT_FALSE(Header(r, "request-id").empty());
  EXPECT_EQ(Header(r, "wechatpay-timestamp"), std::to_string(kNowMs / 1000));
  EXPECT_EQ(Header(r, "wechatpay-nonce").size(), 32u);

  PkeyPtr platform = PublicKey(wx_->platform_public_key_pem());
  EXPECT_TRUE(AnswerVerifies(r, platform.get()));
  ClientResult flipped = r;
  flipped.body[flipped.body.size() / 2] ^= 0x01;
  EXPECT_FALSE(AnswerVerifies(flipped, platform.get()));
  PkeyPtr certificate_key = CertificateKey(wx_->platform_certificate_pem());
  EXPECT_FALSE(AnswerVerifies(r, certificate_key.get())) << "signed with the public key, not the certificate's";

  std::optional<WechatPayDouble::Order> order = wx_->order("CC1T1767225600000");
  ASSERT_TRUE(order);
  EXPECT_EQ(order->kind, "jsapi");
  EXPECT_EQ(order->trade_state, "NOTPAY");
  EXPECT_EQ(order->total, 2000);
  EXPECT_EQ(order->openid, kOpenid);
  EXPECT_EQ(order->prepay_id, Str(body, "prepay_id"));
  EXPECT_EQ(order->times_ordered, 1);
}

TEST_F(WechatPayDoubleTest, RequestsThatAreUnsignedBadlySignedStaleOrMisnamedAre401SignError) {
  const std::string target = "/v3/pay/transactions/out-trade-no/CC1T1767225600000?mchid=1900000001";
  std::vector<std::pair<std::string, Call>> cases;
  Call base;
  base.target = target;
  {
    Call c = base;
    c.authorization = "";
    cases.emplace_back("no Authorization", c);
  }
  {
    Call c = base;
    c.authorization = "Bearer abc";
    cases.emplace_back("another scheme", c);
  }
  {
    Call c = base;
    c.authorization = "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"x\"";
    cases.emplace_back("parameters missing", c);
  }
  {
    Call c = base;
    c.sign_pem = StrangerKeys().private_pem;
    cases.emplace_back("signed with another key", c);
  }
  {
    Call c = base;
    c.ts_offset_s = -301;
    cases.emplace_back("timestamp 301 s old", c);
  }
  {
    Call c = base;
    c.ts_offset_s = 301;
    cases.emplace_back("timestamp 301 s ahead", c);
  }
  {
    Call c = base;
    c.serial_no = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    cases.emplace_back("unknown serial_no", c);
  }
  {
    Call c = base;
    c.mchid = "1900000002";
    cases.emplace_back("another mchid", c);
  }
  {
    Call c;
    c.method = "POST";
    c.target = "/v3/pay/transactions/out-trade-no/CC1T1767225600000/close";
    c.body = R"({"mchid":"1900000001"})";
    c.signed_body = R"({"mchid":"1900000009"})";
    cases.emplace_back("body changed after signing", c);
  }
  for (const auto& [what, call] : cases) {
    SCOPED_TRACE(what);
    ClientResult r = Send(call);
    ExpectWxError(r, 401, "SIGN_ERROR");
  }
  // The query string is part of the signed target: signing the path alone fails.
  Call path_only = base;
  path_only.authorization.reset();
  {
    const std::string ts = std::to_string(kNowMs / 1000);
    const std::string sig =
        SignWith(MerchantKeys().private_pem,
                 MerchantMessage("GET", "/v3/pay/transactions/out-trade-no/CC1T1767225600000", ts, "n1", ""));
    path_only.authorization = "WECHATPAY2-SHA256-RSA2048 mchid=\"1900000001\",nonce_str=\"n1\",timestamp=\"" + ts +
                              "\",serial_no=\"" + options_.merchant_cert_serial + "\",signature=\"" + sig + "\"";
  }
  ExpectWxError(Send(path_only), 401, "SIGN_ERROR");
  // Within the window and well signed, the same request is accepted (then 404: no such order).
  Call fine = base;
  fine.ts_offset_s = -299;
  ExpectWxError(Send(fine), 404, "ORDER_NOT_EXIST");
}

TEST_F(WechatPayDoubleTest, MissingUserAgentOrAcceptIs400InvalidRequest) {
  Call c;
  c.target = "/v3/pay/transactions/out-trade-no/CC1T1767225600000?mchid=1900000001";
  c.user_agent = false;
  ExpectWxError(Send(c), 400, "INVALID_REQUEST");
  c.user_agent = true;
  c.accept = false;
  ExpectWxError(Send(c), 400, "INVALID_REQUEST");
}

TEST_F(WechatPayDoubleTest, BadOrderFieldsAre400ParamErrorNamingTheField) {
  struct Case {
    const char* what;
    std::function<void(json::object&)> change;
    const char* field;
    bool h5 = false;
  };
  const std::vector<Case> cases = {
      {"description too long", [](json::object& o) { o["description"] = std::string(128, 'x'); }, "/description"},
      {"description empty", [](json::object& o) { o["description"] = ""; }, "/description"},
      {"description with an emoji", [](json::object& o) { o["description"] = "捐赠\xF0\x9F\x98\x80"; }, "/description"},
      {"out_trade_no too short", [](json::object& o) { o["out_trade_no"] = "CC123"; }, "/out_trade_no"},
      {"out_trade_no too long", [](json::object& o) { o["out_trade_no"] = std::string(33, '1'); }, "/out_trade_no"},
      {"out_trade_no with a dot", [](json::object& o) { o["out_trade_no"] = "CC1.2345"; }, "/out_trade_no"},
      {"time_expire without offset", [](json::object& o) { o["time_expire"] = "2026-01-01T10:00:00"; }, "/time_expire"},
      {"time_expire 30 s ahead", [](json::object& o) { o["time_expire"] = "2026-01-01T08:00:30+08:00"; },
       "/time_expire"},
      {"notify_url with a query", [](json::object& o) { o["notify_url"] = "https://example.com/n?x=1"; },
       "/notify_url"},
      {"notify_url plain http off loopback", [](json::object& o) { o["notify_url"] = "http://example.com/n"; },
       "/notify_url"},
      {"notify_url missing", [](json::object& o) { o.erase("notify_url"); }, "/notify_url"},
      {"total zero", [](json::object& o) { o["amount"].as_object()["total"] = 0; }, "/amount/total"},
      {"total as a string", [](json::object& o) { o["amount"].as_object()["total"] = "2000"; }, "/amount/total"},
      {"total as a fraction", [](json::object& o) { o["amount"].as_object()["total"] = 20.5; }, "/amount/total"},
      {"currency USD", [](json::object& o) { o["amount"].as_object()["currency"] = "USD"; }, "/amount/currency"},
      {"unknown openid", [](json::object& o) { o["payer"].as_object()["openid"] = "oNobody"; }, "/payer/openid"},
      {"no payer", [](json::object& o) { o.erase("payer"); }, "/payer"},
      {"h5 without client ip", [](json::object& o) { o["scene_info"].as_object().erase("payer_client_ip"); },
       "/scene_info/payer_client_ip", true},
      {"h5 with a bad client ip", [](json::object& o) { o["scene_info"].as_object()["payer_client_ip"] = "1.2.3"; },
       "/scene_info/payer_client_ip", true},
      {"h5 without h5_info.type",
       [](json::object& o) { o["scene_info"].as_object()["h5_info"].as_object().erase("type"); },
       "/scene_info/h5_info/type", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    json::object order = c.h5 ? H5Order("CC1T1767225600000") : JsapiOrder("CC1T1767225600000");
    c.change(order);
    ClientResult r = Post(c.h5 ? "/v3/pay/transactions/h5" : "/v3/pay/transactions/jsapi", order);
    ExpectWxError(r, 400, "PARAM_ERROR");
    json::object body = Json(r.body);
    ASSERT_TRUE(body.contains("detail")) << r.body;
    EXPECT_EQ(Str(body["detail"].as_object(), "field"), c.field) << r.body;
  }
  EXPECT_FALSE(wx_->order("CC1T1767225600000")) << "no refused order was made";

  json::object other_app = JsapiOrder("CC1T1767225600000");
  other_app["appid"] = "wx0000000000000000";
  ExpectWxError(Post("/v3/pay/transactions/jsapi", other_app), 400, "APPID_MCHID_NOT_MATCH");
  // 127 bytes is the limit, not 127 characters.
  json::object at_limit = JsapiOrder("CC1T1767225600000");
  at_limit["description"] = std::string(127, 'x');
  EXPECT_EQ(Post("/v3/pay/transactions/jsapi", at_limit).status, 200);
}

TEST_F(WechatPayDoubleTest, AReorderWithTheSameParametersGetsTheSamePrepayIdAndOtherParametersAreRefused) {
  ClientResult first = Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000"));
  ClientResult again = Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000"));
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Str(Json(first.body), "prepay_id"), Str(Json(again.body), "prepay_id"));
  EXPECT_EQ(wx_->order("CC1T1767225600000")->times_ordered, 2);

  ExpectWxError(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000", 3000)), 403, "OUT_TRADE_NO_USED");
  ExpectWxError(Post("/v3/pay/transactions/h5", H5Order("CC1T1767225600000")), 403, "OUT_TRADE_NO_USED");
  EXPECT_EQ(wx_->order("CC1T1767225600000")->times_ordered, 2);
  EXPECT_EQ(wx_->order("CC1T1767225600000")->total, 2000);

  ASSERT_TRUE(wx_->Pay("CC1T1767225600000"));
  ExpectWxError(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000")), 400, "ORDERPAID");
}

TEST_F(WechatPayDoubleTest, AnH5OrderGetsACashierLinkOnThisDoubleAndAReorderAFreshOne) {
  ClientResult first = Post("/v3/pay/transactions/h5", H5Order("CC1T1767225600001"));
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string url = Str(Json(first.body), "h5_url");
  EXPECT_EQ(url.rfind(wx_->base_url() + "/double/h5/wx", 0), 0u) << url;
  EXPECT_NE(url.find("?prepay_id=wx"), std::string::npos) << url;
  EXPECT_NE(url.find("&package="), std::string::npos) << url;

  json::object from_elsewhere = H5Order("CC1T1767225600001");
  from_elsewhere["scene_info"].as_object()["payer_client_ip"] = "198.51.100.2";  // only the IP may change
  ClientResult again = Post("/v3/pay/transactions/h5", from_elsewhere);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(Str(Json(again.body), "h5_url"), url);
  EXPECT_EQ(wx_->order("CC1T1767225600001")->kind, "h5");
  EXPECT_EQ(wx_->order("CC1T1767225600001")->times_ordered, 2);
}

// ---- Payment and its notification ----

TEST_F(WechatPayDoubleTest, PayingPostsASignedEncryptedNotificationAndTheQueryShowsSuccess) {
  ClientResult before = Query("CC1T1767225600000");
  ExpectWxError(before, 404, "ORDER_NOT_EXIST");
  ASSERT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000")).status, 200);
  json::object unpaid = Json(Query("CC1T1767225600000").body);
  EXPECT_EQ(Str(unpaid, "trade_state"), "NOTPAY");
  EXPECT_FALSE(unpaid.contains("transaction_id"));

  now_ms_ += 5000;
  ASSERT_TRUE(wx_->Pay("CC1T1767225600000"));
  std::vector<Received> got = receiver_->received();  // Pay delivered before returning
  ASSERT_EQ(got.size(), 1u);
  const Received& n = got[0];
  EXPECT_TRUE(n.serial_known);
  EXPECT_TRUE(n.signature_ok);
  EXPECT_TRUE(n.fresh);
  ASSERT_TRUE(n.decrypted);
  EXPECT_EQ(n.headers.at("wechatpay-serial"), wx_->platform_public_key_id());
  EXPECT_EQ(n.headers.at("wechatpay-signature-type"), "WECHATPAY2-SHA256-RSA2048");
  EXPECT_EQ(Str(n.envelope, "event_type"), "TRANSACTION.SUCCESS");
  EXPECT_EQ(Str(n.envelope, "resource_type"), "encrypt-resource");
  EXPECT_EQ(Str(n.envelope, "create_time"), "2026-01-01T08:00:05+08:00");
  json::object resource = n.envelope.at("resource").as_object();
  EXPECT_EQ(Str(resource, "algorithm"), "AEAD_AES_256_GCM");
  EXPECT_EQ(Str(resource, "original_type"), "transaction");
  EXPECT_EQ(Str(resource, "associated_data"), "transaction");
  EXPECT_EQ(Str(resource, "nonce").size(), 12u);

  const json::object& t = n.resource;
  EXPECT_EQ(Str(t, "appid"), options_.appid);
  EXPECT_EQ(Str(t, "mchid"), options_.mchid);
  EXPECT_EQ(Str(t, "out_trade_no"), "CC1T1767225600000");
  EXPECT_EQ(Str(t, "trade_state"), "SUCCESS");
  EXPECT_EQ(Str(t, "trade_type"), "JSAPI");
  EXPECT_EQ(Str(t, "success_time"), "2026-01-01T08:00:05+08:00");
  EXPECT_EQ(Str(t.at("payer").as_object(), "openid"), kOpenid);
  EXPECT_EQ(t.at("amount").as_object().at("total").as_int64(), 2000);
  EXPECT_EQ(t.at("amount").as_object().at("payer_total").as_int64(), 2000);
  EXPECT_EQ(Str(t, "transaction_id").size(), 28u);

  std::vector<WechatPayDouble::Delivery> deliveries = wx_->deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].status, 204);
  EXPECT_EQ(deliveries[0].url, receiver_->url());

  ClientResult query = Query("CC1T1767225600000");
  ASSERT_EQ(query.status, 200);
  EXPECT_TRUE(AnswerVerifies(query, PublicKey(wx_->platform_public_key_pem()).get()));
  json::object paid = Json(query.body);
  EXPECT_EQ(Str(paid, "trade_state"), "SUCCESS");
  EXPECT_EQ(Str(paid, "transaction_id"), Str(t, "transaction_id"));
  EXPECT_EQ(wx_->order("CC1T1767225600000")->trade_state, "SUCCESS");
  EXPECT_FALSE(wx_->Pay("CC1T1767225600000")) << "a paid order cannot be paid again";
}

TEST_F(WechatPayDoubleTest, DuplicatesAreDeliveredAsIdenticalConcurrentCopies) {
  ASSERT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000")).status, 200);
  WechatPayDouble::NotifyFaults faults;
  faults.duplicates = 2;
  wx_->SetNotifyFaults(faults);
  ASSERT_TRUE(wx_->Pay("CC1T1767225600000"));
  std::vector<Received> got = receiver_->received();
  ASSERT_EQ(got.size(), 3u);
  for (const Received& r : got) {
    EXPECT_EQ(r.body, got[0].body);
    EXPECT_EQ(r.headers.at("wechatpay-signature"), got[0].headers.at("wechatpay-signature"));
    EXPECT_TRUE(r.signature_ok && r.decrypted);
  }
  EXPECT_EQ(wx_->deliveries().size(), 3u);
}

TEST_F(WechatPayDoubleTest, EachNotificationFaultIsObservableByTheMerchant) {
  auto pay_with = [&](const std::string& no, WechatPayDouble::NotifyFaults faults) -> std::optional<Received> {
    EXPECT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder(no)).status, 200);
    size_t before = receiver_->received().size();
    wx_->SetNotifyFaults(faults);
    EXPECT_TRUE(wx_->Pay(no));
    std::vector<Received> got = receiver_->received();
    if (got.size() == before) {
      return std::nullopt;
    }
    EXPECT_EQ(got.size(), before + 1);
    return got.back();
  };
  WechatPayDouble::NotifyFaults tamper;
  tamper.tamper_signature = true;
  std::optional<Received> tampered = pay_with("CC1T1767225600010", tamper);
  ASSERT_TRUE(tampered);
  EXPECT_TRUE(tampered->serial_known);
  EXPECT_FALSE(tampered->signature_ok);
  EXPECT_TRUE(tampered->decrypted) << "only the signature is broken";

  WechatPayDouble::NotifyFaults wrong_serial;
  wrong_serial.wrong_serial = true;
  std::optional<Received> misnamed = pay_with("CC1T1767225600011", wrong_serial);
  ASSERT_TRUE(misnamed);
  EXPECT_FALSE(misnamed->serial_known);
  EXPECT_EQ(misnamed->headers.at("wechatpay-serial").rfind("PUB_KEY_ID_01", 0), 0u);
  EXPECT_TRUE(VerifyWith(PublicKey(wx_->platform_public_key_pem()).get(),
                         misnamed->headers.at("wechatpay-timestamp") + "\n" + misnamed->headers.at("wechatpay-nonce") +
                             "\n" + misnamed->body + "\n",
                         misnamed->headers.at("wechatpay-signature")))
      << "the signature itself is valid: only the serial is unknown";

  WechatPayDouble::NotifyFaults stale;
  stale.stale_timestamp = true;
  std::optional<Received> old = pay_with("CC1T1767225600012", stale);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->headers.at("wechatpay-timestamp"), std::to_string(kNowMs / 1000 - 360));
  EXPECT_TRUE(old->signature_ok);
  EXPECT_FALSE(old->fresh);

  WechatPayDouble::NotifyFaults undecryptable;
  undecryptable.undecryptable = true;
  std::optional<Received> sealed = pay_with("CC1T1767225600013", undecryptable);
  ASSERT_TRUE(sealed);
  EXPECT_TRUE(sealed->signature_ok);
  EXPECT_FALSE(sealed->decrypted);

  WechatPayDouble::NotifyFaults lose;
  lose.lose = true;
  size_t deliveries_before = wx_->deliveries().size();
  EXPECT_FALSE(pay_with("CC1T1767225600014", lose));
  EXPECT_EQ(wx_->deliveries().size(), deliveries_before);
  EXPECT_EQ(wx_->order("CC1T1767225600014")->trade_state, "SUCCESS") << "paid even though the notice was lost";

  // Faults apply to one notification only.
  std::optional<Received> clean = pay_with("CC1T1767225600015", {});
  ASSERT_TRUE(clean);
  EXPECT_TRUE(clean->serial_known && clean->signature_ok && clean->fresh && clean->decrypted);

  // A lost notification comes again with WeChat's retry, well-formed.
  WechatPayDouble::Delivery retry = wx_->Redeliver("CC1T1767225600014");
  EXPECT_EQ(retry.status, 204) << retry.answer << retry.error;
  Received redelivered = receiver_->received().back();
  EXPECT_TRUE(redelivered.signature_ok && redelivered.decrypted);
  EXPECT_EQ(Str(redelivered.resource, "out_trade_no"), "CC1T1767225600014");
}

TEST_F(WechatPayDoubleTest, RedeliverSendsTheSameBodyWithAFreshSignature) {
  ASSERT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000")).status, 200);
  receiver_->FailNext(1);
  ASSERT_TRUE(wx_->Pay("CC1T1767225600000"));
  ASSERT_EQ(wx_->deliveries().size(), 1u);
  EXPECT_EQ(wx_->deliveries()[0].status, 500);

  now_ms_ += 15000;  // WeChat's first retry comes 15 s later (W10)
  WechatPayDouble::Delivery retry = wx_->Redeliver("CC1T1767225600000");
  EXPECT_EQ(retry.status, 204);
  std::vector<Received> got = receiver_->received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].body, got[0].body);
  EXPECT_NE(got[1].headers.at("wechatpay-nonce"), got[0].headers.at("wechatpay-nonce"));
  EXPECT_EQ(got[1].headers.at("wechatpay-timestamp"), std::to_string(kNowMs / 1000 + 15));
  EXPECT_TRUE(got[1].signature_ok && got[1].fresh);
  EXPECT_FALSE(wx_->Redeliver("CC-no-such-order").error.empty());
}

// ---- Query and close ----

TEST_F(WechatPayDoubleTest, ClosingAPaidOrderIsRefusedAndAnUnpaidOneIs204ThenItCannotBePaid) {
  PaidOrder("CC1T1767225600000");
  ExpectWxError(Close("CC1T1767225600000"), 400, "ORDERPAID");

  ASSERT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600001")).status, 200);
  ClientResult closed = Close("CC1T1767225600001");
  EXPECT_EQ(closed.status, 204);
  EXPECT_TRUE(closed.body.empty());
  EXPECT_TRUE(AnswerVerifies(closed, PublicKey(wx_->platform_public_key_pem()).get()))
      << "a 204 is signed over an empty body";
  EXPECT_EQ(Close("CC1T1767225600001").status, 204) << "closing again is not an error";
  EXPECT_EQ(Str(Json(Query("CC1T1767225600001").body), "trade_state"), "CLOSED");
  EXPECT_TRUE(wx_->order("CC1T1767225600001")->closed_by_merchant);
  EXPECT_FALSE(wx_->Pay("CC1T1767225600001"));
  ExpectWxError(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600001")), 400, "ORDER_CLOSED");
}

TEST_F(WechatPayDoubleTest, AnExpiredUnpaidOrderStaysNotpayAndCannotBePaid) {
  ASSERT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000")).status, 200);
  now_ms_ = kNowMs + 2 * 3600 * 1000;  // 10:00, the time_expire
  EXPECT_FALSE(wx_->Pay("CC1T1767225600000"));
  EXPECT_EQ(Str(Json(Query("CC1T1767225600000").body), "trade_state"), "NOTPAY");
}

TEST_F(WechatPayDoubleTest, AQueryNeedsTheMchidParameter) {
  ASSERT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000")).status, 200);
  ClientResult r = Get("/v3/pay/transactions/out-trade-no/CC1T1767225600000");
  ExpectWxError(r, 400, "PARAM_ERROR");
  EXPECT_EQ(Str(Json(r.body)["detail"].as_object(), "location"), "query");
}

// ---- Refunds ----

TEST_F(WechatPayDoubleTest, ARefundSucceedsOnceForOneOutRefundNoAndNotifies) {
  PaidOrder("CC1T1767225600000");
  ClientResult r = Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "CC1T1767225600000R1", 500));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(AnswerVerifies(r, PublicKey(wx_->platform_public_key_pem()).get()));
  json::object refund = Json(r.body);
  EXPECT_EQ(Str(refund, "status"), "SUCCESS");
  EXPECT_EQ(Str(refund, "channel"), "ORIGINAL");
  EXPECT_EQ(Str(refund, "out_refund_no"), "CC1T1767225600000R1");
  EXPECT_EQ(Str(refund, "transaction_id"), wx_->order("CC1T1767225600000")->transaction_id);
  EXPECT_EQ(refund["amount"].as_object()["refund"].as_int64(), 500);
  EXPECT_EQ(refund["amount"].as_object()["total"].as_int64(), 2000);
  EXPECT_EQ(refund["amount"].as_object()["payer_refund"].as_int64(), 500);
  EXPECT_EQ(Str(refund["amount"].as_object(), "currency"), "CNY");

  ClientResult again =
      Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "CC1T1767225600000R1", 500));
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Str(Json(again.body), "refund_id"), Str(refund, "refund_id"));
  EXPECT_EQ(wx_->refunds_executed("CC1T1767225600000"), 1);
  EXPECT_EQ(wx_->refund("CC1T1767225600000R1")->times_requested, 2);
  EXPECT_EQ(wx_->order("CC1T1767225600000")->refunded, 500);
  EXPECT_EQ(wx_->order("CC1T1767225600000")->trade_state, "REFUND");
  EXPECT_EQ(Str(Json(Query("CC1T1767225600000").body), "trade_state"), "REFUND");
  ExpectWxError(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "CC1T1767225600000R1", 600)),
                400, "INVALID_REQUEST");

  wx_->WaitForDeliveries();
  std::vector<Received> got = receiver_->received();
  ASSERT_EQ(got.size(), 2u);  // the payment, then the refund
  const Received& n = got[1];
  EXPECT_TRUE(n.signature_ok && n.decrypted);
  EXPECT_EQ(Str(n.envelope, "event_type"), "REFUND.SUCCESS");
  EXPECT_EQ(Str(n.envelope.at("resource").as_object(), "original_type"), "refund");
  EXPECT_EQ(Str(n.envelope.at("resource").as_object(), "associated_data"), "refund");
  EXPECT_EQ(Str(n.resource, "refund_status"), "SUCCESS");
  EXPECT_EQ(Str(n.resource, "out_refund_no"), "CC1T1767225600000R1");
  EXPECT_EQ(Str(n.resource, "mchid"), options_.mchid);
  EXPECT_EQ(n.resource.at("amount").as_object().at("refund").as_int64(), 500);
}

TEST_F(WechatPayDoubleTest, RefundsBeyondTheRefundableOrTooSoonOrOfUnpaidOrdersAreRefused) {
  PaidOrder("CC1T1767225600000");
  ExpectWxError(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "R0", 2001)), 400,
                "INVALID_REQUEST");
  ExpectWxError(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "R0", 100, 3000)), 400,
                "INVALID_REQUEST");
  ASSERT_EQ(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "R1", 1500)).status, 200);
  now_ms_ += 30'000;
  ExpectWxError(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "R2", 100)), 429,
                "FREQUENCY_LIMITED");
  now_ms_ += 31'000;
  ExpectWxError(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "R2", 501)), 400,
                "INVALID_REQUEST");
  EXPECT_EQ(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "R2", 500)).status, 200);
  EXPECT_EQ(wx_->refunds_executed("CC1T1767225600000"), 2);
  EXPECT_EQ(wx_->order("CC1T1767225600000")->refunded, 2000);

  ASSERT_EQ(Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600001")).status, 200);
  ExpectWxError(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600001", "R3", 100)), 404,
                "RESOURCE_NOT_EXISTS");
  json::object bad_number = RefundRequest("CC1T1767225600000", "R#4", 100);
  ClientResult r = Post("/v3/refund/domestic/refunds", bad_number);
  ExpectWxError(r, 400, "PARAM_ERROR");
  EXPECT_EQ(Str(Json(r.body)["detail"].as_object(), "field"), "/out_refund_no");
  ExpectWxError(Get("/v3/refund/domestic/refunds/NoSuchRefund"), 404, "RESOURCE_NOT_EXISTS");
}

TEST_F(WechatPayDoubleTest, ARefundIsProcessingForNQueriesThenSucceedsWithANotification) {
  PaidOrder("CC1T1767225600000");
  wx_->SetRefundOutcome("CC1T1767225600000R1", 2, "SUCCESS");
  ClientResult r = Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "CC1T1767225600000R1", 2000));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Str(Json(r.body), "status"), "PROCESSING");
  EXPECT_FALSE(Json(r.body).contains("success_time"));
  for (int i = 0; i < 2; ++i) {
    ClientResult q = Get("/v3/refund/domestic/refunds/CC1T1767225600000R1");
    ASSERT_EQ(q.status, 200);
    EXPECT_EQ(Str(Json(q.body), "status"), "PROCESSING");
    wx_->WaitForDeliveries();
    EXPECT_EQ(receiver_->received().size(), 1u) << "no refund notification while processing";
  }
  now_ms_ += 7000;
  ClientResult done = Get("/v3/refund/domestic/refunds/CC1T1767225600000R1");
  ASSERT_EQ(done.status, 200);
  EXPECT_TRUE(AnswerVerifies(done, PublicKey(wx_->platform_public_key_pem()).get()));
  EXPECT_EQ(Str(Json(done.body), "status"), "SUCCESS");
  EXPECT_EQ(Str(Json(done.body), "success_time"), "2026-01-01T08:00:07+08:00");
  wx_->WaitForDeliveries();
  std::vector<Received> got = receiver_->received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(Str(got[1].envelope, "event_type"), "REFUND.SUCCESS");
  EXPECT_EQ(Str(got[1].resource, "refund_status"), "SUCCESS");
  EXPECT_EQ(wx_->refund("CC1T1767225600000R1")->status, "SUCCESS");
}

TEST_F(WechatPayDoubleTest, AClosedRefundNotifiesAndGivesTheAmountBack) {
  PaidOrder("CC1T1767225600000");
  wx_->SetRefundOutcome("R1", 0, "CLOSED");
  ASSERT_EQ(Post("/v3/refund/domestic/refunds", RefundRequest("CC1T1767225600000", "R1", 2000)).status, 200);
  EXPECT_EQ(wx_->order("CC1T1767225600000")->refunded, 2000);
  EXPECT_EQ(Str(Json(Get("/v3/refund/domestic/refunds/R1").body), "status"), "CLOSED");
  EXPECT_EQ(wx_->order("CC1T1767225600000")->refunded, 0);
  wx_->WaitForDeliveries();
  EXPECT_EQ(Str(receiver_->received().back().envelope, "event_type"), "REFUND.CLOSED");
  EXPECT_THROW(wx_->SetRefundOutcome("R9", 0, "DONE"), std::invalid_argument);
}

// ---- Platform keys ----

TEST_F(WechatPayDoubleTest, CertificateModeSignsAnswersAndNotificationsWithTheCertificate) {
  Start(Mode::kCertificate);
  ClientResult r = Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "wechatpay-serial"), wx_->platform_certificate_serial());
  EXPECT_EQ(wx_->platform_certificate_serial().find_first_not_of("0123456789ABCDEF"), std::string::npos);
  EXPECT_NE(wx_->platform_certificate_serial()[0], '0');
  EXPECT_TRUE(AnswerVerifies(r, CertificateKey(wx_->platform_certificate_pem()).get()));
  EXPECT_FALSE(AnswerVerifies(r, PublicKey(wx_->platform_public_key_pem()).get()));
  // Asking for the public key does not help before the switchover (W12).
  Call named;
  named.target = "/v3/pay/transactions/out-trade-no/CC1T1767225600000?mchid=1900000001";
  named.extra = {{"Wechatpay-Serial", wx_->platform_public_key_id()}};
  EXPECT_EQ(Header(Send(named), "wechatpay-serial"), wx_->platform_certificate_serial());

  ASSERT_TRUE(wx_->Pay("CC1T1767225600000"));
  Received n = receiver_->received().back();
  EXPECT_EQ(n.headers.at("wechatpay-serial"), wx_->platform_certificate_serial());
  EXPECT_TRUE(n.signature_ok);

  wx_->set_mode(Mode::kPublicKey);
  EXPECT_EQ(Header(Query("CC1T1767225600000"), "wechatpay-serial"), wx_->platform_public_key_id());
}

TEST(WechatPayDoubleSerialTest, ASerialWithALeadingZeroIsPrintedWithoutIt) {
  WechatPayDouble::Options options;
  options.merchant_public_key_pem = MerchantKeys().public_pem;
  options.apiv3_key = kApiV3Key;
  options.mode = Mode::kCertificate;
  options.platform_serial_with_leading_zero = true;
  WechatPayDouble wx(options);
  // The certificate's serial as OpenSSL prints it, for comparison.
  BioPtr bio(
      BIO_new_mem_buf(wx.platform_certificate_pem().data(), static_cast<int>(wx.platform_certificate_pem().size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(cert);
  std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr));
  std::unique_ptr<char, Deleter<FreeOpenSslString>> hex(BN_bn2hex(bn.get()));
  const std::string bn2hex = hex.get();
  ASSERT_EQ(bn2hex[0], '0');
  EXPECT_EQ(wx.platform_certificate_serial(), bn2hex.substr(1));
  EXPECT_NE(wx.platform_certificate_serial()[0], '0');
}

TEST_F(WechatPayDoubleTest, DuringTheSwitchoverAnswersFollowTheRequestAndNotificationsAlternate) {
  Start(Mode::kSwitchover);
  ClientResult plain = Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000"));
  EXPECT_EQ(Header(plain, "wechatpay-serial"), wx_->platform_certificate_serial());
  Call named;
  named.target = "/v3/pay/transactions/out-trade-no/CC1T1767225600000?mchid=1900000001";
  named.extra = {{"Wechatpay-Serial", wx_->platform_public_key_id()}};
  ClientResult r = Send(named);
  EXPECT_EQ(Header(r, "wechatpay-serial"), wx_->platform_public_key_id());
  EXPECT_TRUE(AnswerVerifies(r, PublicKey(wx_->platform_public_key_pem()).get()));

  ASSERT_TRUE(wx_->Pay("CC1T1767225600000"));
  ASSERT_EQ(wx_->Redeliver("CC1T1767225600000").status, 204);
  std::vector<Received> got = receiver_->received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers.at("wechatpay-serial"), wx_->platform_certificate_serial());
  EXPECT_EQ(got[1].headers.at("wechatpay-serial"), wx_->platform_public_key_id());
  EXPECT_TRUE(got[0].signature_ok && got[1].signature_ok);
}

TEST_F(WechatPayDoubleTest, TamperNextAnswersBreaksExactlyThatManyAnswers) {
  PkeyPtr platform = PublicKey(wx_->platform_public_key_pem());
  wx_->TamperNextAnswers(2);
  ExpectWxError(Query("CC-none-0001"), 404, "ORDER_NOT_EXIST");  // errors are unsigned and use up nothing
  ClientResult first = Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000"));
  ClientResult second = Query("CC1T1767225600000");
  ClientResult third = Query("CC1T1767225600000");
  ASSERT_EQ(first.status, 200);
  EXPECT_FALSE(AnswerVerifies(first, platform.get()));
  EXPECT_FALSE(AnswerVerifies(second, platform.get()));
  EXPECT_TRUE(AnswerVerifies(third, platform.get()));
}

// ---- The payer's side ----

TEST_F(WechatPayDoubleTest, TheJsapiPayRouteChecksPaySignWithTheMerchantKey) {
  ClientResult order = Post("/v3/pay/transactions/jsapi", JsapiOrder("CC1T1767225600000"));
  const std::string package = "prepay_id=" + Str(Json(order.body), "prepay_id");
  auto params = [&](const std::string& sign_pem) {
    const std::string ts = "1767225600";
    const std::string nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
    return json::object{
        {"appId", options_.appid},
        {"timeStamp", ts},
        {"nonceStr", nonce},
        {"package", package},
        {"signType", "RSA"},
        {"paySign", SignWith(sign_pem, options_.appid + "\n" + ts + "\n" + nonce + "\n" + package + "\n")}};
  };
  ClientResult bad =
      doubles::Send("POST", wx_->base_url() + "/double/jsapi/pay", json::serialize(params(StrangerKeys().private_pem)));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Str(Json(bad.body), "err_msg"), "get_brand_wcpay_request:fail");
  EXPECT_EQ(wx_->order("CC1T1767225600000")->trade_state, "NOTPAY");

  ClientResult good =
      doubles::Send("POST", wx_->base_url() + "/double/jsapi/pay", json::serialize(params(MerchantKeys().private_pem)));
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(Str(Json(good.body), "err_msg"), "get_brand_wcpay_request:ok");
  EXPECT_EQ(wx_->order("CC1T1767225600000")->trade_state, "SUCCESS");
  wx_->WaitForDeliveries();
  ASSERT_EQ(receiver_->received().size(), 1u);
  EXPECT_EQ(Str(receiver_->received()[0].envelope, "event_type"), "TRANSACTION.SUCCESS");

  ClientResult twice =
      doubles::Send("POST", wx_->base_url() + "/double/jsapi/pay", json::serialize(params(MerchantKeys().private_pem)));
  EXPECT_EQ(twice.status, 400) << "a paid prepay_id is no longer live";
}

TEST_F(WechatPayDoubleTest, TheH5CashierPagePaysAndGoesBackToTheRedirectUrl) {
  ClientResult order = Post("/v3/pay/transactions/h5", H5Order("CC1T1767225600000"));
  const std::string h5_url = Str(Json(order.body), "h5_url");
  ClientResult page = doubles::Send("GET", h5_url + "&redirect_url=https%3A%2F%2Fcarecity.example%2Fpaid%3Fid%3D7");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("确认支付"), std::string::npos);
  EXPECT_NE(page.body.find("https://carecity.example/paid?id=7"), std::string::npos);

  const std::string prepay_id = wx_->order("CC1T1767225600000")->prepay_id;
  const std::string pay_url = wx_->base_url() + "/double/h5/" + prepay_id + "/pay";
  const Headers form = {{"Content-Type", "application/x-www-form-urlencoded"}};
  ClientResult cancelled =
      doubles::Send("POST", pay_url, "redirect_url=https%3A%2F%2Fcarecity.example%2Fpaid&action=cancel", form);
  EXPECT_EQ(cancelled.status, 303);
  EXPECT_EQ(wx_->order("CC1T1767225600000")->trade_state, "NOTPAY");

  ClientResult paid =
      doubles::Send("POST", pay_url, "redirect_url=https%3A%2F%2Fcarecity.example%2Fpaid%3Fid%3D7&action=pay", form);
  EXPECT_EQ(paid.status, 303);
  EXPECT_EQ(Header(paid, "location"), "https://carecity.example/paid?id=7");
  EXPECT_EQ(wx_->order("CC1T1767225600000")->trade_state, "SUCCESS");
  wx_->WaitForDeliveries();
  ASSERT_EQ(receiver_->received().size(), 1u);
  EXPECT_EQ(Str(receiver_->received()[0].resource, "trade_type"), "MWEB");
  EXPECT_FALSE(Str(receiver_->received()[0].resource.at("payer").as_object(), "openid").empty());
}

// ---- The server addition the double routes with ----

TEST(DoubleServerPrefixTest, AnExactRouteWinsThenTheLongestPrefix) {
  DoubleServer server;
  auto answer = [](const char* who) {
    return [who](const Request&) {
      Response r;
      r.body = who;
      r.content_type = "text/plain";
      return r;
    };
  };
  server.RoutePrefix("GET", "/a/", answer("short"));
  server.RoutePrefix("GET", "/a/b/", answer("long"));
  server.Route("GET", "/a/b/exact", answer("exact"));
  EXPECT_EQ(doubles::Send("GET", server.base_url() + "/a/x").body, "short");
  EXPECT_EQ(doubles::Send("GET", server.base_url() + "/a/b/y?q=1").body, "long");
  EXPECT_EQ(doubles::Send("GET", server.base_url() + "/a/b/exact").body, "exact");
  EXPECT_EQ(doubles::Send("POST", server.base_url() + "/a/x").status, 404);
  EXPECT_EQ(doubles::Send("GET", server.base_url() + "/b").status, 404);
}

}  // namespace
}  // namespace doubles
