// core/channel_keys: what `serve` reads for the outside channels, and how it
// says what is wrong (docs/design-channels.md 3.3).
#include "core/channel_keys.h"

#include "doubles/test_pki.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace carecity {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNow = 1796663763000;  // 2026-12-07

class ChannelKeysTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto strong = pk::GenerateRsaPem(2048);
    auto strong2 = pk::GenerateRsaPem(2048);
    auto weak = pk::GenerateRsaPem(1024);
    ASSERT_TRUE(strong.ok() && strong2.ok() && weak.ok());
    merchant_ = new pk::PemPair(*strong);
    platform_ = new pk::PemPair(*strong2);
    weak_ = new pk::PemPair(*weak);
  }
  static void TearDownTestSuite() {
    delete merchant_;
    delete platform_;
    delete weak_;
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("carecity_keys_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    config_.public_origin = "https://care.example.cn";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Put(const std::string& name, const std::string& content, fs::perms mode = fs::perms::owner_read |
                                                                                         fs::perms::owner_write) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    fs::permissions(p, mode);
    return p.string();
  }
  WechatPayConfig Wechat() {
    WechatPayConfig w;
    w.mchid = "1900000001";
    w.appid = "wx0123456789abcdef";
    w.private_key_file = Put("apiclient_key.pem", merchant_->private_pem);
    w.cert_serial = "3775B6A45ACD588826D15E583A95F5DD2AB3B1F0";
    w.apiv3_key_file = Put("apiv3.key", "0123456789abcdefghijklmnopqrstuv\n");
    w.platform_public_key_file = Put("pub_key.pem", platform_->public_pem, fs::perms::owner_read |
                                                                             fs::perms::group_read |
                                                                             fs::perms::others_read);
    w.platform_public_key_id = "PUB_KEY_ID_0112345678";
    return w;
  }
  Result<ChannelKeys> Load(int64_t now_ms = kNow) { return LoadChannelKeys(config_, now_ms, [this](const char* name) {
      auto it = env_.find(name);
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
  }
  // The error's field and detail, for EXPECTs.
  std::pair<std::string, std::string> Failure() {
    auto keys = Load();
    if (keys.ok()) {
      return {"(loaded)", ""};
    }
    return {keys.error().field, keys.error().detail};
  }

  static pk::PemPair* merchant_;
  static pk::PemPair* platform_;
  static pk::PemPair* weak_;
  fs::path dir_;
  Config config_;
  std::map<std::string, std::string> env_;
};

pk::PemPair* ChannelKeysTest::merchant_ = nullptr;
pk::PemPair* ChannelKeysTest::platform_ = nullptr;
pk::PemPair* ChannelKeysTest::weak_ = nullptr;

TEST_F(ChannelKeysTest, NothingConfiguredReadsNothing) {
  auto keys = Load();
  ASSERT_TRUE(keys.ok());
  EXPECT_FALSE(keys->wechatpay || keys->alipay || keys->sms_secret_key || keys->smtp_password ||
               keys->wechat_secret);
  EXPECT_TRUE(keys->warnings.empty());
}

TEST_F(ChannelKeysTest, EveryConfiguredChannelLoadsFromFilesOrTheEnvironment) {
  config_.channels.wechatpay = Wechat();
  AlipayConfig ali;
  ali.app_id = "2021000000000000";
  // Alipay shows keys as one line of bare base64: accepted as is.
  std::string bare;
  for (std::string line; const char c : merchant_->private_pem) {
    if (c != '\n') {
      line += c;
      continue;
    }
    if (line.rfind("-----", 0) != 0) {
      bare += line;
    }
    line.clear();
  }
  ali.private_key_file = Put("app_private_key.txt", bare);
  ali.alipay_public_key_file = Put("alipay_public_key.pem", platform_->public_pem);
  config_.channels.alipay = ali;
  SmsConfig sms;
  sms.secret_id = "AKIDexample";
  sms.secret_key_file = dir_ / "no-such-file";  // the environment wins: the file is never read
  config_.channels.sms = sms;
  env_["CARECITY_SMS_SECRET_KEY"] = "sms-secret-from-env";
  SmtpConfig smtp;
  smtp.url = "smtp://smtp.example.cn:587";
  smtp.username = "noreply@example.cn";
  smtp.password_file = Put("smtp", "mail password\r\n");
  config_.channels.smtp = smtp;
  WechatConfig mp;
  mp.appid = "wx0123456789abcdef";
  mp.secret_file = Put("wechat", "appsecret");
  config_.channels.wechat = mp;

  auto keys = Load();
  ASSERT_TRUE(keys.ok()) << keys.error().field << ": " << keys.error().detail;
  ASSERT_TRUE(keys->wechatpay.has_value());
  EXPECT_EQ(keys->wechatpay->apiv3_key, "0123456789abcdefghijklmnopqrstuv");
  ASSERT_TRUE(keys->wechatpay->platform_public_key.has_value());
  auto merchant_public = pk::LoadPublicKey(merchant_->public_pem);
  ASSERT_TRUE(merchant_public.ok());
  EXPECT_TRUE(pk::KeysMatch(keys->wechatpay->merchant_key, *merchant_public));
  ASSERT_TRUE(keys->alipay.has_value());
  EXPECT_TRUE(pk::KeysMatch(keys->alipay->app_key, *merchant_public));
  EXPECT_EQ(keys->sms_secret_key, "sms-secret-from-env");
  EXPECT_EQ(keys->smtp_password, "mail password");
  EXPECT_EQ(keys->wechat_secret, "appsecret");
  EXPECT_TRUE(keys->warnings.empty());  // public keys may be world-readable; secrets were 0600
}

TEST_F(ChannelKeysTest, EachMistakeNamesTheSettingAndTheFile) {
  // A missing key file.
  auto w = Wechat();
  w.private_key_file = (dir_ / "missing.pem").string();
  config_.channels.wechatpay = w;
  auto [field, detail] = Failure();
  EXPECT_EQ(field, "payments.wechatpay.private_key_file");
  EXPECT_NE(detail.find("missing.pem"), std::string::npos) << detail;
  EXPECT_NE(detail.find("No such file"), std::string::npos) << detail;

  // A private key every user may read.
  w = Wechat();
  fs::permissions(w.private_key_file, fs::perms::others_read, fs::perm_options::add);
  config_.channels.wechatpay = w;
  std::tie(field, detail) = Failure();
  EXPECT_EQ(field, "payments.wechatpay.private_key_file");
  EXPECT_NE(detail.find("chmod 600 " + w.private_key_file), std::string::npos) << detail;

  // Not a key; a key too short.
  w = Wechat();
  Put("apiclient_key.pem", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
  config_.channels.wechatpay = w;
  std::tie(field, detail) = Failure();
  EXPECT_EQ(field, "payments.wechatpay.private_key_file");
  EXPECT_NE(detail.find("not a readable private key"), std::string::npos) << detail;
  Put("apiclient_key.pem", weak_->private_pem);
  std::tie(field, detail) = Failure();
  EXPECT_NE(detail.find("1024 bits; at least 2048"), std::string::npos) << detail;

  // An APIv3 key of the wrong length (the trailing newline is not counted).
  w = Wechat();
  Put("apiv3.key", "0123456789abcdefghijklmnopqrstuvw\n");
  config_.channels.wechatpay = w;
  std::tie(field, detail) = Failure();
  EXPECT_EQ(field, "payments.wechatpay.apiv3_key_file");
  EXPECT_NE(detail.find("exactly 32 characters (found 33"), std::string::npos) << detail;
  // ... which the environment overrides.
  env_["CARECITY_WECHATPAY_APIV3_KEY"] = "abcdefghijklmnopqrstuv0123456789";
  auto keys = Load();
  ASSERT_TRUE(keys.ok()) << keys.error().detail;
  EXPECT_EQ(keys->wechatpay->apiv3_key, "abcdefghijklmnopqrstuv0123456789");
  env_.clear();

  // A platform public key file holding a private key.
  w = Wechat();
  Put("pub_key.pem", merchant_->private_pem);
  config_.channels.wechatpay = w;
  std::tie(field, detail) = Failure();
  EXPECT_EQ(field, "payments.wechatpay.platform_public_key_file");

  // A certificate that is not one; the SMS secret neither in a file nor in the environment.
  config_.channels.wechatpay = Wechat();
  config_.channels.wechatpay->platform_certificate_files = {Put("platform.pem", platform_->public_pem)};
  std::tie(field, detail) = Failure();
  EXPECT_EQ(field, "payments.wechatpay.platform_certificate_files");
  EXPECT_NE(detail.find("platform.pem"), std::string::npos) << detail;
  config_.channels.wechatpay.reset();
  config_.channels.sms = SmsConfig{};
  std::tie(field, detail) = Failure();
  EXPECT_EQ(field, "sms.secret_key_file");
  EXPECT_NE(detail.find("CARECITY_SMS_SECRET_KEY"), std::string::npos) << detail;
  config_.channels.sms.reset();

  // An empty secret file.
  config_.channels.wechat = WechatConfig{"wx1", Put("wechat", "\n")};
  std::tie(field, detail) = Failure();
  EXPECT_EQ(field, "wechat.secret_file");
  EXPECT_NE(detail.find("is empty"), std::string::npos) << detail;
}

TEST_F(ChannelKeysTest, ProvidersNeedAnHttpsPublicOriginToBeCalledBack) {
  config_.channels.wechatpay = Wechat();
  config_.public_origin = "";
  EXPECT_EQ(Failure().first, "server.public_origin");
  config_.public_origin = "http://care.example.cn";
  EXPECT_EQ(Failure().first, "server.public_origin");
  config_.public_origin = "http://127.0.0.1:8080";  // tests and trials on this machine
  EXPECT_EQ(Failure().first, "(loaded)");
}

TEST_F(ChannelKeysTest, AGroupReadableSecretIsAWarningNotARefusal) {
  config_.channels.wechatpay = Wechat();
  fs::permissions(config_.channels.wechatpay->apiv3_key_file, fs::perms::group_read, fs::perm_options::add);
  auto keys = Load();
  ASSERT_TRUE(keys.ok()) << keys.error().detail;
  ASSERT_EQ(keys->warnings.size(), 1u);
  EXPECT_NE(keys->warnings[0].find("payments.wechatpay.apiv3_key_file"), std::string::npos);
  EXPECT_NE(keys->warnings[0].find("0640"), std::string::npos) << keys->warnings[0];
  // Nothing secret in a warning.
  EXPECT_EQ(keys->warnings[0].find("0123456789abcdef"), std::string::npos);
}

TEST_F(ChannelKeysTest, AMerchantCertificateMustCarryTheSerialAndTheKeyConfigured) {
  // The tests' PKI gives a certificate and its key (valid for a day from now).
  const doubles::Pki& pki = doubles::SharedPki();
  auto cert = pk::LoadCertificate(pki.server_cert_pem);
  ASSERT_TRUE(cert.ok());
  auto w = Wechat();
  w.merchant_cert_file = Put("apiclient_cert.pem", pki.server_cert_pem, fs::perms::owner_read);
  w.private_key_file = Put("apiclient_key.pem", pki.server_key_pem);
  w.cert_serial = cert->serial_hex;
  // Lower case as some consoles print it: the same serial.
  for (char& c : w.cert_serial) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  config_.channels.wechatpay = w;
  const int64_t now = cert->not_before_ms + 3600 * 1000;
  auto keys = Load(now);
  ASSERT_TRUE(keys.ok()) << keys.error().field << ": " << keys.error().detail;
  ASSERT_EQ(keys->warnings.size(), 1u);  // a certificate valid for a day is close to its end
  EXPECT_NE(keys->warnings[0].find("payments.wechatpay.merchant_cert_file"), std::string::npos);
  EXPECT_NE(keys->warnings[0].find("expires on "), std::string::npos) << keys->warnings[0];

  config_.channels.wechatpay->cert_serial = "3775B6A45ACD588826D15E583A95F5DD2AB3B1F0";
  auto wrong_serial = Load(now);
  ASSERT_FALSE(wrong_serial.ok());
  EXPECT_EQ(wrong_serial.error().field, "payments.wechatpay.cert_serial");
  EXPECT_NE(wrong_serial.error().detail.find(cert->serial_hex), std::string::npos);

  config_.channels.wechatpay = w;
  config_.channels.wechatpay->private_key_file = Put("other_key.pem", merchant_->private_pem);
  auto wrong_key = Load(now);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.error().field, "payments.wechatpay.private_key_file");
  EXPECT_NE(wrong_key.error().detail.find("is not the key of the certificate"), std::string::npos);

  config_.channels.wechatpay = w;
  auto expired = Load(cert->not_after_ms + 1);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().field, "payments.wechatpay.merchant_cert_file");
  EXPECT_NE(expired.error().detail.find("has expired"), std::string::npos);
}

}  // namespace
}  // namespace carecity
