// carecity-doubles: the WeChat Pay and Alipay doubles as one process, for the browser tests
// (docs/design-channels.md section 7.4) and for trying the real providers' flows on a laptop.
//
//   carecity-doubles --dir DIR
//
// Makes fresh keys (the merchant's and the app's, which our server signs with, and the
// providers' own), starts both doubles over HTTPS with a throwaway CA, and writes into DIR
// (created 0700 if missing; every file 0600):
//   ca.pem                      the CA the doubles' certificate chains to ([tls] extra_ca_file)
//   wechatpay_key.pem, wechatpay_apiv3.key, wechatpay_pub_key.pem
//   alipay_app_key.pem, alipay_public_key.pem
//   channels.toml               [tls], [payments.wechatpay] and [payments.alipay] pointing at
//                               the doubles, ready for `carecity serve --config`
// then prints one line, `doubles ready {"wechatpay":URL,"alipay":URL,"config":PATH}`, and
// serves until SIGINT or SIGTERM. Nothing here is a real credential: every key is made anew.
//
// Shares no code with src/ (doubles_independence_test.cc): a payer's browser and our server
// reach it only through the providers' protocols.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "doubles/alipay_double.h"
#include "doubles/test_pki.h"
#include "doubles/wechatpay_double.h"

namespace {

// 32 ASCII characters, as WeChat's merchant console makes an APIv3 key.
constexpr char kApiV3Key[] = "e2eDoubleApiV3Key0123456789abcde";
constexpr char kMchid[] = "1900000001";
constexpr char kWechatAppid[] = "wxd678efh567hg6787";
constexpr char kMerchantSerial[] = "3775B6A45ACD588826D15E583A95F5DD2AB3B1F0";
constexpr char kAlipayAppId[] = "2021000000000000";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  return out.str();
}

// A TOML basic string: our paths and URLs hold no quote or backslash, but be exact anyway.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out + "\"";
}

int Usage() {
  std::cerr << "usage: carecity-doubles --dir DIR\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--dir") != 0) {
    return Usage();
  }
  const std::filesystem::path dir = argv[2];
  // The doubles' threads inherit this mask, so only sigwait below sees the signals.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    std::filesystem::create_directories(dir);
    ::chmod(dir.c_str(), 0700);
    const auto at = [&dir](const char* name) { return (dir / name).string(); };

    const doubles::KeyPair merchant = doubles::NewRsaKeyPair();
    const doubles::KeyPair app = doubles::NewRsaKeyPair();
    doubles::WechatPayDouble wechat(doubles::WechatPayDouble::Options{
        .mchid = kMchid,
        .appid = kWechatAppid,
        .merchant_cert_serial = kMerchantSerial,
        .merchant_public_key_pem = merchant.public_pem,
        .apiv3_key = kApiV3Key});
    doubles::AlipayDouble alipay(doubles::AlipayDouble::Options{.app_id = kAlipayAppId,
                                                                .app_public_key_pem = app.public_pem});

    doubles::WriteFile(at("ca.pem"), ReadAll(doubles::SharedPki().ca_cert_path));
    doubles::WriteFile(at("wechatpay_key.pem"), merchant.private_pem);
    doubles::WriteFile(at("wechatpay_apiv3.key"), kApiV3Key);
    doubles::WriteFile(at("wechatpay_pub_key.pem"), wechat.platform_public_key_pem());
    doubles::WriteFile(at("alipay_app_key.pem"), app.private_pem);
    doubles::WriteFile(at("alipay_public_key.pem"), alipay.alipay_public_key_pem());

    std::ostringstream toml;
    toml << "# Written by carecity-doubles: throwaway keys for local doubles of WeChat Pay and Alipay.\n"
         << "[tls]\nextra_ca_file = " << Quoted(at("ca.pem")) << "\n\n"
         << "[payments.wechatpay]\n"
         << "mchid = " << Quoted(kMchid) << "\n"
         << "appid = " << Quoted(kWechatAppid) << "\n"
         << "private_key_file = " << Quoted(at("wechatpay_key.pem")) << "\n"
         << "cert_serial = " << Quoted(kMerchantSerial) << "\n"
         << "apiv3_key_file = " << Quoted(at("wechatpay_apiv3.key")) << "\n"
         << "platform_public_key_file = " << Quoted(at("wechatpay_pub_key.pem")) << "\n"
         << "platform_public_key_id = " << Quoted(wechat.platform_public_key_id()) << "\n"
         << "base_url = " << Quoted(wechat.base_url()) << "\n\n"
         << "[payments.alipay]\n"
         << "app_id = " << Quoted(kAlipayAppId) << "\n"
         << "private_key_file = " << Quoted(at("alipay_app_key.pem")) << "\n"
         << "alipay_public_key_file = " << Quoted(at("alipay_public_key.pem")) << "\n"
         << "base_url = " << Quoted(alipay.base_url()) << "\n";
    doubles::WriteFile(at("channels.toml"), toml.str());

    std::cout << "doubles ready {\"wechatpay\":\"" << wechat.base_url() << "\",\"alipay\":\"" << alipay.base_url()
              << "\",\"config\":\"" << at("channels.toml") << "\"}" << std::endl;

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cout << "doubles stopping (signal " << signal_number << ")" << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "carecity-doubles: " << e.what() << "\n";
    return 1;
  }
}
