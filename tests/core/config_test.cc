#include "core/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace carecity {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("CARECITY_DB");
    unsetenv("CARECITY_LISTEN");
    unsetenv("CARECITY_RATE_LIMITS");
    path_ = std::filesystem::temp_directory_path() / ("carecity_config_" + std::to_string(::getpid()) + ".toml");
  }
  void TearDown() override {
    std::filesystem::remove(path_);
    unsetenv("CARECITY_DB");
    unsetenv("CARECITY_LISTEN");
    unsetenv("CARECITY_RATE_LIMITS");
  }
  void Write(const std::string& text) { std::ofstream(path_) << text; }
  std::filesystem::path path_;
};

TEST_F(ConfigTest, DefaultsServeTheEmbeddedDatabaseOnLoopback) {
  auto c = LoadConfig("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->db_url, "sqlite:data/carecity.db");
  EXPECT_TRUE(c->rate_limits.enabled);
  EXPECT_EQ(c->max_body_bytes, 1024 * 1024);
  EXPECT_EQ(c->consent_version, "2026-12");  // the privacy notice now says how long donations are kept
}

TEST_F(ConfigTest, FileValuesOverrideDefaults) {
  Write(R"([server]
listen = "0.0.0.0:9000"
public_origin = "https://care.example.cn"
[database]
url = "postgresql://db/carecity"
[rate_limits]
login_per_account = "3/60"
)");
  auto c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->public_origin, "https://care.example.cn");
  EXPECT_EQ(c->db_url, "postgresql://db/carecity");
  EXPECT_EQ(c->rate_limits.login_per_account.max, 3);
  EXPECT_EQ(c->rate_limits.login_per_account.window_s, 60);
}

TEST_F(ConfigTest, EnvironmentOverridesTheFile) {
  Write("[server]\nlisten = \"0.0.0.0:9000\"\n");
  setenv("CARECITY_LISTEN", "127.0.0.1:7000", 1);
  setenv("CARECITY_DB", "sqlite:/tmp/x.db", 1);
  setenv("CARECITY_RATE_LIMITS", "off", 1);
  auto c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:7000");
  EXPECT_EQ(c->db_url, "sqlite:/tmp/x.db");
  EXPECT_FALSE(c->rate_limits.enabled);
}

TEST_F(ConfigTest, BadValuesNameTheKey) {
  Write("[rate_limits]\nlogin_per_ip = \"lots\"\n");
  auto c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "rate_limits.login_per_ip");

  Write("[database]\nsqlite_synchronous = \"OFF\"\n");
  c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "database.sqlite_synchronous");

  Write("this is not toml = = =");
  c = LoadConfig(path_.string());
  EXPECT_FALSE(c.ok());

  setenv("CARECITY_RATE_LIMITS", "maybe", 1);
  c = LoadConfig("");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "CARECITY_RATE_LIMITS");
}

TEST_F(ConfigTest, CheckpointSettingsComeFromTheFileAndTheKeyAlsoFromTheEnvironment) {
  Write(R"([checkpoints]
signing_key_file = "/etc/carecity/checkpoint.key"
log_file = "/var/log/carecity/checkpoints.jsonl"
interval_s = 300
)");
  auto c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->checkpoints.signing_key, "");
  EXPECT_EQ(c->checkpoints.signing_key_file, "/etc/carecity/checkpoint.key");
  EXPECT_EQ(c->checkpoints.log_file, "/var/log/carecity/checkpoints.jsonl");
  EXPECT_EQ(c->checkpoints.interval_s, 300);
  setenv("CARECITY_CHECKPOINT_KEY", std::string(64, 'a').c_str(), 1);
  c = LoadConfig(path_.string());
  unsetenv("CARECITY_CHECKPOINT_KEY");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->checkpoints.signing_key, std::string(64, 'a'));
  Write("[checkpoints]\ninterval_s = 5\n");
  c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "checkpoints.interval_s");
}

TEST_F(ConfigTest, Argon2CostBelowTheOwaspMinimumIsRefusedNamingTheKey) {
  Write("[security]\nargon2_memlimit_kib = 8\n");
  auto c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().key, "invalid_config");
  EXPECT_EQ(c.error().field, "security.argon2_memlimit_kib");
  EXPECT_NE(c.error().detail.find("19456"), std::string::npos) << c.error().detail;
  EXPECT_NE(c.error().detail.find("argon2_allow_test_cost"), std::string::npos) << c.error().detail;

  Write("[security]\nargon2_memlimit_kib = 19455\n");
  c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "security.argon2_memlimit_kib");

  Write("[security]\nargon2_opslimit = 1\n");
  c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "security.argon2_opslimit");

  Write("[security]\nargon2_opslimit = 2\nargon2_memlimit_kib = 19456\n");
  c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->password_cost.memlimit_bytes, kMinArgon2MemlimitBytes);
  EXPECT_FALSE(c->allow_test_password_cost);
}

