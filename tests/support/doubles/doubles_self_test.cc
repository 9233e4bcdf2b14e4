// The doubles' framework tested on its own: if the server, client or PKI were wrong, every
// provider double built on them would mislead the tests that use it.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "doubles/client.h"
#include "doubles/double_server.h"
#include "doubles/test_pki.h"

namespace doubles {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

template <auto FreeFn>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

X509Ptr Cert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr PrivateKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr PublicKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

// 1 when `leaf_pem` chains to `ca_pem` for a TLS server; otherwise the OpenSSL verify error.
int VerifyAgainst(const std::string& ca_pem, const std::string& leaf_pem) {
  StorePtr store(X509_STORE_new());
  X509Ptr ca = Cert(ca_pem);
  X509Ptr leaf = Cert(leaf_pem);
  if (!store || !ca || !leaf || X509_STORE_add_cert(store.get(), ca.get()) != 1) {
    return -1;
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) != 1) {
    return -1;
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  if (X509_verify_cert(ctx.get()) == 1) {
    return 1;
  }
  return -X509_STORE_CTX_get_error(ctx.get());
}

int Mode(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return -1;
  }
  return static_cast<int>(st.st_mode & 07777);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool WaitUntil(const std::function<bool()>& done, milliseconds timeout = milliseconds(5000)) {
  auto until = steady_clock::now() + timeout;
  while (!done()) {
    if (steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

int64_t ElapsedMs(steady_clock::time_point since) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - since).count();
}

Response Json(int status, std::string body) {
  Response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

// ---- PKI ----

TEST(TestPkiTest, FilesArePrivateAndHoldWhatIsInMemory) {
  const Pki& pki = SharedPki();
  EXPECT_EQ(Mode(pki.dir), 0700);
  for (const std::string& path : {pki.ca_cert_path, pki.server_cert_path, pki.server_key_path}) {
    EXPECT_EQ(Mode(path), 0600) << path;
  }
  EXPECT_EQ(pki.ca_cert_path, pki.dir + "/ca.pem");
  EXPECT_EQ(pki.server_cert_path, pki.dir + "/server.pem");
  EXPECT_EQ(pki.server_key_path, pki.dir + "/server.key");
  EXPECT_EQ(ReadAll(pki.ca_cert_path), pki.ca_cert_pem);
  EXPECT_EQ(ReadAll(pki.server_cert_path), pki.server_cert_pem);
  EXPECT_EQ(ReadAll(pki.server_key_path), pki.server_key_pem);
  EXPECT_EQ(pki.server_key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0U);  // PKCS#8
  // The CA's key stays in memory: nothing in the directory but the three files.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(pki.dir), std::filesystem::directory_iterator()), 3);
}

TEST(TestPkiTest, SharedPkiIsMadeOnceAcrossThreads) {
  std::vector<std::future<const Pki*>> calls;
  for (int i = 0; i < 4; ++i) {
    calls.push_back(std::async(std::launch::async, [] { return &SharedPki(); }));
  }
  std::set<const Pki*> seen;
  for (auto& call : calls) {
    seen.insert(call.get());
  }
  EXPECT_EQ(seen.size(), 1U);
  EXPECT_NE(SharedPki().dir, UntrustedPki().dir);
  EXPECT_EQ(Mode(UntrustedPki().dir), 0700);
  EXPECT_EQ(Mode(UntrustedPki().server_key_path), 0600);
}

TEST(TestPkiTest, TheCaVerifiesTheServerCertificateForLocalhost) {
  const Pki& pki = SharedPki();
  EXPECT_EQ(VerifyAgainst(pki.ca_cert_pem, pki.server_cert_pem), 1);
  X509Ptr ca = Cert(pki.ca_cert_pem);
  X509Ptr server = Cert(pki.server_cert_pem);
  ASSERT_TRUE(ca && server);
  EXPECT_EQ(X509_get_version(ca.get()), 2);  // v3
  EXPECT_EQ(X509_get_version(server.get()), 2);
  EXPECT_GE(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(server.get()), 0);
  EXPECT_EQ(X509_get_signature_nid(server.get()), NID_sha256WithRSAEncryption);
  EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(server.get(), "example.com", 0, 0, nullptr), 1);
  // Serials: random, positive, non-zero (ASN1_INTEGER_get cannot hold 16 bytes; compare as BIGNUMs).
  BnPtr serial(ASN1_INTEGER_to_BN(X509_get_serialNumber(server.get()), nullptr));
  BnPtr ca_serial(ASN1_INTEGER_to_BN(X509_get_serialNumber(ca.get()), nullptr));
  ASSERT_TRUE(serial && ca_serial);
  EXPECT_FALSE(BN_is_negative(serial.get()));
  EXPECT_FALSE(BN_is_zero(serial.get()));
  EXPECT_NE(BN_cmp(serial.get(), ca_serial.get()), 0);
  // The leaf names its issuer's key, and the self-signed CA names its own.
  ASSERT_NE(X509_get0_subject_key_id(ca.get()), nullptr);
  ASSERT_NE(X509_get0_authority_key_id(server.get()), nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(server.get()), X509_get0_subject_key_id(ca.get())), 0);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(ca.get()), X509_get0_subject_key_id(ca.get())), 0);

  // Valid from an hour ago to a day ahead.
  time_t now = std::time(nullptr);
  time_t fifty_minutes_ago = now - 50 * 60;
  time_t seventy_minutes_ago = now - 70 * 60;
  time_t in_23_hours = now + 23 * 3600;
  time_t in_25_hours = now + 25 * 3600;
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(server.get()), &fifty_minutes_ago), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notBefore(server.get()), &seventy_minutes_ago), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(server.get()), &in_23_hours), 0);
  EXPECT_LT(X509_cmp_time(X509_get0_notAfter(server.get()), &in_25_hours), 0);
}

