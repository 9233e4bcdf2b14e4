#include "core/config.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <tuple>
#include <string_view>
#include <toml++/toml.h>

namespace carecity {
namespace {

Error BadKey(std::string key, std::string detail) {
  return Error::Invalid("invalid_config", std::move(key), std::move(detail));
}

template <class T>
void Read(const toml::table& t, std::string_view section, std::string_view key, T& out) {
  if (auto v = t[section][key].value<T>()) {
    out = *v;
  }
}

// "Asia/Shanghai", "UTC", "America/Argentina/Buenos_Aires": letters,
// digits, '_', '+', '-' in '/'-separated parts; and, where the system has
// the time zone database, one of its zones.
bool IsTimeZoneName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string::npos) {
    return false;
  }
  for (char ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '/' && ch != '_' && ch != '+' && ch != '-') {
      return false;
    }
  }
  const std::filesystem::path db = "/usr/share/zoneinfo";
  std::error_code ec;
  return !std::filesystem::is_directory(db, ec) || std::filesystem::is_regular_file(db / name, ec);
}

Result<RateLimit> ParseLimit(std::string_view text, const std::string& key) {
  // "10/900" = 10 events per 900 seconds.
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return BadKey(key, "expected MAX/WINDOW_SECONDS");
  }
  char* end = nullptr;
  const std::string max_s(text.substr(0, slash));
  const std::string win_s(text.substr(slash + 1));
  const long long max = std::strtoll(max_s.c_str(), &end, 10);
  if (*end != '\0' || max <= 0) {
    return BadKey(key, "bad MAX");
  }
  const long long window = std::strtoll(win_s.c_str(), &end, 10);
  if (*end != '\0' || window <= 0) {
    return BadKey(key, "bad WINDOW_SECONDS");
  }
  if (window > kRateLimitRetentionS) {
    return BadKey(key, "WINDOW_SECONDS at most 86400: rate-limit windows older than a day are pruned");
  }
  return RateLimit{max, window};
}

// A provider's base URL: https, or http to this machine (tests, a local
// relay). The outbound client checks the same again when it sends.
bool IsProviderUrl(const std::string& url) {
  if (url.rfind("https://", 0) == 0) {
    return url.size() > 8;
  }
  for (const char* local : {"http://localhost", "http://127.", "http://[::1]"}) {
    if (url.rfind(local, 0) == 0) {
      return true;
    }
  }
  return false;
}

// Reads one provider table's keys: strings (required or not), a URL, a
// timeout. Errors name the key ("payments.alipay.app_id").
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix) : t_(table), prefix_(std::move(prefix)) {}

  Status Text(const char* key, std::string& out, bool required) {
    if (const toml::node* node = t_.get(key)) {
      auto v = node->value<std::string>();
      if (!v) {
        return BadKey(Name(key), "expected a string");
      }
      out = *v;
    }
    if (required && out.empty()) {
      return BadKey(Name(key), "required when [" + prefix_ + "] is present");
    }
    return {};
  }
  Status Url(const char* key, std::string& out) {
    CC_TRY(Text(key, out, true));
    if (!IsProviderUrl(out)) {
      return BadKey(Name(key), "an https:// URL (http:// only to this machine)");
    }
    while (out.size() > 8 && out.back() == '/') {
      out.pop_back();
    }
    return {};
  }
  Status Number(const char* key, int64_t& out, int64_t min, int64_t max) {
    if (const toml::node* node = t_.get(key)) {
      auto v = node->value<int64_t>();
      if (!v || *v < min || *v > max) {
        return BadKey(Name(key), fmt::format("a whole number {}..{}", min, max));
      }
      out = *v;
    }
    return {};
  }
  Status Texts(const char* key, std::vector<std::string>& out) {
    if (const toml::node* node = t_.get(key)) {
      const toml::array* list = node->as_array();
      if (list == nullptr) {
        return BadKey(Name(key), "expected a list of strings");
      }
      for (const auto& item : *list) {
        auto v = item.value<std::string>();
        if (!v || v->empty()) {
          return BadKey(Name(key), "expected a list of strings");
        }
        out.push_back(*v);
      }
    }
    return {};
  }
  std::string Name(const char* key) const { return prefix_ + "." + key; }

 private:
  const toml::table& t_;
  std::string prefix_;
};

