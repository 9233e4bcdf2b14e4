#include "core/pkcrypto.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <cctype>
#include <ctime>
#include <cstdint>

#include "core/crypto.h"

namespace carecity::pk {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr size_t kGcmKeyBytes = 32;
constexpr size_t kGcmTagBytes = 16;

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;

// OpenSSL's reason for the last failure (and its queue emptied), for a detail.
std::string OpenSslReason() {
  std::string reason;
  while (unsigned long e = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    reason = buf.data();  // the last is the closest to the call
  }
  return reason;
}

Error KeyError(const std::string& what) {
  const std::string reason = OpenSslReason();
  return Error::Invalid("invalid_key", "", reason.empty() ? what : what + ": " + reason);
}

// The text without surrounding whitespace.
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<RsaKey> Checked(EVP_PKEY* raw, bool is_private, const char* what) {
  if (raw == nullptr) {
    return KeyError(std::string("not a readable ") + what);
  }
  RsaKey key(raw, is_private);
  if (EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA) {
    return Error::Invalid("invalid_key", "", std::string(what) + " is not an RSA key");
  }
  if (key.bits() < kMinRsaBits) {
    return Error::Invalid("invalid_key", "",
                          std::string(what) + " has " + std::to_string(key.bits()) + " bits; at least 2048 needed");
  }
  return key;
}

Bio MemBio(std::string_view text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

RsaKey::RsaKey(EVP_PKEY* key, bool is_private) : key_(key, EVP_PKEY_free), private_(is_private) {}

int RsaKey::bits() const { return key_ ? EVP_PKEY_get_bits(key_.get()) : 0; }

namespace {

// A key from PEM (`from_pem`) or from bare base64 of its DER (`from_der`).
template <class FromPem, class FromDer>
Result<RsaKey> Load(std::string_view text, bool is_private, const char* what, FromPem from_pem, FromDer from_der) {
  const std::string_view t = Trim(text);
  if (t.starts_with("-----BEGIN")) {
    Bio bio = MemBio(t);
    return Checked(from_pem(bio.get()), is_private, what);
  }
  const auto der = FromBase64(t);
  if (!der) {
    return Error::Invalid("invalid_key", "", std::string(what) + " is neither PEM nor base64");
  }
  const unsigned char* p = Bytes(*der);
  return Checked(from_der(&p, static_cast<long>(der->size())), is_private, what);
}

}  // namespace

Result<RsaKey> LoadPrivateKey(std::string_view text) {
  return Load(
      text, true, "private key", [](BIO* b) { return PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr); },
      [](const unsigned char** p, long n) { return d2i_AutoPrivateKey(nullptr, p, n); });
}

Result<RsaKey> LoadPublicKey(std::string_view text) {
  return Load(
      text, false, "public key", [](BIO* b) { return PEM_read_bio_PUBKEY(b, nullptr, nullptr, nullptr); },
      [](const unsigned char** p, long n) { return d2i_PUBKEY(nullptr, p, n); });
}

Result<std::string> SignSha256(const RsaKey& key, std::string_view message) {
  if (!key.is_private()) {
    return Error::Internal("SignSha256 needs a private key");
  }
  MdCtx ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, Bytes(message), message.size()) != 1) {
    return Error::Internal("RSA-SHA256 sign: " + OpenSslReason());
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, Bytes(message), message.size()) !=
      1) {
    return Error::Internal("RSA-SHA256 sign: " + OpenSslReason());
  }
  sig.resize(len);
  return Base64(sig);
}

bool VerifySha256(const RsaKey& key, std::string_view message, std::string_view signature) {
  const auto sig = FromBase64(signature);
  if (!sig || sig->empty()) {
    return false;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), Bytes(*sig), sig->size(), Bytes(message), message.size()) == 1;
  ERR_clear_error();  // a bad signature leaves reasons queued; they are not ours to report
  return ok;
}

