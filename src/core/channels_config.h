// Configuration of the outside channels (docs/design-channels.md 8): the
// payment providers, SMS, e-mail and the WeChat official account. A
// provider is configured when its table is present. These hold names and
// file *paths* only; core/channel_keys.h reads the files (and the secrets
// from the environment) when the server opens, and says what is wrong.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace carecity {

// [tls]: outbound HTTPS to the providers.
struct TlsConfig {
  // PEM trust anchors added to the system's CA store (a proxy's CA; the
  // tests' doubles). Empty: the system's store alone.
  std::string extra_ca_file;
};

// [payments.wechatpay]: WeChat Pay API v3, JSAPI and H5.
struct WechatPayConfig {
  std::string mchid;             // 商户号, digits
  std::string appid;             // the official account's appid ("wx…")
  std::string private_key_file;  // the merchant API key (apiclient_key.pem), mode 0600
  std::string cert_serial;       // the merchant API certificate's serial (hex)
  std::string merchant_cert_file;  // optional: checked against cert_serial and the key
  std::string apiv3_key_file;      // 32 characters; CARECITY_WECHATPAY_APIV3_KEY overrides
  // Public-key mode (WeChat Pay's default since 2024): the platform public
  // key and its id ("PUB_KEY_ID_…"), which answers name in Wechatpay-Serial.
  std::string platform_public_key_file;
  std::string platform_public_key_id;
  // Certificate mode, or both during the switchover: platform certificates.
  std::vector<std::string> platform_certificate_files;
  std::string base_url = "https://api.mch.weixin.qq.com";
  int64_t timeout_ms = 10000;
};

// [payments.alipay]: Alipay mobile-site payment (alipay.trade.wap.pay), in
// public-key mode.
struct AlipayConfig {
  std::string app_id;
  std::string private_key_file;        // the app's private key: PEM or Alipay's bare base64
  std::string alipay_public_key_file;  // Alipay's public key: PEM or bare base64
  std::string seller_id;               // optional: notifications must name it when set
  std::string base_url = "https://openapi.alipay.com";  // the gateway is base_url + /gateway.do
  int64_t timeout_ms = 10000;
};

// One SMS template: its id at the provider, and our parameter names in the
// template's order ({1}, {2}, …).
struct SmsTemplate {
  std::string id;
  std::vector<std::string> params;
};

// [sms]: Tencent Cloud SMS (TC3-HMAC-SHA256).
struct SmsConfig {
  std::string provider = "tencent";
  std::string secret_id;
  std::string secret_key_file;  // CARECITY_SMS_SECRET_KEY overrides
  std::string sdk_app_id;
  std::string sign_name;        // the approved 签名
  std::string region = "ap-guangzhou";
  std::string base_url = "https://sms.tencentcloudapi.com";
  int64_t timeout_ms = 10000;
  // Codes sent to one phone number, and from one address, per day; and the
  // least time between two codes to one number.
  int64_t code_cap_per_phone_per_day = 10;
  int64_t code_cap_per_ip_per_day = 50;
  int64_t code_gap_s = 60;
  std::map<std::string, SmsTemplate> templates;  // by message kind ([sms.templates])
};

// [smtp]: e-mail (receipts) over SMTP with STARTTLS, or implicit TLS.
struct SmtpConfig {
  std::string url;  // "smtp://host:587" (STARTTLS required) or "smtps://host:465"
  std::string username;
  std::string password_file;  // CARECITY_SMTP_PASSWORD overrides
  std::string from;           // "关爱桂城 <noreply@example.cn>"
  int64_t timeout_ms = 20000;
};

// [wechat]: the official account (服务号), for 微信登录 and JS-SDK sharing.
struct WechatConfig {
  std::string appid;
  std::string secret_file;  // the AppSecret; CARECITY_WECHAT_SECRET overrides
  std::string oauth_base_url = "https://open.weixin.qq.com";
  std::string api_base_url = "https://api.weixin.qq.com";
  int64_t timeout_ms = 10000;
};

struct ChannelsConfig {
  TlsConfig tls;
  // [payments] provider: the one new payments use, "wechatpay", "alipay" or
  // "sandbox" (it must be configured). Empty: WeChat Pay if configured, else
  // Alipay, else the sandbox.
  std::string payment_provider;
  std::optional<WechatPayConfig> wechatpay;
  std::optional<AlipayConfig> alipay;
  std::optional<SmsConfig> sms;
  std::optional<SmtpConfig> smtp;
  std::optional<WechatConfig> wechat;

  bool any_provider() const { return wechatpay || alipay || sms || smtp || wechat; }
};

}  // namespace carecity