TEST(TestPkiTest, CertificatesOfTheOtherCaAreNotTrusted) {
  EXPECT_NE(VerifyAgainst(SharedPki().ca_cert_pem, UntrustedPki().server_cert_pem), 1);
  EXPECT_EQ(VerifyAgainst(UntrustedPki().ca_cert_pem, UntrustedPki().server_cert_pem), 1);
  EXPECT_NE(VerifyAgainst(UntrustedPki().ca_cert_pem, SharedPki().server_cert_pem), 1);
}

TEST(TestPkiTest, TheWrongHostCertificateChainsButNamesOnlyWrongExample) {
  const CertAndKey& wrong = WrongHostCert();
  EXPECT_EQ(VerifyAgainst(SharedPki().ca_cert_pem, wrong.cert_pem), 1);
  X509Ptr cert = Cert(wrong.cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_check_host(cert.get(), "wrong.example", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(&WrongHostCert(), &wrong);
}

TEST(TestPkiTest, NewRsaKeyPairGivesAMatchingFreshPair) {
  KeyPair a = NewRsaKeyPair();
  KeyPair b = NewRsaKeyPair();
  EXPECT_EQ(a.private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0U);
  EXPECT_EQ(a.public_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0U);
  PkeyPtr a_private = PrivateKey(a.private_pem);
  PkeyPtr a_public = PublicKey(a.public_pem);
  PkeyPtr b_public = PublicKey(b.public_pem);
  ASSERT_TRUE(a_private && a_public && b_public);
  EXPECT_EQ(EVP_PKEY_get_bits(a_private.get()), 2048);
  EXPECT_EQ(EVP_PKEY_get_base_id(a_private.get()), EVP_PKEY_RSA);
  EXPECT_EQ(EVP_PKEY_eq(a_private.get(), a_public.get()), 1);
  EXPECT_NE(EVP_PKEY_eq(a_private.get(), b_public.get()), 1);
}

TEST(TestPkiTest, IssueCertMakesALeafUnderTheGivenCa) {
  CertAndKey leaf = IssueCert(UntrustedPki(), "api.example", {"api.example", "localhost"}, {"127.0.0.1"});
  EXPECT_EQ(VerifyAgainst(UntrustedPki().ca_cert_pem, leaf.cert_pem), 1);
  EXPECT_NE(VerifyAgainst(SharedPki().ca_cert_pem, leaf.cert_pem), 1);
  X509Ptr cert = Cert(leaf.cert_pem);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_check_host(cert.get(), "api.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_THROW(IssueCert(SharedPki(), "x", {"a,DNS:b"}, {}), std::invalid_argument);
}

TEST(TestPkiTest, WriteFileSetsTheModeEvenOnAnExistingFile) {
  const std::string path = SharedPki().dir + "/write_file_test";
  WriteFile(path, "first", 0666);
  WriteFile(path, "second", 0640);
  EXPECT_EQ(Mode(path), 0640);
  EXPECT_EQ(ReadAll(path), "second");
  WriteFile(path, "third");
  EXPECT_EQ(Mode(path), 0600);
  std::filesystem::remove(path);
  EXPECT_THROW(WriteFile(SharedPki().dir + "/no/such/dir/file", "x"), std::runtime_error);
}

// ---- Server and client ----

TEST(DoubleServerTest, HttpsGetAndPostAreRoutedAndRecorded) {
  DoubleServer server;
  server.Route("GET", "/v1/ping", [](const Request&) {
    Response res = Json(200, R"({"ok":true})");
    res.headers = {{"X-Reply", "pong"}};
    return res;
  });
  server.Route("POST", "/v1/orders", [](const Request& req) { return Json(201, "got " + req.body); });
  EXPECT_EQ(server.base_url(), "https://localhost:" + std::to_string(server.port()));

  ClientResult get = Send("GET", server.base_url() + "/v1/ping?a=1&b=%20x", {}, {{"X-Custom-Header", "Value 1"}});
  ASSERT_EQ(get.error, "");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, R"({"ok":true})");
  EXPECT_EQ(get.headers["x-reply"], "pong");
  EXPECT_EQ(get.headers["content-type"], "application/json");
  EXPECT_EQ(get.headers["content-length"], "11");

  const std::string order = R"({"amount_fen":2000,"memo":"捐款"})";
  ClientResult post =
      Send("POST", server.base_url() + "/v1/orders", order, {{"Content-Type", "application/json; charset=utf-8"}});
  ASSERT_EQ(post.error, "");
  EXPECT_EQ(post.status, 201);
  EXPECT_EQ(post.body, "got " + order);

  std::vector<Request> seen = server.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/v1/ping?a=1&b=%20x");
  EXPECT_EQ(seen[0].path, "/v1/ping");
  EXPECT_EQ(seen[0].query, "a=1&b=%20x");
  EXPECT_EQ(seen[0].headers["x-custom-header"], "Value 1");
  EXPECT_EQ(seen[0].headers["host"], "localhost:" + std::to_string(server.port()));
  EXPECT_EQ(seen[0].headers.count("X-Custom-Header"), 0U);
  EXPECT_EQ(seen[0].tls_sni, "localhost");
  EXPECT_EQ(seen[0].body, "");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].target, "/v1/orders");
  EXPECT_EQ(seen[1].query, "");
  EXPECT_EQ(seen[1].headers["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ(seen[1].body, order);
  EXPECT_NE(seen[0].connection, seen[1].connection);  // the client makes one connection per request

  ASSERT_EQ(server.requests("/v1/orders").size(), 1U);
  EXPECT_EQ(server.requests("/v1/orders")[0].body, order);
  EXPECT_TRUE(server.requests("/v1/none").empty());
  server.clear_requests();
  EXPECT_TRUE(server.requests().empty());
}

TEST(DoubleServerTest, AnIpLiteralIsCheckedAgainstTheIpSanAndSentWithoutSni) {
  DoubleServer server;
  server.Route("GET", "/x", [](const Request&) { return Json(200, "{}"); });
  ClientResult res = Send("GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/x");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  ASSERT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(server.requests()[0].tls_sni, "");
}

TEST(DoubleServerTest, AClientTrustingAnotherCaRefusesTheServer) {
  DoubleServer server;
  server.Route("GET", "/x", [](const Request&) { return Json(200, "{}"); });
  ClientResult res = Send("GET", server.base_url() + "/x", {}, {}, UntrustedPki().ca_cert_pem);
  EXPECT_EQ(res.status, 0);
  EXPECT_NE(res.error, "");
  EXPECT_NE(res.error.find("tls handshake"), std::string::npos) << res.error;
  EXPECT_TRUE(server.requests().empty());
}

TEST(DoubleServerTest, AServerWithTheUntrustedCertificateIsRefusedByDefault) {
  DoubleServer::Options options;
  options.cert_pem = UntrustedPki().server_cert_pem;
  options.key_pem = UntrustedPki().server_key_pem;
  DoubleServer server(options);
  server.Route("GET", "/x", [](const Request&) { return Json(200, "{}"); });
  ClientResult refused = Send("GET", server.base_url() + "/x");
  EXPECT_EQ(refused.status, 0);
  EXPECT_NE(refused.error.find("tls handshake"), std::string::npos) << refused.error;
  EXPECT_TRUE(server.requests().empty());
  // Control: the same server is fine for a client trusting its CA, so trust was the only problem.
  ClientResult trusted = Send("GET", server.base_url() + "/x", {}, {}, UntrustedPki().ca_cert_pem);
  EXPECT_EQ(trusted.error, "");
  EXPECT_EQ(trusted.status, 200);
}

TEST(DoubleServerTest, AWrongHostCertificateFailsHostnameVerification) {
  DoubleServer::Options options;
  options.cert_pem = WrongHostCert().cert_pem;
  options.key_pem = WrongHostCert().key_pem;
  DoubleServer server(options);
  server.Route("GET", "/x", [](const Request&) { return Json(200, "{}"); });
  ClientResult by_name = Send("GET", server.base_url() + "/x");
  EXPECT_EQ(by_name.status, 0);
  EXPECT_NE(by_name.error.find("hostname mismatch"), std::string::npos) << by_name.error;
  ClientResult by_ip = Send("GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/x");
  EXPECT_EQ(by_ip.status, 0);
  EXPECT_NE(by_ip.error.find("IP address mismatch"), std::string::npos) << by_ip.error;
  EXPECT_TRUE(server.requests().empty());
}

TEST(DoubleServerTest, OptionsNeedBothCertificateAndKey) {
  DoubleServer::Options options;
  options.cert_pem = WrongHostCert().cert_pem;
  EXPECT_THROW(DoubleServer{options}, std::invalid_argument);
  options.key_pem = UntrustedPki().server_key_pem;  // not the certificate's key
  EXPECT_ANY_THROW(DoubleServer{options});
}

TEST(DoubleServerTest, UnroutedRequestsAnswer404WithAJsonBody) {
  DoubleServer server;
  server.Route("POST", "/v1/orders", [](const Request&) { return Json(200, "{}"); });
  ClientResult unknown = Send("GET", server.base_url() + "/v1/nothing?x=1");
  ASSERT_EQ(unknown.error, "");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.headers["content-type"], "application/json");
  EXPECT_EQ(unknown.body, R"({"code":"NOT_FOUND","message":"no route for GET /v1/nothing"})");
  ClientResult wrong_method = Send("GET", server.base_url() + "/v1/orders");
  EXPECT_EQ(wrong_method.status, 404);
  ClientResult odd_path = Send("GET", server.base_url() + "/a\"b");
  EXPECT_EQ(odd_path.status, 404);
  EXPECT_EQ(odd_path.body, R"({"code":"NOT_FOUND","message":"no route for GET /a\"b"})");
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(DoubleServerTest, ResponseHeadersAreSentAsGivenWithTheServersContentLength) {
  DoubleServer server;
  server.Route("GET", "/page", [](const Request&) {
    Response res;
    res.body = "<p>hi</p>";
    res.headers = {{"Content-Type", "text/html"}, {"X-Twice", "a"}, {"X-Twice", "b"}, {"Content-Length", "999"}};
    return res;
  });
  server.Route("GET", "/bare", [](const Request&) {
    Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
  });
  ClientResult page = Send("GET", server.base_url() + "/page");
  ASSERT_EQ(page.error, "");
  EXPECT_EQ(page.headers["content-type"], "text/html");
  EXPECT_EQ(page.headers["x-twice"], "a, b");
  EXPECT_EQ(page.headers["content-length"], "9");
  EXPECT_EQ(page.body, "<p>hi</p>");
  ClientResult bare = Send("GET", server.base_url() + "/bare");
  ASSERT_EQ(bare.error, "");
  EXPECT_EQ(bare.status, 204);
  EXPECT_EQ(bare.headers.count("content-type"), 0U);
}

TEST(DoubleServerTest, AHandlerExceptionAnswers500WithItsText) {
  DoubleServer server;
  server.Route("POST", "/boom", [](const Request&) -> Response { throw std::runtime_error("bad merchant id"); });
  ClientResult res = Send("POST", server.base_url() + "/boom", "{}");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body, "bad merchant id");
}

