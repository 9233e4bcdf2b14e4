// Runtime configuration: built-in defaults, then a TOML file, then environment
// variables (CARECITY_DB, CARECITY_LISTEN, CARECITY_RATE_LIMITS,
// CARECITY_DATA_KEY, CARECITY_CHECKPOINT_KEY), then
// command-line flags applied by the caller. Plain data; copy freely.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/channels_config.h"
#include "core/crypto.h"
#include "core/result.h"

namespace carecity {

// How long a rate-limit window is kept after it started; the maintenance job
// prunes older ones (db::PruneRateLimits), so no window may be longer.
constexpr int64_t kRateLimitRetentionS = 24 * 3600;

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
  // Codes sent by text or e-mail (password recovery; registration next): one
  // a minute to an address, at most 10 a day to it, and 50 a day asked from
  // one client address, however many accounts it names.
  RateLimit code_gap_per_recipient{1, 60};
  RateLimit code_per_recipient_day{10, 24 * 60 * 60};
  RateLimit code_per_ip_day{50, 24 * 60 * 60};
  // Online donations open an order at the payment provider each: bounded per
  // guest address and per signed-in donor.
  RateLimit donate_per_ip{20, 10 * 60};
  RateLimit donate_per_account{30, 10 * 60};
  // 公益商城 orders placed (each opens an order at the payment provider too).
  RateLimit checkout_per_account{30, 10 * 60};
  // Image uploads (POST /api/v1/media/images): each is decoded and encoded
  // on the CPU pool, so they are bounded per signed-in uploader.
  RateLimit media_upload_per_account{60, 60 * 60};
  // 社区论坛 threads and replies per author: a new member (trust level 0)
  // gets the tight one, an established member the loose one.
  RateLimit forum_post_new_member{5, 10 * 60};
  RateLimit forum_post_per_account{30, 10 * 60};
  // 举报 per reporter.
  RateLimit forum_report_per_account{20, 60 * 60};
};

// Uploaded images ([media]): what is accepted and the variants kept
// (src/media/image.h). Checked by LoadConfig.
struct MediaConfig {
  int64_t max_upload_bytes = 8 * 1024 * 1024;  // larger bodies answer 413
  // Refused from the header, before any pixel is decoded (decompression bombs).
  int64_t max_side_px = 12000;
  int64_t max_pixels = 40'000'000;
  int64_t full_px = 1600;   // the `full` variant fits in this square
  int64_t thumb_px = 400;   // the `thumb` variant fits in this square
  int64_t webp_quality = 80;
};

// The qualified charity that holds the fund (only organisations with public
// fundraising qualification may raise from the public), shown on every
// appeal page and receipt.
struct FundConfig {
  std::string fundraiser_name = "佛山市南海区慈善会";
  std::string fundraiser_credit_code = "51440605MJL2012C8A";
  std::string fund_name = "关爱桂城基金";
  std::string general_filing_no = "53440605MJL2012A00";  // 备案号 of the general (unrestricted) appeal
  std::string receipt_prefix = "GC";
  std::string receipt_secret;      // empty: generated once and kept in the database
  int64_t donation_min_fen = 100;  // ¥1
  int64_t donation_max_fen = 50'000'000;  // ¥500,000 per online donation
  int64_t two_approvals_above_fen = 100'000'000;  // disbursements above ¥1,000,000 need two checkers
};

// Service applications (服务申请): the key that seals sensitive fields at
// rest, and how long they are kept after an application closes.
struct CaseworkConfig {
  // 64 hex characters. Empty: read from data_key_file, which is created
  // (mode 0600) with a new key when missing. Every server of one database
  // needs the same key; losing it makes the sealed fields unreadable.
  std::string data_key;
  // Empty: next to the SQLite database ("<db>.key"), or "carecity-data.key"
  // in the working directory for PostgreSQL.
  std::string data_key_file;
  int64_t retention_days = 180;  // sensitive fields purged this long after closing
  int64_t reopen_days = 14;      // an applicant may reopen this long after closing
};

// 公益拍卖 ([auction]): the bidding rules new lots take, and the deadlines
// after the close.
struct AuctionConfig {
  // from_fen:step_fen bands (domains/auction/model.h IncrementTable::Parse):
  // ¥10 below ¥200, ¥20 below ¥1,000, ¥50 below ¥5,000, ¥100 from then on.
  std::string increments = "0:1000,20000:2000,100000:5000,500000:10000";
  int64_t extend_minutes = 5;      // soft close: a raising bid in the last N minutes extends to now + N
  int64_t max_extensions = 12;     // at most this many times
  int64_t pay_within_hours = 48;   // the winner's deadline to pay
  int64_t offer_within_hours = 24; // the runner-up's deadline to accept a second-chance offer
};

// 社工服务进村(居) purchase: a contract at or above `decision_threshold_fen`
// needs the village's recorded collective decision, then a public notice of
// `notice_days` before it takes effect (docs/design-market.md "Purchase").
struct MarketConfig {
  int64_t decision_threshold_fen = 5'000'000;  // ¥50,000
  int64_t notice_days = 5;
};

// 党员社工培育: the organisation whose events a training class's sessions
// are when the class names none (0: each class names its own).
struct TrainingConfig {
  int64_t org_id = 0;
};

// 社区论坛 ([forum]): the sensitive-word list and the trust a member earns
// before posting links and images (Discourse's trust level 1, "basic"),
// credits' daily cap, and how often view counts reach the database.
struct ForumConfig {
  // The word list file (media/wordfilter.h has the format). Empty: no list.
  std::string word_list;
  // Trust level 1 needs all of these (a member with a role is trusted).
  int64_t trust_account_age_days = 1;
  int64_t trust_days_visited = 2;
  int64_t trust_posts_read = 30;
  int64_t trust_likes_received = 0;
  // Credits one member earns a day, summed over every reason but penalties.
  int64_t credits_daily_cap = 50;
  // View counts are kept in memory and added to the database this often;
  // a server killed between flushes loses at most this much of its counts.
  int64_t view_flush_ms = 2000;
};

