// A throwaway PKI for the protocol doubles (docs/design-channels.md section 7.1): the doubles speak
// TLS with certificates from a CA made in this process, so tests run the production TLS path
// (handshake, SNI, hostname check) and only add one trust anchor.
//
// Thread-safety: every function may be called from any thread. The shared PKIs are made once per
// process on first use; the returned references stay valid until exit.
// Failures (OpenSSL, file system) throw std::runtime_error: this is test code.
#pragma once

#include <string>
#include <vector>

namespace doubles {

// A CA, a server certificate it signed, and where they were written.
struct Pki {
  std::string dir;  // 0700, under $TMPDIR (or /tmp); removed at exit
  std::string ca_cert_pem, ca_cert_path;
  std::string server_cert_pem, server_key_pem;
  // Additions to the contract: where the server pair was written, and the CA's key (in memory
  // only, never written) so IssueCert can make more certificates under this CA.
  std::string server_cert_path, server_key_path;
  std::string ca_key_pem;
};

// A throwaway PKI made in-process on first use (RSA-2048, SHA-256): a CA, and a server
// certificate signed by it with subjectAltName DNS:localhost, IP:127.0.0.1 (and CN localhost),
// valid from now-1h to now+1 day. Written to a fresh 0700 directory under $TMPDIR (or /tmp) with
// files mode 0600: ca.pem, server.pem (cert), server.key (PKCS#8 PEM). Generated once per process
// (thread-safe), removed at exit.
const Pki& SharedPki();

// A second, independent CA and its own localhost server certificate: a server presenting this is
// NOT trusted by a client that trusts only SharedPki's CA (negative tests). Same layout, own dir.
const Pki& UntrustedPki();

struct CertAndKey {
  std::string cert_pem, key_pem;
};

// A server certificate from SharedPki's CA whose names are only DNS:wrong.example (no IP SAN, CN
// wrong.example): hostname verification must fail for "localhost" and 127.0.0.1. Made once.
const CertAndKey& WrongHostCert();

// Addition to the contract: a new RSA-2048 server (leaf) certificate signed by `issuer`'s CA, with
// CN `common_name` and subjectAltName entries DNS:`dns_names`... and IP:`ip_addresses`... (either
// list may be empty), valid from now-1h to now+1 day. Each call makes a new key.
CertAndKey IssueCert(const Pki& issuer, const std::string& common_name, const std::vector<std::string>& dns_names,
                     const std::vector<std::string>& ip_addresses);

// A fresh RSA-2048 key pair as PEM (PKCS#8 private "BEGIN PRIVATE KEY", SubjectPublicKeyInfo
// public "BEGIN PUBLIC KEY"); for merchant/platform keys in later doubles.
struct KeyPair {
  std::string private_pem, public_pem;
};
KeyPair NewRsaKeyPair();

// Writes `content` to `path` with mode `mode` (default 0600), creating/truncating it. The mode is
// applied even when the file already existed with another mode, and regardless of the umask.
void WriteFile(const std::string& path, const std::string& content, int mode = 0600);

}  // namespace doubles
