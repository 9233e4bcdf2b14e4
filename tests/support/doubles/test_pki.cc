#include "doubles/test_pki.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "doubles/common.h"

namespace doubles {
namespace {

constexpr int kRsaBits = 2048;
constexpr long kBackdateSeconds = 60L * 60;       // tolerate clock skew between "now" and the verifier
constexpr long kLifetimeSeconds = 24L * 60 * 60;  // a test process never lives a day
constexpr size_t kSerialBytes = 16;

using common::BioPtr;
using common::BnPtr;
using common::PkeyPtr;
using common::X509Ptr;
using ExtPtr = std::unique_ptr<X509_EXTENSION, common::Deleter<X509_EXTENSION_free>>;

// Throws with OpenSSL's earliest queued error (the cause; later ones are consequences) and clears
// the queue so the next failure on this thread reports its own reason.
[[noreturn]] void Fail(const std::string& what) {
  unsigned long code = ERR_get_error();
  std::string reason = "no OpenSSL error queued";
  if (code != 0) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());  // the thread-safe form of ERR_error_string
    reason = text.data();
  }
  ERR_clear_error();
  throw std::runtime_error("test_pki: " + what + ": " + reason);
}

void Check(int ok, const std::string& what) {
  if (ok != 1) {
    Fail(what);
  }
}

template <class T>
T* Check(T* p, const std::string& what) {
  if (p == nullptr) {
    Fail(what);
  }
  return p;
}

PkeyPtr NewRsaKey() { return PkeyPtr(Check(EVP_RSA_gen(kRsaBits), "EVP_RSA_gen")); }

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

BioPtr NewMemBio() { return BioPtr(Check(BIO_new(BIO_s_mem()), "BIO_new")); }

// PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY") in OpenSSL 3.
std::string PrivateKeyPem(EVP_PKEY* key) {
  BioPtr bio = NewMemBio();
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "PEM_write_bio_PrivateKey");
  return BioText(bio.get());
}

std::string PublicKeyPem(EVP_PKEY* key) {
  BioPtr bio = NewMemBio();
  Check(PEM_write_bio_PUBKEY(bio.get(), key), "PEM_write_bio_PUBKEY");
  return BioText(bio.get());
}

std::string CertPem(X509* cert) {
  BioPtr bio = NewMemBio();
  Check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
  return BioText(bio.get());
}

BioPtr ReadBio(const std::string& pem) {
  return BioPtr(Check(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "BIO_new_mem_buf"));
}

X509Ptr ParseCert(const std::string& pem) {
  BioPtr bio = ReadBio(pem);
  return X509Ptr(Check(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), "PEM_read_bio_X509"));
}

PkeyPtr ParseKey(const std::string& pem) {
  BioPtr bio = ReadBio(pem);
  return PkeyPtr(Check(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), "PEM_read_bio_PrivateKey"));
}

// A random positive serial: RFC 5280 wants it unique per CA and at most 20 octets; 16 random
// bytes with the top bit cleared (positive) and the low bit set (never zero).
void SetRandomSerial(X509* cert) {
  std::array<unsigned char, kSerialBytes> bytes{};
  Check(RAND_bytes(bytes.data(), static_cast<int>(bytes.size())), "RAND_bytes");
  bytes[0] &= 0x7f;
  bytes[bytes.size() - 1] |= 0x01;
  BnPtr bn(Check(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr), "BN_bin2bn"));
  Check(BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)), "BN_to_ASN1_INTEGER");
}

void AddNameEntry(X509_NAME* name, const char* field, const std::string& value) {
  Check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()),
                                   -1, -1, 0),
        std::string("X509_NAME_add_entry_by_txt ") + field);
}

void AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  ExtPtr ext(Check(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()),
                   std::string("X509V3_EXT_conf_nid ") + OBJ_nid2sn(nid)));
  Check(X509_add_ext(cert, ext.get(), -1), std::string("X509_add_ext ") + OBJ_nid2sn(nid));
}

struct CertSpec {
  std::string common_name;
  std::string organization;
  bool ca = false;
  std::string subject_alt_name;  // OpenSSL config syntax ("DNS:a,IP:b"); empty: no extension
};

// Makes a certificate for `key`. Self-signed when `issuer` is null (then `issuer_key` is `key`).
X509Ptr MakeCert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  X509Ptr cert(Check(X509_new(), "X509_new"));
  Check(X509_set_version(cert.get(), 2), "X509_set_version");  // 2 means v3 (extensions)
  SetRandomSerial(cert.get());
  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds), "X509_gmtime_adj notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), kLifetimeSeconds), "X509_gmtime_adj notAfter");
  Check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");

  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!spec.organization.empty()) {
    AddNameEntry(name, "O", spec.organization);
  }
  AddNameEntry(name, "CN", spec.common_name);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)), "X509_set_issuer_name");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  if (spec.ca) {
    AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), &ctx, NID_basic_constraints, "CA:FALSE");
    AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    AddExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth");
  }
  if (!spec.subject_alt_name.empty()) {
    AddExtension(cert.get(), &ctx, NID_subject_alt_name, spec.subject_alt_name);
  }
  // The subject key id first: a self-signed CA's authority key id is read from it.
  AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");

  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    Fail("X509_sign");
  }
  return cert;
}

