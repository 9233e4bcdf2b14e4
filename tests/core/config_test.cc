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

}  // namespace
}  // namespace carecity