TEST(DoubleServerTest, FailNextAnswersTheFaultNTimesThenRunsTheHandler) {
  DoubleServer server;
  std::atomic<int> runs{0};
  server.Route("POST", "/pay", [&runs](const Request&) {
    ++runs;
    return Json(200, R"({"prepay_id":"wx1"})");
  });
  server.FailNext("/pay", 2, 503, R"({"code":"SYSTEM_ERROR"})");
  for (int i = 0; i < 2; ++i) {
    ClientResult failed = Send("POST", server.base_url() + "/pay", "{}");
    ASSERT_EQ(failed.error, "");
    EXPECT_EQ(failed.status, 503);
    EXPECT_EQ(failed.body, R"({"code":"SYSTEM_ERROR"})");
    EXPECT_EQ(failed.headers["content-type"], "application/json");
  }
  EXPECT_EQ(runs, 0);
  ClientResult ok = Send("POST", server.base_url() + "/pay", "{}");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"prepay_id":"wx1"})");
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(server.requests("/pay").size(), 3U);  // faulted requests are recorded too
}

TEST(DoubleServerTest, DropAfterCommitRunsTheHandlerButLosesTheAnswer) {
  DoubleServer server;
  std::atomic<int> refunds{0};
  server.Route("POST", "/refund", [&refunds](const Request&) {
    ++refunds;
    return Json(200, R"({"status":"PROCESSING"})");
  });
  server.DropAfterCommit("/refund", 1);
  ClientResult lost = Send("POST", server.base_url() + "/refund", R"({"out_refund_no":"r1"})");
  EXPECT_EQ(lost.status, 0);
  EXPECT_NE(lost.error, "");
  EXPECT_EQ(refunds, 1);  // the provider did it
  ClientResult again = Send("POST", server.base_url() + "/refund", R"({"out_refund_no":"r1"})");
  EXPECT_EQ(again.error, "");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(refunds, 2);
  EXPECT_EQ(server.requests("/refund").size(), 2U);
}

