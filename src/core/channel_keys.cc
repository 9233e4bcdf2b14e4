#include "core/channel_keys.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace carecity {
namespace {

constexpr int64_t kExpiryWarningMs = 30 * 24 * 3600 * 1000LL;
constexpr size_t kApiV3KeyBytes = 32;
constexpr std::streamsize kMaxKeyFileBytes = 1 << 20;

Error Bad(const std::string& setting, std::string detail) {
  return Error::Invalid("invalid_config", setting, std::move(detail));
}

// The file's bytes. `secret`: refused when every user of the machine may
// read it, a warning when its group may (container secret mounts are often
// 0640).
Result<std::string> ReadFile(const std::string& setting, const std::string& path, bool secret,
                             std::vector<std::string>& warnings) {
  if (path.empty()) {
    return Bad(setting, "required");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Bad(setting, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return Bad(setting, path + " is not a file");
  }
  const unsigned mode = st.st_mode & 0777;
  if (secret && (mode & S_IROTH) != 0) {
    return Bad(setting, fmt::format("{} is readable by every user of this machine (mode {:04o}); chmod 600 {}", path,
                                    mode, path));
  }
  if (secret && (mode & S_IRGRP) != 0) {
    warnings.push_back(fmt::format("{}: {} is readable by its group (mode {:04o}); chmod 600 unless the group is "
                                   "the service's own",
                                   setting, path, mode));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Bad(setting, fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  }
  std::string text(static_cast<size_t>(kMaxKeyFileBytes) + 1, '\0');
  in.read(text.data(), kMaxKeyFileBytes + 1);
  if (in.bad()) {
    return Bad(setting, "cannot read " + path);
  }
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > static_cast<size_t>(kMaxKeyFileBytes)) {
    return Bad(setting, path + " is larger than 1 MiB; not a key");
  }
  return text;
}

// A short secret (a key, a password) from the environment variable when it
// is set, else from the file; one trailing newline is not part of it.
Result<std::string> ReadSecret(const std::string& setting, const std::string& path, const char* env_name,
                               const EnvLookup& env, std::vector<std::string>& warnings) {
  if (auto value = env(env_name); value && !value->empty()) {
    return *value;
  }
  if (path.empty()) {
    return Bad(setting, fmt::format("required (or the environment variable {})", env_name));
  }
  auto text = ReadFile(setting, path, true, warnings);
  if (!text.ok()) {
    return text;
  }
  std::string s = std::move(*text);
  if (!s.empty() && s.back() == '\n') {
    s.pop_back();
    if (!s.empty() && s.back() == '\r') {
      s.pop_back();
    }
  }
  if (s.empty()) {
    return Bad(setting, path + " is empty");
  }
  return s;
}

// The file read and then parsed by `parse` (a key or certificate loader),
// its failure named by the setting and the path.
template <class T>
Result<T> ReadParsed(const std::string& setting, const std::string& path, bool secret,
                     Result<T> (*parse)(std::string_view), std::vector<std::string>& warnings) {
  auto text = ReadFile(setting, path, secret, warnings);
  if (!text.ok()) {
    return std::move(text).error();
  }
  auto parsed = parse(*text);
  if (!parsed.ok()) {
    return Bad(setting, path + ": " + parsed.error().detail);
  }
  return parsed;
}

Result<pk::RsaKey> ReadPrivateKey(const std::string& setting, const std::string& path,
                                  std::vector<std::string>& warnings) {
  return ReadParsed(setting, path, true, &pk::LoadPrivateKey, warnings);
}

Result<pk::RsaKey> ReadPublicKey(const std::string& setting, const std::string& path,
                                 std::vector<std::string>& warnings) {
  return ReadParsed(setting, path, false, &pk::LoadPublicKey, warnings);
}

Result<pk::Certificate> ReadCertificate(const std::string& setting, const std::string& path, int64_t now_ms,
                                        std::vector<std::string>& warnings) {
  auto cert = ReadParsed(setting, path, false, &pk::LoadCertificate, warnings);
  if (!cert.ok()) {
    return cert;
  }
  if (cert->not_after_ms <= now_ms) {
    return Bad(setting, path + " has expired");
  }
  if (cert->not_after_ms - now_ms < kExpiryWarningMs) {
    const std::time_t until = static_cast<std::time_t>(cert->not_after_ms / 1000);
    warnings.push_back(fmt::format("{}: {} expires on {:%Y-%m-%d} (UTC); renew it before then", setting, path,
                                   fmt::gmtime(until)));
  }
  return cert;
}

Result<WechatPayKeys> LoadWechatPay(const WechatPayConfig& c, int64_t now_ms, const EnvLookup& env,
                                    std::vector<std::string>& warnings) {
  const std::string s = "payments.wechatpay.";
  auto merchant_key = ReadPrivateKey(s + "private_key_file", c.private_key_file, warnings);
  if (!merchant_key.ok()) {
    return std::move(merchant_key).error();
  }
  if (!c.merchant_cert_file.empty()) {
    auto cert = ReadCertificate(s + "merchant_cert_file", c.merchant_cert_file, now_ms, warnings);
    if (!cert.ok()) {
      return std::move(cert).error();
    }
    if (!pk::SameSerial(cert->serial_hex, c.cert_serial)) {
      return Bad(s + "cert_serial", fmt::format("{} does not match the serial of {} ({})", c.cert_serial,
                                                c.merchant_cert_file, cert->serial_hex));
    }
    if (!pk::KeysMatch(*merchant_key, cert->public_key)) {
      return Bad(s + "private_key_file", fmt::format("{} is not the key of the certificate {}", c.private_key_file,
                                                     c.merchant_cert_file));
    }
  }
  auto apiv3 = ReadSecret(s + "apiv3_key_file", c.apiv3_key_file, "CARECITY_WECHATPAY_APIV3_KEY", env, warnings);
  if (!apiv3.ok()) {
    return std::move(apiv3).error();
  }
  if (apiv3->size() != kApiV3KeyBytes) {
    return Bad(s + "apiv3_key_file", fmt::format("the APIv3 key must hold exactly 32 characters (found {}; one "
                                                 "trailing newline is not counted)",
                                                 apiv3->size()));
  }
  WechatPayKeys keys{std::move(*merchant_key), std::move(*apiv3), std::nullopt, {}};
  if (!c.platform_public_key_file.empty()) {
    auto pub = ReadPublicKey(s + "platform_public_key_file", c.platform_public_key_file, warnings);
    if (!pub.ok()) {
      return std::move(pub).error();
    }
    keys.platform_public_key = std::move(*pub);
  }
  for (const std::string& path : c.platform_certificate_files) {
    auto cert = ReadCertificate(s + "platform_certificate_files", path, now_ms, warnings);
    if (!cert.ok()) {
      return std::move(cert).error();
    }
    keys.platform_certificates.push_back(std::move(*cert));
  }
  return keys;
}

Result<AlipayKeys> LoadAlipay(const AlipayConfig& c, std::vector<std::string>& warnings) {
  auto app_key = ReadPrivateKey("payments.alipay.private_key_file", c.private_key_file, warnings);
  if (!app_key.ok()) {
    return std::move(app_key).error();
  }
  auto pub = ReadPublicKey("payments.alipay.alipay_public_key_file", c.alipay_public_key_file, warnings);
  if (!pub.ok()) {
    return std::move(pub).error();
  }
  return AlipayKeys{std::move(*app_key), std::move(*pub)};
}

// Providers call us back (notifications, OAuth redirects) at public_origin:
// it must be https, or http to this machine for tests and local trials.
Status CheckPublicOrigin(const Config& config, const char* needed_by) {
  const std::string& origin = config.public_origin;
  if (origin.rfind("https://", 0) == 0 && origin.size() > 8) {
    return {};
  }
  for (const char* local : {"http://localhost", "http://127.", "http://[::1]"}) {
    if (origin.rfind(local, 0) == 0) {
      return {};
    }
  }
  return Bad("server.public_origin",
             fmt::format("[{}] needs the site's public https:// address (\"https://care.example.cn\"): the provider "
                         "calls it back there",
                         needed_by));
}

}  // namespace

std::optional<std::string> SystemEnv(const char* name) {
  if (const char* v = std::getenv(name)) {
    return std::string(v);
  }
  return std::nullopt;
}

Result<ChannelKeys> LoadChannelKeys(const Config& config, int64_t now_ms, const EnvLookup& env) {
  const ChannelsConfig& c = config.channels;
  ChannelKeys keys;
  if (c.wechatpay) {
    CC_TRY(CheckPublicOrigin(config, "payments.wechatpay"));
    auto loaded = LoadWechatPay(*c.wechatpay, now_ms, env, keys.warnings);
    if (!loaded.ok()) {
      return std::move(loaded).error();
    }
    keys.wechatpay = std::move(*loaded);
  }
  if (c.alipay) {
    CC_TRY(CheckPublicOrigin(config, "payments.alipay"));
    auto loaded = LoadAlipay(*c.alipay, keys.warnings);
    if (!loaded.ok()) {
      return std::move(loaded).error();
    }
    keys.alipay = std::move(*loaded);
  }
  if (c.sms) {
    auto secret = ReadSecret("sms.secret_key_file", c.sms->secret_key_file, "CARECITY_SMS_SECRET_KEY", env,
                             keys.warnings);
    if (!secret.ok()) {
      return std::move(secret).error();
    }
    keys.sms_secret_key = std::move(*secret);
  }
  if (c.smtp && !c.smtp->username.empty()) {
    auto password = ReadSecret("smtp.password_file", c.smtp->password_file, "CARECITY_SMTP_PASSWORD", env,
                               keys.warnings);
    if (!password.ok()) {
      return std::move(password).error();
    }
    keys.smtp_password = std::move(*password);
  }
  if (c.wechat) {
    CC_TRY(CheckPublicOrigin(config, "wechat"));
    auto secret = ReadSecret("wechat.secret_file", c.wechat->secret_file, "CARECITY_WECHAT_SECRET", env,
                             keys.warnings);
    if (!secret.ok()) {
      return std::move(secret).error();
    }
    keys.wechat_secret = std::move(*secret);
  }
  return keys;
}

}  // namespace carecity