namespace {

// AES-256-GCM set up with `key`, `nonce` and `aad`, for `encrypt` or not.
Result<CipherCtx> GcmContext(std::string_view key, std::string_view nonce, std::string_view aad, bool encrypt) {
  if (key.size() != kGcmKeyBytes) {
    return Error::Invalid("invalid_key", "", "AES-256-GCM key must be 32 bytes, got " + std::to_string(key.size()));
  }
  if (nonce.empty()) {
    return Error::Invalid("invalid_nonce", "", "AES-GCM nonce is empty");
  }
  CipherCtx c(EVP_CIPHER_CTX_new());
  int n = 0;
  const auto init = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
  const auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  if (!c || init(c.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      init(c.get(), nullptr, nullptr, Bytes(key), Bytes(nonce)) != 1 ||
      (!aad.empty() && update(c.get(), nullptr, &n, Bytes(aad), static_cast<int>(aad.size())) != 1)) {
    return Error::Internal("AES-GCM set-up: " + OpenSslReason());
  }
  return c;
}

}  // namespace

Result<std::string> AesGcmOpen(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view ciphertext_and_tag) {
  if (ciphertext_and_tag.size() < kGcmTagBytes) {
    return Error::Invalid("aead_rejected", "", "ciphertext shorter than its tag");
  }
  auto c = GcmContext(key, nonce, aad, false);
  CC_TRY(c);
  const std::string_view body = ciphertext_and_tag.substr(0, ciphertext_and_tag.size() - kGcmTagBytes);
  std::string tag(ciphertext_and_tag.substr(body.size()));
  std::string out(body.size(), '\0');
  int n = 0;
  int tail = 0;
  const bool ok =
      EVP_DecryptUpdate(c->get(), reinterpret_cast<unsigned char*>(out.data()), &n, Bytes(body),
                        static_cast<int>(body.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(c->get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes), tag.data()) == 1 &&
      EVP_DecryptFinal_ex(c->get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail) == 1;
  ERR_clear_error();
  if (!ok) {
    return Error::Invalid("aead_rejected", "", "AES-GCM tag does not match");
  }
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

Result<std::string> AesGcmSeal(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view plaintext) {
  auto c = GcmContext(key, nonce, aad, true);
  CC_TRY(c);
  std::string out(plaintext.size() + kGcmTagBytes, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int n = 0;
  int tail = 0;
  if (EVP_EncryptUpdate(c->get(), o, &n, Bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(c->get(), o + n, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(c->get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes), o + n + tail) != 1) {
    return Error::Internal("AES-GCM seal: " + OpenSslReason());
  }
  out.resize(static_cast<size_t>(n + tail) + kGcmTagBytes);
  return out;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(bytes),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  // EVP_DecodeBlock accepts whitespace and cannot tell padding from data:
  // check the shape here, then count the padding off its output.
  if (text.empty() || text.size() % 4 != 0) {
    return std::nullopt;
  }
  size_t pad = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    const bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (ch == '=') {
      if (i + 2 < text.size()) {
        return std::nullopt;  // '=' only in the last two places
      }
      ++pad;
    } else if ((!alnum && ch != '+' && ch != '/') || pad > 0) {
      return std::nullopt;
    }
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(text),
                                static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) < pad) {
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

namespace {
std::string DigestHex(std::string_view data, const EVP_MD* md) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr);
  return BytesToHex(std::string_view(reinterpret_cast<const char*>(out.data()), len));
}
}  // namespace

std::string Sha1Hex(std::string_view data) { return DigestHex(data, EVP_sha1()); }

std::string HmacSha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(message), message.size(), out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

namespace {
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

// An ASN1_TIME as milliseconds since the epoch (nullopt when unreadable).
std::optional<int64_t> TimeMs(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return std::nullopt;
  }
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}
}  // namespace

Result<Certificate> LoadCertificate(std::string_view pem) {
  const std::string_view text = Trim(pem);
  if (text.rfind("-----BEGIN CERTIFICATE-----", 0) != 0) {
    return Error::Invalid("invalid_key", "", "not a PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  Bio bio = MemBio(text);
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    return KeyError("not a readable certificate");
  }
  using Bn = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
  Bn serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
  char* hex = serial ? BN_bn2hex(serial.get()) : nullptr;
  if (hex == nullptr) {
    return KeyError("certificate serial");
  }
  Certificate out{hex, 0, 0, RsaKey(nullptr, false)};
  OPENSSL_free(hex);
  const auto from = TimeMs(X509_get0_notBefore(cert.get()));
  const auto until = TimeMs(X509_get0_notAfter(cert.get()));
  if (!from || !until) {
    return KeyError("certificate validity");
  }
  out.not_before_ms = *from;
  out.not_after_ms = *until;
  EVP_PKEY* key = X509_get_pubkey(cert.get());  // a new reference, owned by the RsaKey
  auto checked = Checked(key, false, "certificate's public key");
  if (!checked.ok()) {
    return std::move(checked).error();
  }
  out.public_key = std::move(*checked);
  return out;
}

std::string CanonicalSerial(std::string_view serial) {
  std::string out(serial);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (!out.empty() && out.find_first_not_of("0123456789ABCDEF") == std::string::npos) {
    const size_t first = out.find_first_not_of('0');
    out.erase(0, first == std::string::npos ? out.size() - 1 : first);
  }
  return out;
}

bool KeysMatch(const RsaKey& private_key, const RsaKey& public_key) {
  static constexpr std::string_view kProbe = "carecity key pair probe";
  auto signature = SignSha256(private_key, kProbe);
  return signature.ok() && VerifySha256(public_key, kProbe, *signature);
}

Result<PemPair> GenerateRsaPem(int bits) {
  Pkey key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) {
    return Error::Internal("RSA key generation: " + OpenSslReason());
  }
  const auto pem = [&](bool priv) -> std::optional<std::string> {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio) {
      return std::nullopt;
    }
    const int ok = priv ? PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
                        : PEM_write_bio_PUBKEY(bio.get(), key.get());
    if (ok != 1) {
      return std::nullopt;
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
  };
  auto priv = pem(true);
  auto pub = pem(false);
  if (!priv || !pub) {
    return Error::Internal("RSA key to PEM: " + OpenSslReason());
  }
  return PemPair{std::move(*priv), std::move(*pub)};
}

}  // namespace carecity::pk