TEST(DoubleServerTest, DropBeforeCommitClosesWithoutRunningTheHandler) {
  DoubleServer server;
  std::atomic<int> runs{0};
  server.Route("POST", "/sms", [&runs](const Request&) {
    ++runs;
    return Json(200, "{}");
  });
  server.DropBeforeCommit("/sms", 1);
  ClientResult dropped = Send("POST", server.base_url() + "/sms", "{}");
  EXPECT_EQ(dropped.status, 0);
  EXPECT_NE(dropped.error, "");
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(server.requests("/sms").size(), 1U);  // it arrived, and was recorded
  EXPECT_EQ(Send("POST", server.base_url() + "/sms", "{}").status, 200);
  EXPECT_EQ(runs, 1);
}

TEST(DoubleServerTest, FaultsOnOnePathLeaveOtherPathsAlone) {
  DoubleServer server;
  server.Route("GET", "/a", [](const Request&) { return Json(200, "a"); });
  server.Route("GET", "/b", [](const Request&) { return Json(200, "b"); });
  server.FailNext("/a", 1, 500, "{}");
  server.DropBeforeCommit("/a", 1);
  EXPECT_EQ(Send("GET", server.base_url() + "/b").status, 200);
  EXPECT_EQ(Send("GET", server.base_url() + "/a").status, 0);    // drop-before goes first
  EXPECT_EQ(Send("GET", server.base_url() + "/a").status, 500);  // then the failure
  EXPECT_EQ(Send("GET", server.base_url() + "/a").status, 200);
}

