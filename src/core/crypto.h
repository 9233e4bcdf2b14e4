// Thin, safe wrappers over libsodium. All functions are thread-safe once
// InitCrypto() has run (it is idempotent; call it at start-up).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carecity {

// Initialises libsodium. Aborts the process if the library cannot start,
// because nothing secure can be done without it.
void InitCrypto();

// 256-bit random token, base64url without padding (43 characters).
std::string RandomToken();

// An identifier for a row that appears in public URLs (payments, donations,
// tickets): 20 characters of lower-case RFC 4648 base32 (a-z, 2-7) carrying
// 100 random bits, so ids can neither be guessed nor enumerated. Stored in a
// `public_id TEXT NOT NULL UNIQUE` column beside the integer key, which
// stays internal (joins, foreign keys) and never leaves the server.
std::string NewPublicId();
// True if `s` has NewPublicId's shape (checked before any lookup).
bool IsPublicId(std::string_view s);

// `digits` random decimal digits (leading zeros kept), uniformly distributed.
std::string RandomDigits(int digits);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Any bytes as lower-case hex, and back (nullopt for malformed hex). How
// binary values travel through libpq's text protocol (BYTEA via
// decode($n, 'hex') / encode(col, 'hex')).
std::string BytesToHex(std::string_view bytes);
std::optional<std::string> HexToBytes(std::string_view hex);

// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// argon2id cost. Defaults follow OWASP's argon2id guidance (19 MiB, t=2).
struct PasswordCost {
  uint64_t opslimit = 2;
  uint64_t memlimit_bytes = 19ull * 1024 * 1024;
};

// Encoded argon2id hash ("$argon2id$v=19$..."), or empty if out of memory.
std::string HashPassword(std::string_view password, const PasswordCost& cost);

// True if `password` matches the encoded hash. False for an empty/garbled hash.
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);

// Data encryption at rest: libsodium secretbox (XSalsa20-Poly1305) under a
// 32-byte key, with a fresh random nonce per message.
constexpr size_t kDataKeyBytes = 32;
// 64 hex characters -> the key's 32 bytes; nullopt if malformed.
std::optional<std::string> ParseDataKey(std::string_view hex);
// A new random key as 64 hex characters.
std::string NewDataKeyHex();
// base64(nonce || ciphertext) of `plaintext`.
std::string Seal(const std::string& key, std::string_view plaintext);
// The plaintext, or nullopt if the box was not sealed under `key` or was altered.
std::optional<std::string> Open(const std::string& key, std::string_view sealed);

// Signatures: Ed25519 (libsodium crypto_sign). A signing key is kept as its
// 32-byte seed, written as 64 hex characters like a data key (ParseDataKey
// reads one, NewDataKeyHex makes one); keys and signatures travel as
// lower-case hex.
// The public key (64 hex) of the key pair grown from `seed` (32 bytes).
std::string SigningPublicKeyHex(const std::string& seed);
// The detached signature (128 hex) of `message` under `seed`'s key.
std::string SignHex(const std::string& seed, std::string_view message);
// True if `signature_hex` is a valid signature of `message` under
// `public_key_hex`. False for malformed hex of either.
bool VerifySignatureHex(std::string_view public_key_hex, std::string_view message, std::string_view signature_hex);

// Data encryption bound to where it is kept: XChaCha20-Poly1305 (IETF AEAD)
// under a 32-byte key with a fresh random nonce, authenticating `context`
// (say "table.column.row id") without storing it. The value opens only under
// the same key *and* the same context, so a database writer who copies one
// row's value into another row gets a value that does not open there.
// "v2:" + base64(nonce || ciphertext || tag); the format's version byte is
// part of the authenticated data.
std::string SealBound(const std::string& key, std::string_view plaintext, std::string_view context);
// The plaintext, or nullopt if `sealed` is not SealBound's format, or was not
// sealed under `key` for `context`, or was altered.
std::optional<std::string> OpenBound(const std::string& key, std::string_view sealed, std::string_view context);
// True if `sealed` has SealBound's format (otherwise it may be Seal's,
// which binds nothing).
bool IsSealedBound(std::string_view sealed);

}  // namespace carecity