bool AllOf(const std::string& s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string::npos;
}

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kHexDigits = "0123456789ABCDEFabcdef";
constexpr int64_t kMaxTimeoutMs = 120'000;

Status ReadChannels(const toml::table& t, ChannelsConfig& c) {
  if (auto v = t["tls"]["extra_ca_file"].value<std::string>()) {
    c.tls.extra_ca_file = *v;
  }
  if (auto v = t["payments"]["provider"].value<std::string>()) {
    c.payment_provider = *v;
  }
  if (const toml::table* w = t["payments"]["wechatpay"].as_table()) {
    WechatPayConfig cfg;
    TableReader r(*w, "payments.wechatpay");
    CC_TRY(r.Text("mchid", cfg.mchid, true));
    if (!AllOf(cfg.mchid, kDigits)) {
      return BadKey(r.Name("mchid"), "the merchant id (商户号): digits");
    }
    CC_TRY(r.Text("appid", cfg.appid, true));
    CC_TRY(r.Text("private_key_file", cfg.private_key_file, true));
    CC_TRY(r.Text("cert_serial", cfg.cert_serial, true));
    if (!AllOf(cfg.cert_serial, kHexDigits)) {
      return BadKey(r.Name("cert_serial"), "the merchant API certificate's serial number in hex");
    }
    CC_TRY(r.Text("merchant_cert_file", cfg.merchant_cert_file, false));
    CC_TRY(r.Text("apiv3_key_file", cfg.apiv3_key_file, false));
    CC_TRY(r.Text("platform_public_key_file", cfg.platform_public_key_file, false));
    CC_TRY(r.Text("platform_public_key_id", cfg.platform_public_key_id, false));
    CC_TRY(r.Texts("platform_certificate_files", cfg.platform_certificate_files));
    if (cfg.platform_public_key_file.empty() != cfg.platform_public_key_id.empty()) {
      return BadKey(r.Name("platform_public_key_id"), "platform_public_key_file and platform_public_key_id go together");
    }
    if (cfg.platform_public_key_file.empty() && cfg.platform_certificate_files.empty()) {
      return BadKey(r.Name("platform_public_key_file"),
                    "WeChat Pay's answers are verified with its public key (platform_public_key_file and "
                    "platform_public_key_id) or its platform certificates (platform_certificate_files)");
    }
    CC_TRY(r.Url("base_url", cfg.base_url));
    CC_TRY(r.Number("timeout_ms", cfg.timeout_ms, 100, kMaxTimeoutMs));
    c.wechatpay = std::move(cfg);
  }
  if (const toml::table* a = t["payments"]["alipay"].as_table()) {
    AlipayConfig cfg;
    TableReader r(*a, "payments.alipay");
    CC_TRY(r.Text("app_id", cfg.app_id, true));
    if (!AllOf(cfg.app_id, kDigits)) {
      return BadKey(r.Name("app_id"), "the application's APPID: digits");
    }
    CC_TRY(r.Text("private_key_file", cfg.private_key_file, true));
    CC_TRY(r.Text("alipay_public_key_file", cfg.alipay_public_key_file, true));
    CC_TRY(r.Text("seller_id", cfg.seller_id, false));
    CC_TRY(r.Url("base_url", cfg.base_url));
    CC_TRY(r.Number("timeout_ms", cfg.timeout_ms, 100, kMaxTimeoutMs));
    c.alipay = std::move(cfg);
  }
  if (const toml::table* s = t["sms"].as_table()) {
    SmsConfig cfg;
    TableReader r(*s, "sms");
    CC_TRY(r.Text("provider", cfg.provider, true));
    if (cfg.provider != "tencent") {
      return BadKey(r.Name("provider"), "tencent (Tencent Cloud SMS)");
    }
    CC_TRY(r.Text("secret_id", cfg.secret_id, true));
    CC_TRY(r.Text("secret_key_file", cfg.secret_key_file, false));
    CC_TRY(r.Text("sdk_app_id", cfg.sdk_app_id, true));
    CC_TRY(r.Text("sign_name", cfg.sign_name, true));
    CC_TRY(r.Text("region", cfg.region, true));
    CC_TRY(r.Url("base_url", cfg.base_url));
    CC_TRY(r.Number("timeout_ms", cfg.timeout_ms, 100, kMaxTimeoutMs));
    CC_TRY(r.Number("code_cap_per_phone_per_day", cfg.code_cap_per_phone_per_day, 1, 1000));
    CC_TRY(r.Number("code_cap_per_ip_per_day", cfg.code_cap_per_ip_per_day, 1, 100'000));
    CC_TRY(r.Number("code_gap_s", cfg.code_gap_s, 0, 3600));
    if (const toml::node* node = s->get("templates")) {
      const toml::table* templates = node->as_table();
      if (templates == nullptr) {
        return BadKey("sms.templates", "a table: kind = { id = \"…\", params = [\"code\", …] }");
      }
      for (const auto& [kind, value] : *templates) {
        const std::string name = "sms.templates." + std::string(kind.str());
        const toml::table* one = value.as_table();
        if (one == nullptr) {
          return BadKey(name, "expected { id = \"…\", params = [\"code\", …] }");
        }
        SmsTemplate tpl;
        TableReader tr(*one, name);
        CC_TRY(tr.Text("id", tpl.id, true));
        if (!AllOf(tpl.id, kDigits)) {
          return BadKey(tr.Name("id"), "the template id: digits");
        }
        CC_TRY(tr.Texts("params", tpl.params));
        cfg.templates.emplace(std::string(kind.str()), std::move(tpl));
      }
    }
    c.sms = std::move(cfg);
  }
  if (const toml::table* m = t["smtp"].as_table()) {
    SmtpConfig cfg;
    TableReader r(*m, "smtp");
    CC_TRY(r.Text("url", cfg.url, true));
    if (cfg.url.rfind("smtp://", 0) != 0 && cfg.url.rfind("smtps://", 0) != 0) {
      return BadKey(r.Name("url"), "smtp://host:587 (STARTTLS) or smtps://host:465");
    }
    CC_TRY(r.Text("username", cfg.username, false));
    CC_TRY(r.Text("password_file", cfg.password_file, false));
    CC_TRY(r.Text("from", cfg.from, true));
    CC_TRY(r.Number("timeout_ms", cfg.timeout_ms, 100, kMaxTimeoutMs));
    c.smtp = std::move(cfg);
  }
  if (const toml::table* wc = t["wechat"].as_table()) {
    WechatConfig cfg;
    TableReader r(*wc, "wechat");
    CC_TRY(r.Text("appid", cfg.appid, true));
    CC_TRY(r.Text("secret_file", cfg.secret_file, false));
    CC_TRY(r.Url("oauth_base_url", cfg.oauth_base_url));
    CC_TRY(r.Url("api_base_url", cfg.api_base_url));
    CC_TRY(r.Number("timeout_ms", cfg.timeout_ms, 100, kMaxTimeoutMs));
    c.wechat = std::move(cfg);
  }
  return {};
}

}  // namespace

Status CheckPasswordCost(const Config& config) {
  if (config.allow_test_password_cost) {
    return {};
  }
  constexpr const char* kHow =
      " (OWASP's minimum for argon2id); a cheaper cost is for tests and benchmarks only: "
      "[security] argon2_allow_test_cost = true";
  if (config.password_cost.memlimit_bytes < kMinArgon2MemlimitBytes) {
    return BadKey("security.argon2_memlimit_kib",
                  fmt::format("must be at least {} (19 MiB){}", kMinArgon2MemlimitBytes / 1024, kHow));
  }
  if (config.password_cost.opslimit < kMinArgon2Opslimit) {
    return BadKey("security.argon2_opslimit", fmt::format("must be at least {}{}", kMinArgon2Opslimit, kHow));
  }
  return {};
}

Status ApplyEnvironment(Config& config) {
  if (const char* db = std::getenv("CARECITY_DB"); db != nullptr && *db != '\0') {
    config.db_url = db;
  }
  if (const char* listen = std::getenv("CARECITY_LISTEN"); listen != nullptr && *listen != '\0') {
    config.listen = listen;
  }
  if (const char* key = std::getenv("CARECITY_DATA_KEY"); key != nullptr && *key != '\0') {
    config.casework.data_key = key;
  }
  if (const char* sb = std::getenv("CARECITY_PAYMENTS_SANDBOX"); sb != nullptr && *sb != '\0') {
    const std::string_view v(sb);
    if (v != "on" && v != "off") {
      return BadKey("CARECITY_PAYMENTS_SANDBOX", "expected on or off");
    }
    config.sandbox.enabled = v == "on";
  }
  if (const char* key = std::getenv("CARECITY_CHECKPOINT_KEY"); key != nullptr && *key != '\0') {
    config.checkpoints.signing_key = key;
  }
  if (const char* rl = std::getenv("CARECITY_RATE_LIMITS"); rl != nullptr && *rl != '\0') {
    const std::string_view v(rl);
    if (v == "off") {
      config.rate_limits.enabled = false;
    } else if (v == "on") {
      config.rate_limits.enabled = true;
    } else {
      return BadKey("CARECITY_RATE_LIMITS", "expected on or off");
    }
  }
  return {};
}

Result<Config> LoadConfig(const std::string& path) {
  Config c;
  if (!path.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return BadKey(path, std::string(e.description()));
    }
    Read(t, "server", "listen", c.listen);
    Read(t, "server", "web_dir", c.web_dir);
    Read(t, "server", "public_origin", c.public_origin);
    Read(t, "server", "time_zone", c.time_zone);
    if (!IsTimeZoneName(c.time_zone)) {
      return BadKey("server.time_zone", "an IANA time zone such as Asia/Shanghai");
    }
    if (const toml::array* proxies = t["server"]["trusted_proxies"].as_array()) {
      for (const auto& p : *proxies) {
        auto ip = p.value<std::string>();
        if (!ip) {
          return BadKey("server.trusted_proxies", "expected a list of IP address strings");
        }
        c.trusted_proxies.push_back(*ip);
      }
    }
    if (auto v = t["server"]["threads"].value<int64_t>()) {
      if (*v < 0 || *v > 256) {
        return BadKey("server.threads", "0..256");
      }
      c.threads = static_cast<int>(*v);
    }
    Read(t, "server", "max_body_bytes", c.max_body_bytes);
    Read(t, "server", "max_header_bytes", c.max_header_bytes);
    if (auto v = t["server"]["max_connections"].value<int64_t>()) {
      c.max_connections = static_cast<int>(*v);
    }
    if (auto v = t["server"]["read_timeout_s"].value<int64_t>()) {
      c.read_timeout_s = static_cast<int>(*v);
    }
    if (auto v = t["server"]["idle_timeout_s"].value<int64_t>()) {
      c.idle_timeout_s = static_cast<int>(*v);
    }
    if (auto v = t["server"]["shutdown_grace_s"].value<int64_t>()) {
      c.shutdown_grace_s = static_cast<int>(*v);
    }
    Read(t, "database", "url", c.db_url);
    if (auto v = t["database"]["read_connections"].value<int64_t>()) {
      if (*v < 1 || *v > 64) {
        return BadKey("database.read_connections", "1..64");
      }
      c.read_connections = static_cast<int>(*v);
    }
    if (auto v = t["database"]["max_batch"].value<int64_t>()) {
      if (*v < 1 || *v > 10000) {
        return BadKey("database.max_batch", "1..10000");
      }
      c.max_batch = static_cast<int>(*v);
    }
    Read(t, "database", "sqlite_synchronous", c.sqlite_synchronous);
    if (c.sqlite_synchronous != "FULL" && c.sqlite_synchronous != "NORMAL" && c.sqlite_synchronous != "EXTRA") {
      return BadKey("database.sqlite_synchronous", "FULL, EXTRA or NORMAL");
    }
    Read(t, "security", "consent_version", c.consent_version);
    if (auto v = t["security"]["session_ttl_days"].value<int64_t>()) {
      c.session_ttl_s = *v * 24 * 3600;
    }
    if (auto v = t["security"]["session_cache_seconds"].value<int64_t>()) {
      if (*v < 0 || *v > 3600) {
        return BadKey("security.session_cache_seconds", "0 (off) to 3600");
      }
      c.session_cache_s = *v;
    }
    if (auto v = t["security"]["argon2_opslimit"].value<int64_t>()) {
      if (*v < 1 || *v > 100) {
        return BadKey("security.argon2_opslimit", "1..100");
      }
      c.password_cost.opslimit = static_cast<uint64_t>(*v);
    }
    if (auto v = t["security"]["argon2_memlimit_kib"].value<int64_t>()) {
      if (*v < 8 || *v > 4 * 1024 * 1024) {
        return BadKey("security.argon2_memlimit_kib", "8..4194304 (4 GiB)");
      }
      c.password_cost.memlimit_bytes = static_cast<uint64_t>(*v) * 1024;
    }
    Read(t, "security", "argon2_allow_test_cost", c.allow_test_password_cost);
    if (auto v = t["security"]["recent_auth_seconds"].value<int64_t>()) {
      if (*v < 60 || *v > 24 * 3600) {
        return BadKey("security.recent_auth_seconds", "60..86400");
      }
      c.recent_auth_s = *v;
    }
    Read(t, "rate_limits", "enabled", c.rate_limits.enabled);
    struct Named {
      const char* key;
      RateLimit* limit;
    };
    auto& r = c.rate_limits;
    for (const Named& item : {Named{"login_per_account", &r.login_per_account},
                              Named{"login_per_ip", &r.login_per_ip},
                              Named{"register_per_ip", &r.register_per_ip},
                              Named{"recover_request_per_account", &r.recover_request_per_account},
                              Named{"recover_request_per_ip", &r.recover_request_per_ip},
                              Named{"recover_confirm_per_account", &r.recover_confirm_per_account},
                              Named{"recover_confirm_per_ip", &r.recover_confirm_per_ip},
                              Named{"code_gap_per_recipient", &r.code_gap_per_recipient},
                              Named{"code_per_recipient_day", &r.code_per_recipient_day},
                              Named{"code_per_ip_day", &r.code_per_ip_day},
                              Named{"donate_per_ip", &r.donate_per_ip},
                              Named{"donate_per_account", &r.donate_per_account},
                              Named{"checkout_per_account", &r.checkout_per_account},
                              Named{"media_upload_per_account", &r.media_upload_per_account},
                              Named{"forum_post_new_member", &r.forum_post_new_member},
                              Named{"forum_post_per_account", &r.forum_post_per_account},
                              Named{"forum_report_per_account", &r.forum_report_per_account}}) {
      if (auto v = t["rate_limits"][item.key].value<std::string>()) {
        auto parsed = ParseLimit(*v, std::string("rate_limits.") + item.key);
        if (!parsed.ok()) {
          return std::move(parsed).error();
        }
        *item.limit = *parsed;
      }
    }
    Read(t, "media", "max_upload_bytes", c.media.max_upload_bytes);
    Read(t, "media", "max_side_px", c.media.max_side_px);
    Read(t, "media", "max_pixels", c.media.max_pixels);
    Read(t, "media", "full_px", c.media.full_px);
    Read(t, "media", "thumb_px", c.media.thumb_px);
    Read(t, "media", "webp_quality", c.media.webp_quality);
    if (c.media.max_upload_bytes < 1024 || c.media.max_upload_bytes > 64 * 1024 * 1024) {
      return BadKey("media.max_upload_bytes", "1 KiB .. 64 MiB");
    }
    if (c.media.max_side_px < 16 || c.media.max_side_px > 65535 || c.media.max_pixels < 256 ||
        c.media.max_pixels > 200'000'000) {
      return BadKey("media.max_pixels", "max_side_px 16..65535, max_pixels 256..200000000");
    }
    if (c.media.thumb_px < 16 || c.media.full_px < c.media.thumb_px || c.media.full_px > 8192) {
      return BadKey("media.full_px", "16 <= thumb_px <= full_px <= 8192");
    }
    if (c.media.webp_quality < 1 || c.media.webp_quality > 100) {
      return BadKey("media.webp_quality", "1..100");
    }
    Read(t, "fund", "fundraiser_name", c.fund.fundraiser_name);
    Read(t, "fund", "fundraiser_credit_code", c.fund.fundraiser_credit_code);
    Read(t, "fund", "fund_name", c.fund.fund_name);
    Read(t, "fund", "general_filing_no", c.fund.general_filing_no);
    Read(t, "fund", "receipt_prefix", c.fund.receipt_prefix);
    Read(t, "fund", "receipt_secret", c.fund.receipt_secret);
    Read(t, "fund", "donation_min_fen", c.fund.donation_min_fen);
    Read(t, "fund", "donation_max_fen", c.fund.donation_max_fen);
    Read(t, "fund", "two_approvals_above_fen", c.fund.two_approvals_above_fen);
    if (c.fund.donation_min_fen < 1 || c.fund.donation_max_fen < c.fund.donation_min_fen) {
      return BadKey("fund.donation_min_fen", "1 <= donation_min_fen <= donation_max_fen");
    }
    Read(t, "payments", "sandbox", c.sandbox.enabled);
    Read(t, "payments", "sandbox_on_https", c.sandbox.allow_on_https);
    if (const toml::table* sb = t["payments"]["sandbox"].as_table()) {
      c.sandbox.enabled = true;
      if (auto v = (*sb)["secret"].value<std::string>()) c.sandbox.secret = *v;
      if (auto v = (*sb)["fee_bps"].value<int64_t>()) c.sandbox.fee_bps = *v;
      if (auto v = (*sb)["duplicate_notifications"].value<int64_t>()) c.sandbox.duplicate_notifications = static_cast<int>(*v);
      if (auto v = (*sb)["notify_delay_ms"].value<int64_t>()) c.sandbox.notify_delay_ms = static_cast<int>(*v);
      if (auto v = (*sb)["reorder"].value<bool>()) c.sandbox.reorder = *v;
      if (c.sandbox.fee_bps < 0 || c.sandbox.fee_bps > 1000) {
        return BadKey("payments.sandbox.fee_bps", "0..1000");
      }
    }
    Read(t, "shop", "purpose", c.shop.purpose);
    Read(t, "shop", "order_expiry_minutes", c.shop.order_expiry_minutes);
    if (c.shop.order_expiry_minutes < 1 || c.shop.order_expiry_minutes > 24 * 60) {
      return BadKey("shop.order_expiry_minutes", "1..1440");
    }
    Read(t, "shop", "max_unpaid_orders", c.shop.max_unpaid_orders);
    if (c.shop.max_unpaid_orders < 1 || c.shop.max_unpaid_orders > 100) {
      return BadKey("shop.max_unpaid_orders", "1..100");
    }
    Read(t, "casework", "data_key", c.casework.data_key);
    Read(t, "casework", "data_key_file", c.casework.data_key_file);
    Read(t, "casework", "retention_days", c.casework.retention_days);
    Read(t, "casework", "reopen_days", c.casework.reopen_days);
    if (c.casework.retention_days < 1 || c.casework.reopen_days < 0 ||
        c.casework.reopen_days > c.casework.retention_days) {
      return BadKey("casework.retention_days", "retention_days >= 1 and 0 <= reopen_days <= retention_days");
    }
    Read(t, "checkpoints", "signing_key", c.checkpoints.signing_key);
    Read(t, "checkpoints", "signing_key_file", c.checkpoints.signing_key_file);
    Read(t, "checkpoints", "log_file", c.checkpoints.log_file);
    Read(t, "checkpoints", "interval_s", c.checkpoints.interval_s);
    if (c.checkpoints.interval_s < 60 || c.checkpoints.interval_s > 24 * 3600) {
      return BadKey("checkpoints.interval_s", "60..86400");
    }
    Read(t, "auction", "increments", c.auction.increments);
    Read(t, "auction", "extend_minutes", c.auction.extend_minutes);
    Read(t, "auction", "max_extensions", c.auction.max_extensions);
    Read(t, "auction", "pay_within_hours", c.auction.pay_within_hours);
    Read(t, "auction", "offer_within_hours", c.auction.offer_within_hours);
    if (c.auction.extend_minutes < 0 || c.auction.extend_minutes > 60) {
      return BadKey("auction.extend_minutes", "0..60");
    }
    if (c.auction.max_extensions < 0 || c.auction.max_extensions > 1000) {
      return BadKey("auction.max_extensions", "0..1000");
    }
    if (c.auction.pay_within_hours < 1 || c.auction.pay_within_hours > 24 * 30) {
      return BadKey("auction.pay_within_hours", "1..720");
    }
    if (c.auction.offer_within_hours < 1 || c.auction.offer_within_hours > 24 * 30) {
      return BadKey("auction.offer_within_hours", "1..720");
    }
    Read(t, "market", "decision_threshold_fen", c.market.decision_threshold_fen);
    Read(t, "market", "notice_days", c.market.notice_days);
    if (c.market.decision_threshold_fen < 1 || c.market.decision_threshold_fen > 10'000'000'000) {
      return BadKey("market.decision_threshold_fen", "1..10000000000");
    }
    if (c.market.notice_days < 1 || c.market.notice_days > 60) {
      return BadKey("market.notice_days", "1..60");
    }
    Read(t, "training", "org_id", c.training.org_id);
    if (c.training.org_id < 0) {
      return BadKey("training.org_id", ">= 0");
    }
    Read(t, "forum", "word_list", c.forum.word_list);
    for (auto [key, value, max] : {std::tuple{"trust_account_age_days", &c.forum.trust_account_age_days, 3650LL},
                                   std::tuple{"trust_days_visited", &c.forum.trust_days_visited, 3650LL},
                                   std::tuple{"trust_posts_read", &c.forum.trust_posts_read, 1'000'000LL},
                                   std::tuple{"trust_likes_received", &c.forum.trust_likes_received, 1'000'000LL},
                                   std::tuple{"credits_daily_cap", &c.forum.credits_daily_cap, 1'000'000LL}}) {
      Read(t, "forum", key, *value);
      if (*value < 0 || *value > max) {
        return BadKey(std::string("forum.") + key, "0.." + std::to_string(max));
      }
    }
    Read(t, "forum", "view_flush_ms", c.forum.view_flush_ms);
    if (c.forum.view_flush_ms < 100 || c.forum.view_flush_ms > 60'000) {
      return BadKey("forum.view_flush_ms", "100..60000");
    }
    CC_TRY(ReadChannels(t, c.channels));
    Read(t, "log", "level", c.log_level);
    Read(t, "log", "access", c.access_log);
  }
  CC_TRY(ApplyEnvironment(c));
  CC_TRY(CheckPasswordCost(c));
  return c;
}

}  // namespace carecity