TEST(DoubleServerTest, SetDelayHoldsOnePathWhileAnotherConnectionIsAnsweredAtOnce) {
  constexpr int kDelayMs = 1500;
  DoubleServer server;
  server.Route("POST", "/slow", [](const Request&) { return Json(200, "slow"); });
  server.Route("GET", "/fast", [](const Request&) { return Json(200, "fast"); });
  server.SetDelay("/slow", kDelayMs);
  auto slow_start = steady_clock::now();
  auto slow = std::async(std::launch::async, [&server] { return Send("POST", server.base_url() + "/slow", "{}"); });
  ASSERT_TRUE(WaitUntil([&server] { return server.requests("/slow").size() == 1; }));

  auto fast_start = steady_clock::now();
  ClientResult fast = Send("GET", server.base_url() + "/fast");
  int64_t fast_ms = ElapsedMs(fast_start);
  EXPECT_EQ(fast.status, 200);
  EXPECT_LT(fast_ms, kDelayMs / 2) << "the delay held up another connection";

  ClientResult slow_result = slow.get();
  EXPECT_EQ(slow_result.status, 200);
  EXPECT_EQ(slow_result.body, "slow");
  EXPECT_GE(ElapsedMs(slow_start), kDelayMs);
  EXPECT_NE(server.requests("/slow")[0].connection, server.requests("/fast")[0].connection);

  server.SetDelay("/slow", 0);
  auto again = steady_clock::now();
  EXPECT_EQ(Send("POST", server.base_url() + "/slow", "{}").status, 200);
  EXPECT_LT(ElapsedMs(again), kDelayMs / 2);
}