// 公益商城: the fund purpose that receives the shop's donation parts (its
// code; empty, or no such purpose: the general fund) and how long an unpaid
// order holds its stock.
struct ShopConfig {
  std::string purpose = "charity-shop";  // the demo's 公益商城义卖 purpose
  int64_t order_expiry_minutes = 15;
  // Unpaid orders one buyer may hold at once: reserved stock is scarce, and
  // one account must not keep a sale's items from everyone else.
  int64_t max_unpaid_orders = 3;
};

// Signed checkpoints of the hash chains (audit log, fund ledger): the key
// that signs them and the log file they are appended to, both outside the
// database (docs/api-transparency.md).
struct CheckpointConfig {
  // 64 hex characters: the Ed25519 key's seed. Empty: read from
  // signing_key_file, which `serve` creates (mode 0600) with a new key when
  // missing. Every server of one database needs the same key. `verify`
  // derives the public key from it, and never creates it.
  std::string signing_key;
  // Empty: next to the SQLite database ("<db>.checkpoint.key"), or
  // "carecity-checkpoint.key" in the working directory for PostgreSQL.
  std::string signing_key_file;
  // Append-only JSON lines, one per checkpoint. Empty: "<db>.checkpoints.jsonl"
  // next to the SQLite database, or "carecity-checkpoints.jsonl" in the
  // working directory for PostgreSQL (each server appends the ones it wrote).
  std::string log_file;
  int64_t interval_s = 600;  // `serve` signs a chain that grew at most this often
};

// The built-in sandbox payment provider, and its test hooks.
struct SandboxConfig {
  // [payments] sandbox: the provider exists at all. Off by default: it takes
  // no money and marks any order paid on request, so it is for the demo and
  // the tests. (A [payments.sandbox] table of options also switches it on.)
  bool enabled = false;
  // [payments] sandbox_on_https: let it run under an https public_origin (a
  // staging site); serve refuses otherwise, since such a site is public.
  bool allow_on_https = false;
  std::string secret;              // HMAC key for notifications; empty: generated and kept
  int64_t fee_bps = 0;             // provider fee in basis points of each payment
  int duplicate_notifications = 0; // extra copies of every notification
  int notify_delay_ms = 0;         // delay before delivering (0: deliver before answering pay)
  bool reorder = false;            // random delays up to notify_delay_ms, so notifications overtake
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
  // The subdistrict's IANA time zone: how the web app shows every time,
  // whatever the phone is set to, and where a "day" starts (daily caps).
  std::string time_zone = "Asia/Shanghai";

  // [database]
  std::string db_url = "sqlite:data/carecity.db";
  int read_connections = 4;     // SQLite readers; PostgreSQL pool size
  int write_queue_limit = 10000;
  int max_batch = 256;          // SQLite group-commit batch size
  std::string sqlite_synchronous = "FULL";

  // [security]
  std::string consent_version = "2026-12";  // 2026-12: donations kept after deletion (privacy notice)
  int64_t session_ttl_s = 30LL * 24 * 3600;
  // How long a server trusts a session it has checked without asking the
  // database again; changes made through this server take effect at once,
  // changes made by another server (or the command line) within this time.
  int64_t session_cache_s = 30;
  int64_t recovery_code_ttl_s = 600;
  PasswordCost password_cost;
  // Test and benchmark switch ([security] argon2_allow_test_cost): accept an
  // argon2 cost below the OWASP minimum (19 MiB, 2 passes) so thousands of
  // test accounts hash quickly. Never on a real server: such hashes fall to
  // a GPU in hours. Off, CheckPasswordCost refuses the weak cost.
  bool allow_test_password_cost = false;
  // A session older than this (since its login) must sign in again before
  // changing roles or approving payouts (AccountsService::RequireRecentAuth).
  int64_t recent_auth_s = 15 * 60;

  // [rate_limits]
  RateLimitConfig rate_limits;

  FundConfig fund;          // [fund]
  SandboxConfig sandbox;     // [payments.sandbox]
  CaseworkConfig casework;   // [casework]
  CheckpointConfig checkpoints;  // [checkpoints]
  MediaConfig media;         // [media]
  AuctionConfig auction;     // [auction]
  MarketConfig market;       // [market]
  TrainingConfig training;   // [training]
  ShopConfig shop;               // [shop]
  ForumConfig forum;             // [forum]
  // [tls], [payments.wechatpay], [payments.alipay], [sms], [smtp], [wechat]
  ChannelsConfig channels;

  // [log]
  std::string log_level = "info";
  std::string access_log = "stdout";  // "stdout", "off" or a file path
};

// Reads `path` (if not empty) over the defaults, then the environment.
// Errors name the bad key ("server.threads").
Result<Config> LoadConfig(const std::string& path);

// The OWASP minimum argon2id cost (m = 19 MiB, t = 2); lower is refused
// unless `allow_test_password_cost` is set.
constexpr uint64_t kMinArgon2MemlimitBytes = 19ull * 1024 * 1024;
constexpr uint64_t kMinArgon2Opslimit = 2;

// invalid_config naming security.argon2_memlimit_kib or
// security.argon2_opslimit when the cost is below the minimum and the test
// switch is off. Called by LoadConfig and again by App::Open (for
// configurations built in code).
Status CheckPasswordCost(const Config& config);

// Applies CARECITY_* environment variables; called by LoadConfig.
Status ApplyEnvironment(Config& config);

}  // namespace carecity
