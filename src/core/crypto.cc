#include "core/crypto.h"

#include <cstring>

#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace carecity {
namespace {

std::string ToHex(const unsigned char* bytes, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

// Exactly `n` bytes from 2n hex characters, else nullopt.
std::optional<std::string> FromHex(std::string_view hex, size_t n) {
  if (hex.size() != 2 * n) {
    return std::nullopt;
  }
  std::string out(n, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(), nullptr, &len,
                     nullptr) != 0 ||
      len != n) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::string BytesToHex(std::string_view bytes) {
  return ToHex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::optional<std::string> HexToBytes(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  return FromHex(hex, hex.size() / 2);
}

void InitCrypto() {
  if (sodium_init() < 0) {
    std::fputs("fatal: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

std::string RandomToken() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

namespace {
constexpr size_t kPublicIdChars = 20;
constexpr char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
}  // namespace

std::string NewPublicId() {
  unsigned char bytes[kPublicIdChars];
  randombytes_buf(bytes, sizeof bytes);
  std::string id(kPublicIdChars, 'a');
  for (size_t i = 0; i < kPublicIdChars; ++i) {
    id[i] = kBase32[bytes[i] & 31];  // 5 random bits per character
  }
  return id;
}

bool IsPublicId(std::string_view s) {
  if (s.size() != kPublicIdChars) {
    return false;
  }
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
      return false;
    }
  }
  return true;
}

std::string RandomDigits(int digits) {
  std::string out;
  out.reserve(static_cast<size_t>(digits));
  for (int i = 0; i < digits; ++i) {
    out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return ToHex(digest.data(), digest.size());
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  return ToHex(mac.data(), mac.size());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HashPassword(std::string_view password, const PasswordCost& cost) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost.opslimit,
                            cost.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return {};
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view password, const std::string& encoded_hash) {
  if (encoded_hash.empty()) {
    return false;
  }
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> ParseDataKey(std::string_view hex) { return FromHex(hex, kDataKeyBytes); }

std::string NewDataKeyHex() {
  unsigned char key[kDataKeyBytes];
  randombytes_buf(key, sizeof key);
  char hex[2 * kDataKeyBytes + 1];
  sodium_bin2hex(hex, sizeof hex, key, sizeof key);
  sodium_memzero(key, sizeof key);
  return hex;
}

namespace {

std::string Base64(const unsigned char* data, size_t len) {
  std::string b64(sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), data, len, sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return b64;
}

// The bytes of standard base64 `text`, or nullopt if it is not base64.
std::optional<std::string> FromBase64(std::string_view text) {
  std::string bytes(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  bytes.resize(len);
  return bytes;
}

}  // namespace

std::string Seal(const std::string& key, std::string_view plaintext) {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), out, reinterpret_cast<const unsigned char*>(key.data()));
  return Base64(out, box.size());
}

std::optional<std::string> Open(const std::string& key, std::string_view sealed) {
  const auto box = FromBase64(sealed);
  if (key.size() != kDataKeyBytes || !box || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  const size_t len = box->size();
  const auto* in = reinterpret_cast<const unsigned char*>(box->data());
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), in + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, in,
                                 reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return std::nullopt;
  }
  return plain;
}

std::string SigningPublicKeyHex(const std::string& seed) {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), reinterpret_cast<const unsigned char*>(seed.data()));
  sodium_memzero(sk.data(), sk.size());
  return ToHex(pk.data(), pk.size());
}

std::string SignHex(const std::string& seed, std::string_view message) {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), reinterpret_cast<const unsigned char*>(seed.data()));
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       sk.data());
  sodium_memzero(sk.data(), sk.size());
  return ToHex(sig.data(), sig.size());
}

bool VerifySignatureHex(std::string_view public_key_hex, std::string_view message, std::string_view signature_hex) {
  const auto pk = FromHex(public_key_hex, crypto_sign_PUBLICKEYBYTES);
  const auto sig = FromHex(signature_hex, crypto_sign_BYTES);
  if (!pk || !sig) {
    return false;
  }
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     reinterpret_cast<const unsigned char*>(pk->data())) == 0;
}

namespace {

constexpr std::string_view kBoundPrefix = "v2:";
constexpr unsigned char kBoundVersion = 2;

std::string BoundAd(std::string_view context) {
  std::string ad(1, static_cast<char>(kBoundVersion));
  ad.append(context);
  return ad;
}

}  // namespace

bool IsSealedBound(std::string_view sealed) { return sealed.substr(0, kBoundPrefix.size()) == kBoundPrefix; }

std::string SealBound(const std::string& key, std::string_view plaintext, std::string_view context) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string box(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* out = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(out, kNonce);
  const std::string ad = BoundAd(context);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonce, &written,
                                             reinterpret_cast<const unsigned char*>(plaintext.data()),
                                             plaintext.size(), reinterpret_cast<const unsigned char*>(ad.data()),
                                             ad.size(), nullptr, out, reinterpret_cast<const unsigned char*>(key.data()));
  return std::string(kBoundPrefix) + Base64(out, kNonce + written);
}

std::optional<std::string> OpenBound(const std::string& key, std::string_view sealed, std::string_view context) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (key.size() != kDataKeyBytes || !IsSealedBound(sealed)) {
    return std::nullopt;
  }
  const auto box = FromBase64(sealed.substr(kBoundPrefix.size()));
  if (!box || box->size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return std::nullopt;
  }
  const size_t len = box->size();
  const auto* in = reinterpret_cast<const unsigned char*>(box->data());
  const std::string ad = BoundAd(context);
  std::string plain(len - kNonce - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr,
                                                 in + kNonce, len - kNonce,
                                                 reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), in,
                                                 reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return std::nullopt;
  }
  plain.resize(plain_len);
  return plain;
}

}  // namespace carecity