TEST_F(ConfigTest, TheTestSwitchAllowsACheapArgon2Cost) {
  Write("[security]\nargon2_opslimit = 1\nargon2_memlimit_kib = 8\nargon2_allow_test_cost = true\n");
  auto c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_TRUE(c->allow_test_password_cost);
  EXPECT_EQ(c->password_cost.memlimit_bytes, 8u * 1024);
  EXPECT_EQ(c->password_cost.opslimit, 1u);

  Config built;  // a configuration built in code is checked too (App::Open calls this)
  built.password_cost = PasswordCost{1, 8 * 1024};
  EXPECT_EQ(CheckPasswordCost(built).error().field, "security.argon2_memlimit_kib");
  built.allow_test_password_cost = true;
  EXPECT_TRUE(CheckPasswordCost(built).ok());
  EXPECT_TRUE(CheckPasswordCost(Config{}).ok());  // the defaults are the minimum
}

TEST_F(ConfigTest, RateLimitWindowsLongerThanTheRetentionAreRefused) {
  Write("[rate_limits]\nlogin_per_ip = \"10/86401\"\n");
  auto c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "rate_limits.login_per_ip");
  Write("[rate_limits]\nlogin_per_ip = \"10/86400\"\n");
  EXPECT_TRUE(LoadConfig(path_.string()).ok());
}

TEST_F(ConfigTest, RecentAuthenticationWindowIsConfigurableAndBounded) {
  EXPECT_EQ(Config{}.recent_auth_s, 15 * 60);
  Write("[security]\nrecent_auth_seconds = 300\n");
  auto c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->recent_auth_s, 300);
  Write("[security]\nrecent_auth_seconds = 5\n");
  c = LoadConfig(path_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "security.recent_auth_seconds");
}

TEST_F(ConfigTest, TheTimeZoneIsTheSubdistrictsAndMustBeARealZone) {
  auto defaults = LoadConfig("");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->time_zone, "Asia/Shanghai");
  Write("[server]\ntime_zone = \"Asia/Urumqi\"\n");
  auto set = LoadConfig(path_.string());
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->time_zone, "Asia/Urumqi");
  for (const char* bad : {"", "Beijing Time", "../../etc/passwd", "/etc/localtime", "Asia/Nowhere_City"}) {
    if (std::string(bad) == "Asia/Nowhere_City" && !std::filesystem::is_directory("/usr/share/zoneinfo")) {
      continue;  // without the zone database only the spelling is checked
    }
    Write(std::string("[server]\ntime_zone = \"") + bad + "\"\n");
    auto c = LoadConfig(path_.string());
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.error().field, "server.time_zone") << bad;
  }
}

TEST_F(ConfigTest, ForumThresholdsAndLimitsAreConfigurableAndBounded) {
  Write(
      "[forum]\nword_list = \"/etc/carecity/words.txt\"\ntrust_days_visited = 5\ncredits_daily_cap = 80\n"
      "[rate_limits]\nforum_post_new_member = \"2/600\"\n");
  auto c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->forum.word_list, "/etc/carecity/words.txt");
  EXPECT_EQ(c->forum.trust_days_visited, 5);
  EXPECT_EQ(c->forum.trust_posts_read, 30);  // the default stays
  EXPECT_EQ(c->forum.credits_daily_cap, 80);
  EXPECT_EQ(c->rate_limits.forum_post_new_member.max, 2);
  Write("[forum]\ntrust_posts_read = -1\n");
  auto bad = LoadConfig(path_.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "forum.trust_posts_read");
  Write("[forum]\nview_flush_ms = 5\n");
  auto fast = LoadConfig(path_.string());
  ASSERT_FALSE(fast.ok());
  EXPECT_EQ(fast.error().field, "forum.view_flush_ms");
}

TEST_F(ConfigTest, NoChannelIsConfiguredUnlessItsTableIsThere) {
  auto c = LoadConfig("");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->channels.any_provider());
  EXPECT_TRUE(c->channels.tls.extra_ca_file.empty());
}

