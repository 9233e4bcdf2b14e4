// The keys and secrets of the configured outside channels, read when the
// server opens (docs/design-channels.md 3.3). Secrets come from files
// (private keys always) or, for the short ones, from environment variables;
// never from the database or the TOML file itself, and never logged.
//
// Every failure names the setting, the file and what is wrong with it, and
// stops `serve`: a provider that is configured but cannot sign is worse than
// one that is not configured, since residents would reach a pay page that
// cannot work.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/pkcrypto.h"
#include "core/result.h"

namespace carecity {

struct WechatPayKeys {
  pk::RsaKey merchant_key;  // signs our requests
  std::string apiv3_key;    // 32 bytes: opens notifications' resources
  // Verifies WeChat Pay's answers and notifications: its public key (named
  // by platform_public_key_id), its platform certificates, or both during
  // the switchover. Their ids are what Wechatpay-Serial names.
  std::optional<pk::RsaKey> platform_public_key;
  std::vector<pk::Certificate> platform_certificates;
};

struct AlipayKeys {
  pk::RsaKey app_key;            // signs our requests
  pk::RsaKey alipay_public_key;  // verifies answers and notifications
};

struct ChannelKeys {
  std::optional<WechatPayKeys> wechatpay;
  std::optional<AlipayKeys> alipay;
  std::optional<std::string> sms_secret_key;
  std::optional<std::string> smtp_password;
  std::optional<std::string> wechat_secret;
  // Worth an operator's attention, not worth refusing to start: a secret
  // readable by the file's group, a certificate expiring within 30 days.
  std::vector<std::string> warnings;
};

// getenv by default; tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> SystemEnv(const char* name);

// Reads every file the configured channels name. Nothing configured: empty
// keys, no file touched. Errors are invalid_config with the setting as the
// field, e.g. payments.wechatpay.private_key_file.
Result<ChannelKeys> LoadChannelKeys(const Config& config, int64_t now_ms, const EnvLookup& env = SystemEnv);

}  // namespace carecity
