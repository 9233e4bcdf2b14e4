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

}  // namespace
}  // namespace carecity