TEST(DoubleServerTest, PlainHttpModeWorks) {
  DoubleServer::Options options;
  options.tls = false;
  DoubleServer server(options);
  server.Route("POST", "/notify", [](const Request& req) { return Json(200, req.query); });
  EXPECT_EQ(server.base_url(), "http://localhost:" + std::to_string(server.port()));
  ClientResult res = Send("POST", server.base_url() + "/notify?id=7", "success");
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "id=7");
  ASSERT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(server.requests()[0].body, "success");
  EXPECT_EQ(server.requests()[0].tls_sni, "");
  // TLS against a plain server fails cleanly instead of hanging or throwing.
  ClientResult tls = Send("GET", "https://localhost:" + std::to_string(server.port()) + "/notify");
  EXPECT_EQ(tls.status, 0);
  EXPECT_NE(tls.error, "");
}

TEST(DoubleServerTest, KeepAliveServesSeveralRequestsOnOneTlsConnection) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  DoubleServer server;
  server.Route("GET", "/n", [](const Request& req) { return Json(200, req.query); });

  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.add_certificate_authority(asio::buffer(SharedPki().ca_cert_pem));
  ctx.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  stream.handshake(asio::ssl::stream_base::client);
  beast::flat_buffer buffer;
  for (int i = 1; i <= 3; ++i) {
    http::request<http::empty_body> req{http::verb::get, "/n?i=" + std::to_string(i), 11};
    req.set(http::field::host, "localhost");
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    EXPECT_EQ(res.result_int(), 200U);
    EXPECT_EQ(res.body(), "i=" + std::to_string(i));
    EXPECT_TRUE(res.keep_alive());
  }
  std::vector<Request> seen = server.requests();
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0].connection, seen[2].connection);
  EXPECT_EQ(server.connections(), 1);
}

