// Runtime configuration: built-in defaults, then a TOML file, then environment
// variables (CARECITY_DB, CARECITY_LISTEN, CARECITY_RATE_LIMITS), then
// command-line flags applied by the caller. Plain data; copy freely.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/result.h"

namespace carecity {

// A limit of `max` events per `window_s` seconds for one key.
struct RateLimit {
  int64_t max = 0;
  int64_t window_s = 0;
};

struct RateLimitConfig {
  bool enabled = true;
  RateLimit login_per_account{10, 15 * 60};
  RateLimit login_per_ip{100, 15 * 60};
  RateLimit register_per_ip{20, 60 * 60};
  RateLimit recover_request_per_account{5, 60 * 60};
  RateLimit recover_request_per_ip{20, 60 * 60};
  RateLimit recover_confirm_per_account{10, 60 * 60};
  RateLimit recover_confirm_per_ip{50, 60 * 60};
};

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  std::string web_dir = "web/dist";
  std::string public_origin;   // "https://care.example.cn"; empty = same-origin via Host
  // Reverse proxies whose X-Forwarded-For is believed (exact peer addresses).
  std::vector<std::string> trusted_proxies;
  int threads = 0;             // I/O threads; 0 = number of cores
  int64_t max_body_bytes = 1024 * 1024;
  int64_t max_header_bytes = 16 * 1024;
  int max_connections = 10000;
  int read_timeout_s = 30;
  int idle_timeout_s = 75;
  int shutdown_grace_s = 15;

  // [database]
  std::string db_url = "sqlite:data/carecity.db";
  int read_connections = 4;     // SQLite readers; PostgreSQL pool size
  int write_queue_limit = 10000;
  int max_batch = 256;          // SQLite group-commit batch size
  std::string sqlite_synchronous = "FULL";

  // [security]
  std::string consent_version = "2026-11";
  int64_t session_ttl_s = 30LL * 24 * 3600;
  int64_t recovery_code_ttl_s = 600;
  PasswordCost password_cost;

  // [rate_limits]
  RateLimitConfig rate_limits;

  // [log]
  std::string log_level = "info";
  std::string access_log = "stdout";  // "stdout", "off" or a file path
};

// Reads `path` (if not empty) over the defaults, then the environment.
// Errors name the bad key ("server.threads").
Result<Config> LoadConfig(const std::string& path);

// Applies CARECITY_* environment variables; called by LoadConfig.
Status ApplyEnvironment(Config& config);

}  // namespace carecity
