// Public-key cryptography and AES-GCM over OpenSSL, for the payment and
// message providers (docs/design-channels.md, 3.2): RSA keys in the forms the
// providers hand out, RSA-SHA256 (PKCS#1 v1.5) signatures in base64, and
// AES-256-GCM as WeChat Pay encrypts its notifications. libsodium stays for
// everything else (core/crypto.h); it has no RSA and no AES-GCM on every CPU.
//
// Failures are Results whose detail names what was wrong (and OpenSSL's
// reason), never key material.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace carecity::pk {

// An RSA key of at least 2048 bits, private (which can also verify) or public.
class RsaKey {
 public:
  // Takes ownership of `key` (checked by the loaders below).
  RsaKey(EVP_PKEY* key, bool is_private);
  bool is_private() const { return private_; }
  int bits() const;
  EVP_PKEY* get() const { return key_.get(); }

 private:
  std::shared_ptr<EVP_PKEY> key_;  // shared: copies are cheap, the key is read-only
  bool private_ = false;
};

// A private key as PEM ("BEGIN PRIVATE KEY" PKCS#8, "BEGIN RSA PRIVATE KEY"
// PKCS#1) or as Alipay shows it: the PKCS#8 DER in bare base64, one line.
Result<RsaKey> LoadPrivateKey(std::string_view text);
// A public key as PEM ("BEGIN PUBLIC KEY", SubjectPublicKeyInfo) or as bare
// base64 of that DER (Alipay's public key).
Result<RsaKey> LoadPublicKey(std::string_view text);

// base64 of the RSA-SHA256 PKCS#1 v1.5 signature of `message`.
Result<std::string> SignSha256(const RsaKey& key, std::string_view message);
// True when `signature` (base64) is `key`'s RSA-SHA256 signature of `message`.
// False for anything else, malformed base64 included.
bool VerifySha256(const RsaKey& key, std::string_view message, std::string_view signature);

// AES-256-GCM with a 128-bit tag at the end of the ciphertext, as WeChat Pay
// v3 sends a notification's resource: `key` 32 bytes, `nonce` any length
// (WeChat's is 12 characters), `aad` the associated data. Open fails
// (Invalid "aead_rejected") when the key, nonce, data or tag do not match.
Result<std::string> AesGcmOpen(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view ciphertext_and_tag);
Result<std::string> AesGcmSeal(std::string_view key, std::string_view nonce, std::string_view aad,
                               std::string_view plaintext);

// Standard base64 (RFC 4648 section 4, with padding), and strictly back:
// nullopt for any character outside the alphabet, bad padding or length.
std::string Base64(std::string_view bytes);
std::optional<std::string> FromBase64(std::string_view text);

// Lower-case hex SHA-1 (the WeChat JS-SDK signature). SHA-256 and hex of
// any bytes are core/crypto.h's Sha256Hex and BytesToHex.
std::string Sha1Hex(std::string_view data);

// HMAC-SHA256 of `message` under `key`, as raw bytes (TC3 chains these: the
// date, service and "tc3_request" are each keyed by the last one's output).
std::string HmacSha256(std::string_view key, std::string_view message);

// An X.509 certificate as PEM: WeChat Pay's merchant API certificate (its
// serial is the cert_serial every request names) and its platform
// certificates (certificate mode). The serial is upper-case hex, two digits
// per byte of its DER value (WeChat's SDKs print it so: "%X" of the bytes);
// compare it ignoring case.
struct Certificate {
  std::string serial_hex;
  int64_t not_before_ms = 0;
  int64_t not_after_ms = 0;
  RsaKey public_key;  // the subject's key; must be RSA of at least 2048 bits
};
Result<Certificate> LoadCertificate(std::string_view pem);

// A certificate serial (or WeChat key id) as compared: upper case, and when
// it is all hex, without leading zeros. WeChat prints serials "%X" (no
// leading zero) while OpenSSL keeps one, so "0A37..." and "a37..." are the
// same certificate.
std::string CanonicalSerial(std::string_view serial);
inline bool SameSerial(std::string_view a, std::string_view b) { return CanonicalSerial(a) == CanonicalSerial(b); }

// True when `a` (private) and `b` (public) are the two halves of one key:
// a probe signed by one verifies under the other.
bool KeysMatch(const RsaKey& private_key, const RsaKey& public_key);

// A fresh RSA key pair as PEM (PKCS#8 private, SubjectPublicKeyInfo public):
// for the tests' protocol doubles, which must never use committed keys.
struct PemPair {
  std::string private_pem;
  std::string public_pem;
};
Result<PemPair> GenerateRsaPem(int bits = 2048);

}  // namespace carecity::pk