// A plain connection for byte-level exchanges the client cannot make.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port) : socket_(ioc_) {
    socket_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }
  void Write(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  // Everything up to and including the first "\r\n\r\n".
  std::string ReadHead() {
    size_t n = boost::asio::read_until(socket_, boost::asio::dynamic_buffer(pending_), "\r\n\r\n");
    std::string head = pending_.substr(0, n);
    pending_.erase(0, n);
    return head;
  }
  // Everything until the server closes.
  std::string ReadToEnd() {
    boost::system::error_code ec;
    boost::asio::read(socket_, boost::asio::dynamic_buffer(pending_), ec);
    return std::exchange(pending_, {});
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string pending_;
};

TEST(DoubleServerTest, ExpectContinueIsAnsweredBeforeTheBodyIsSent) {
  DoubleServer::Options options;
  options.tls = false;
  DoubleServer server(options);
  server.Route("POST", "/upload", [](const Request& req) { return Json(200, "got " + req.body); });
  RawConnection raw(server.port());
  raw.Write("POST /upload HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
            "Connection: close\r\n\r\n");
  EXPECT_EQ(raw.ReadHead().rfind("HTTP/1.1 100 Continue\r\n", 0), 0U);
  raw.Write("hello");
  std::string answer = raw.ReadToEnd();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << answer;
  EXPECT_NE(answer.find("\r\n\r\ngot hello"), std::string::npos) << answer;
}

TEST(DoubleServerTest, ABodyOverTheLimitAnswers413AndIsNotRecorded) {
  DoubleServer::Options options;
  options.tls = false;
  DoubleServer server(options);
  server.Route("POST", "/big", [](const Request&) { return Json(200, "{}"); });
  RawConnection raw(server.port());
  raw.Write("POST /big HTTP/1.1\r\nHost: localhost\r\nContent-Length: 8388609\r\n\r\n");
  std::string answer = raw.ReadToEnd();
  EXPECT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0U) << answer;
  EXPECT_TRUE(server.requests().empty());
}

TEST(DoubleServerTest, HandlersMayCallBackIntoTheServerAndReadItsClock) {
  DoubleServer server;
  server.Route("GET", "/t", [&server](const Request&) {
    return Json(200, std::to_string(server.now_ms()) + "/" + std::to_string(server.requests().size()));
  });
  int64_t system_now = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  EXPECT_LT(std::abs(server.now_ms() - system_now), 60'000);
  server.SetClock([] { return int64_t{1'700'000'000'000}; });
  EXPECT_EQ(server.now_ms(), 1'700'000'000'000);
  ClientResult res = Send("GET", server.base_url() + "/t");
  EXPECT_EQ(res.body, "1700000000000/1");
}

TEST(DoubleServerTest, TheDestructorDoesNotWaitForPendingOrIdleConnections) {
  namespace asio = boost::asio;
  auto server = std::make_unique<DoubleServer>();
  server->Route("POST", "/slow", [](const Request&) { return Json(200, "{}"); });
  server->Route("POST", "/drop", [](const Request&) { return Json(200, "{}"); });
  server->SetDelay("/slow", 60'000);
  server->DropBeforeCommit("/drop", 5);
  const std::string base = server->base_url();
  auto pending = std::async(std::launch::async, [base] { return Send("POST", base + "/slow", "{}"); });
  auto dropped = std::async(std::launch::async, [base] { return Send("POST", base + "/drop", "{}"); });
  // A connection that never even starts its TLS handshake.
  asio::io_context ioc;
  asio::ip::tcp::socket idle(ioc);
  idle.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()));
  ASSERT_TRUE(WaitUntil([&server] { return server->requests().size() == 2 && server->connections() == 3; }));

  auto start = steady_clock::now();
  server.reset();
  EXPECT_LT(ElapsedMs(start), 2000);
  ClientResult pending_result = pending.get();
  EXPECT_EQ(pending_result.status, 0);
  EXPECT_NE(pending_result.error, "");
  EXPECT_EQ(dropped.get().status, 0);
}

TEST(ClientTest, TransportFailuresAreErrorsNotExceptions) {
  EXPECT_NE(Send("GET", "ftp://localhost/x").error, "");
  EXPECT_NE(Send("GET", "http://localhost:99999/x").error, "");
  EXPECT_NE(Send("GET", "http:///x").error, "");
  // A port nobody listens on: made by a server that has gone.
  unsigned short port = 0;
  {
    DoubleServer gone;
    port = gone.port();
  }
  ClientResult refused = Send("GET", "http://127.0.0.1:" + std::to_string(port) + "/x");
  EXPECT_EQ(refused.status, 0);
  EXPECT_NE(refused.error.find("connect"), std::string::npos) << refused.error;
  ClientResult bad_ca = Send("GET", "https://localhost:" + std::to_string(port) + "/x", {}, {}, "not a pem");
  EXPECT_EQ(bad_ca.status, 0);
  EXPECT_NE(bad_ca.error, "");
}

}  // namespace
}  // namespace doubles