TEST_F(ConfigTest, ChannelTablesReadEveryKeyOfTheContract) {
  Write(R"([tls]
extra_ca_file = "/etc/carecity/ca.pem"
[payments.wechatpay]
mchid = "1900000001"
appid = "wx0123456789abcdef"
private_key_file = "/k/apiclient_key.pem"
cert_serial = "3775b6a45acd588826d15e583a95f5dd2ab3b1f0"
apiv3_key_file = "/k/apiv3.key"
platform_public_key_file = "/k/pub_key.pem"
platform_public_key_id = "PUB_KEY_ID_0112345678"
platform_certificate_files = ["/k/wechatpay_1.pem"]
base_url = "https://api.mch.weixin.qq.com/"
[payments.alipay]
app_id = "2021000000000000"
private_key_file = "/k/app_private_key.pem"
alipay_public_key_file = "/k/alipay_public_key.pem"
base_url = "https://openapi.alipay.com"
[sms]
secret_id = "AKIDexample"
secret_key_file = "/k/sms"
sdk_app_id = "1400006666"
sign_name = "关爱桂城"
code_cap_per_phone_per_day = 5
[sms.templates]
recover_code = { id = "1234567", params = ["code", "ttl_minutes"] }
[smtp]
url = "smtp://smtp.example.cn:587"
username = "noreply@example.cn"
password_file = "/k/smtp"
from = "关爱桂城 <noreply@example.cn>"
[wechat]
appid = "wx0123456789abcdef"
secret_file = "/k/wechat"
)");
  auto c = LoadConfig(path_.string());
  ASSERT_TRUE(c.ok()) << c.error().field << ": " << c.error().detail;
  const ChannelsConfig& ch = c->channels;
  EXPECT_EQ(ch.tls.extra_ca_file, "/etc/carecity/ca.pem");
  ASSERT_TRUE(ch.wechatpay && ch.alipay && ch.sms && ch.smtp && ch.wechat);
  EXPECT_EQ(ch.wechatpay->mchid, "1900000001");
  EXPECT_EQ(ch.wechatpay->platform_public_key_id, "PUB_KEY_ID_0112345678");
  EXPECT_EQ(ch.wechatpay->platform_certificate_files, std::vector<std::string>{"/k/wechatpay_1.pem"});
  EXPECT_EQ(ch.wechatpay->base_url, "https://api.mch.weixin.qq.com");  // the trailing slash is dropped
  EXPECT_EQ(ch.wechatpay->timeout_ms, 10000);
  EXPECT_EQ(ch.alipay->app_id, "2021000000000000");
  EXPECT_EQ(ch.sms->region, "ap-guangzhou");
  EXPECT_EQ(ch.sms->code_cap_per_phone_per_day, 5);
  ASSERT_EQ(ch.sms->templates.count("recover_code"), 1u);
  EXPECT_EQ(ch.sms->templates.at("recover_code").id, "1234567");
  EXPECT_EQ(ch.sms->templates.at("recover_code").params, (std::vector<std::string>{"code", "ttl_minutes"}));
  EXPECT_EQ(ch.smtp->from, "关爱桂城 <noreply@example.cn>");
  EXPECT_EQ(ch.wechat->oauth_base_url, "https://open.weixin.qq.com");
}

TEST_F(ConfigTest, ChannelMistakesNameTheKey) {
  const std::string wechat_base = R"([payments.wechatpay]
mchid = "1900000001"
appid = "wx0123456789abcdef"
private_key_file = "/k/key.pem"
cert_serial = "3775B6A4"
apiv3_key_file = "/k/apiv3"
)";
  struct Case {
    std::string toml;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"[payments.wechatpay]\nappid = \"wx1\"\n", "payments.wechatpay.mchid"},
      {wechat_base, "payments.wechatpay.platform_public_key_file"},
      {wechat_base + "platform_public_key_file = \"/k/pub.pem\"\n", "payments.wechatpay.platform_public_key_id"},
      {wechat_base + "platform_certificate_files = [\"/c.pem\"]\nbase_url = \"http://api.mch.weixin.qq.com\"\n",
       "payments.wechatpay.base_url"},
      {wechat_base + "platform_certificate_files = [\"/c.pem\"]\ntimeout_ms = 5\n", "payments.wechatpay.timeout_ms"},
      {wechat_base + "platform_certificate_files = \"/c.pem\"\n", "payments.wechatpay.platform_certificate_files"},
      {"[payments.wechatpay]\nmchid = \"19x\"\n", "payments.wechatpay.mchid"},
      {"[payments.alipay]\napp_id = \"2021\"\nprivate_key_file = \"/k\"\n", "payments.alipay.alipay_public_key_file"},
      {"[sms]\nprovider = \"aliyun\"\n", "sms.provider"},
      {"[sms]\nsecret_id = \"A\"\nsdk_app_id = \"1\"\nsign_name = \"s\"\n[sms.templates]\nx = { id = \"a1\" }\n",
       "sms.templates.x.id"},
      {"[smtp]\nurl = \"http://mail\"\nfrom = \"a@b\"\n", "smtp.url"},
      {"[wechat]\nsecret_file = \"/k\"\n", "wechat.appid"},
  };
  for (const Case& item : cases) {
    Write(item.toml);
    auto c = LoadConfig(path_.string());
    ASSERT_FALSE(c.ok()) << item.toml;
    EXPECT_EQ(c.error().key, "invalid_config");
    EXPECT_EQ(c.error().field, item.field) << item.toml << c.error().detail;
  }
  // Plain http is for this machine only (tests, a local relay).
  Write(wechat_base + "platform_certificate_files = [\"/c.pem\"]\nbase_url = \"http://127.0.0.1:9000\"\n");
  auto local = LoadConfig(path_.string());
  ASSERT_TRUE(local.ok()) << local.error().detail;
  EXPECT_EQ(local->channels.wechatpay->base_url, "http://127.0.0.1:9000");
}

}  // namespace
}  // namespace carecity
