// Helpers shared by the protocol doubles (docs/design-channels.md section 7): OpenSSL ownership,
// PEM keys, base64, RSA-SHA256 signatures, random strings, and the text handling of forms and
// pages. One copy here instead of one per double; like the rest of tests/support/doubles/ they
// share nothing with the product (design 7.2), so a misreading of a protocol in src/ cannot agree
// with itself here.
//
// Thread-safety: every function may be called from any thread (no state of their own).
// Failures (OpenSSL, the random generator) throw std::runtime_error: this is test code. The
// functions that may fail take `who`, the name of the calling double ("wechatpay_double"), which
// starts the message: "<who>: <OpenSSL call>: <OpenSSL's reason, or 'unknown'>".
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace doubles::common {

// ---- OpenSSL ownership --------------------------------------------------------------------------

// unique_ptr deleter calling OpenSSL's free function for the type.
template <auto FreeFn>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

// Throws std::runtime_error("<who>: <what>: <reason>") with the reason of the oldest queued
// OpenSSL error ("unknown" when none is queued), and clears the queue.
[[noreturn]] void ThrowOpenSsl(std::string_view who, const std::string& what);

// ---- Keys and signatures ------------------------------------------------------------------------

// A read-only memory BIO over `pem` (which must outlive it). Throws if OpenSSL cannot make one.
BioPtr MemBio(std::string_view who, const std::string& pem);

// The RSA public key in `pem` ("BEGIN PUBLIC KEY"); nullptr when `pem` holds none (not PEM, or a
// key of another type). Clears OpenSSL's error queue; throws only if no BIO can be made.
PkeyPtr LoadRsaPublicKey(std::string_view who, const std::string& pem);

// The private key in `pem` (PKCS#8 or traditional PEM). Throws if `pem` holds none.
PkeyPtr LoadPrivateKey(std::string_view who, const std::string& pem);

// Standard base64 with '=' padding, no line breaks.
std::string Base64(std::string_view bytes);

// One character of the standard base64 alphabet (A-Z a-z 0-9 + /; not '=').
bool IsBase64Char(char c);

// Strict decoding: whole quads only, the standard alphabet, '=' only as one or two final padding
// characters; no whitespace. nullopt for anything else, and for empty text. (So a signature whose
// '+' became a space through a missing URL-encoding does not decode.)
std::optional<std::string> Unbase64(std::string_view text);

// base64(RSA-SHA256 PKCS#1 v1.5 signature of `message`) under the private `key`. Throws if
// OpenSSL fails.
std::string RsaSign(std::string_view who, EVP_PKEY* key, std::string_view message);

// Whether `signature_base64` (strict base64, see Unbase64) is `key`'s RSA-SHA256 PKCS#1 v1.5
// signature of `message`. False for malformed base64 or a wrong signature (the error queue is
// cleared); throws only if a verification context cannot be set up.
bool RsaVerify(std::string_view who, EVP_PKEY* key, std::string_view message, std::string_view signature_base64);

// `signature` with its middle character changed to another base64 character ('A', or 'B' if it
// was 'A'): still well-formed base64, no longer verifies. "AAAA" for an empty one.
std::string BreakSignature(std::string signature);

// ---- Random strings (OpenSSL's RAND_bytes) --------------------------------------------------

// `n` characters drawn uniformly from `alphabet` (1 to 256 characters; rejection sampling, so no
// character is favoured). Throws if RAND_bytes fails.
std::string RandomFrom(std::string_view who, std::string_view alphabet, size_t n);

// `n` decimal digits (a leading '0' is possible). Throws if RAND_bytes fails.
std::string RandomDigits(std::string_view who, size_t n);

// ---- Text ----------------------------------------------------------------------------------------

// The value of one hex digit (either case), or -1.
int HexValue(char c);

// %XX decoded to the byte (either case of hex digits; a malformed or truncated escape is kept as
// written); '+' becomes a space only when `plus_is_space` (application/x-www-form-urlencoded).
// Never fails; the result may be any bytes.
std::string PercentDecode(std::string_view s, bool plus_is_space);

// Escapes & < > " ' as &amp; &lt; &gt; &quot; &#39; (safe in element text and quoted attributes).
std::string HtmlEscape(std::string_view s);

// ASCII A-Z lower-cased; every other byte unchanged.
std::string ToLower(std::string_view s);

// `s` without leading and trailing spaces and tabs (a view into `s`; empty if nothing else).
std::string_view Trim(std::string_view s);

}  // namespace doubles::common