// Joins SAN entries in OpenSSL's config syntax; a comma inside a name would smuggle in another.
std::string SubjectAltName(const std::vector<std::string>& dns_names, const std::vector<std::string>& ip_addresses) {
  std::string san;
  auto add = [&san](const char* kind, const std::string& value) {
    if (value.empty() || value.find(',') != std::string::npos) {
      throw std::invalid_argument("test_pki: bad subjectAltName entry '" + value + "'");
    }
    san += (san.empty() ? "" : ",") + std::string(kind) + ":" + value;
  };
  for (const auto& dns : dns_names) {
    add("DNS", dns);
  }
  for (const auto& ip : ip_addresses) {
    add("IP", ip);
  }
  return san;
}

CertAndKey IssueLeaf(X509* ca_cert, EVP_PKEY* ca_key, const std::string& common_name,
                     const std::vector<std::string>& dns_names, const std::vector<std::string>& ip_addresses) {
  PkeyPtr key = NewRsaKey();
  CertSpec spec{.common_name = common_name, .organization = {}, .ca = false,
                .subject_alt_name = SubjectAltName(dns_names, ip_addresses)};
  X509Ptr cert = MakeCert(spec, key.get(), ca_cert, ca_key);
  return CertAndKey{CertPem(cert.get()), PrivateKeyPem(key.get())};
}

std::string MakeTempDir() {
  const char* env = std::getenv("TMPDIR");
  std::string base = env != nullptr && env[0] != '\0' ? env : "/tmp";
  std::string pattern = base + "/carecity-doubles-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("test_pki: mkdtemp under " + base + ": " + std::strerror(errno));
  }
  // mkdtemp asks for 0700 but the umask could narrow it; state it outright.
  if (chmod(pattern.c_str(), 0700) != 0) {
    throw std::runtime_error("test_pki: chmod " + pattern + ": " + std::strerror(errno));
  }
  return pattern;
}

// One PKI and its directory. The directory goes when the holder does (static destruction at exit),
// but only in the process that made it: a forked child exiting must not pull it from its parent.
class OwnedPki {
 public:
  explicit OwnedPki(const std::string& ca_name) : owner_(getpid()) {
    PkeyPtr ca_key = NewRsaKey();
    CertSpec ca_spec{.common_name = ca_name, .organization = "CareCity doubles", .ca = true, .subject_alt_name = {}};
    X509Ptr ca_cert = MakeCert(ca_spec, ca_key.get(), nullptr, ca_key.get());
    CertAndKey server = IssueLeaf(ca_cert.get(), ca_key.get(), "localhost", {"localhost"}, {"127.0.0.1"});

    pki_.dir = MakeTempDir();
    pki_.ca_cert_pem = CertPem(ca_cert.get());
    pki_.ca_key_pem = PrivateKeyPem(ca_key.get());
    pki_.server_cert_pem = server.cert_pem;
    pki_.server_key_pem = server.key_pem;
    pki_.ca_cert_path = pki_.dir + "/ca.pem";
    pki_.server_cert_path = pki_.dir + "/server.pem";
    pki_.server_key_path = pki_.dir + "/server.key";
    try {
      WriteFile(pki_.ca_cert_path, pki_.ca_cert_pem);
      WriteFile(pki_.server_cert_path, pki_.server_cert_pem);
      WriteFile(pki_.server_key_path, pki_.server_key_pem);
    } catch (...) {
      std::error_code ec;
      std::filesystem::remove_all(pki_.dir, ec);  // no destructor runs for a half-made holder
      throw;
    }
  }
  ~OwnedPki() {
    if (getpid() == owner_) {
      std::error_code ec;
      std::filesystem::remove_all(pki_.dir, ec);  // best effort: nothing to report to at exit
    }
  }
  OwnedPki(const OwnedPki&) = delete;
  OwnedPki& operator=(const OwnedPki&) = delete;

  const Pki& pki() const { return pki_; }

 private:
  pid_t owner_;
  Pki pki_;
};

}  // namespace

const Pki& SharedPki() {
  static const OwnedPki shared("CareCity Doubles Test CA");  // C++11 statics: made once, thread-safe
  return shared.pki();
}

const Pki& UntrustedPki() {
  static const OwnedPki untrusted("CareCity Doubles Untrusted CA");
  return untrusted.pki();
}

const CertAndKey& WrongHostCert() {
  static const CertAndKey wrong = IssueCert(SharedPki(), "wrong.example", {"wrong.example"}, {});
  return wrong;
}

CertAndKey IssueCert(const Pki& issuer, const std::string& common_name, const std::vector<std::string>& dns_names,
                     const std::vector<std::string>& ip_addresses) {
  if (issuer.ca_key_pem.empty() || issuer.ca_cert_pem.empty()) {
    throw std::invalid_argument("test_pki: IssueCert needs the issuer's CA certificate and key");
  }
  X509Ptr ca_cert = ParseCert(issuer.ca_cert_pem);
  PkeyPtr ca_key = ParseKey(issuer.ca_key_pem);
  return IssueLeaf(ca_cert.get(), ca_key.get(), common_name, dns_names, ip_addresses);
}

KeyPair NewRsaKeyPair() {
  PkeyPtr key = NewRsaKey();
  return KeyPair{PrivateKeyPem(key.get()), PublicKeyPem(key.get())};
}

void WriteFile(const std::string& path, const std::string& content, int mode) {
  auto fail = [&path](const char* what) {
    throw std::runtime_error(std::string("test_pki: ") + what + " " + path + ": " + std::strerror(errno));
  };
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    fail("open");
  }
  // open() applies the mode only to a new file, and through the umask; fchmod makes it exact.
  if (fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    fail("fchmod");
  }
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      int saved = errno;
      close(fd);
      errno = saved;
      fail("write");
    }
    written += static_cast<size_t>(n);
  }
  if (close(fd) != 0) {
    fail("close");
  }
}

}  // namespace doubles
