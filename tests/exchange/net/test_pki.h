// Test-only PKI: a CA and leaf certificates generated at test time with OpenSSL's X509 API, so the TLS
// tests prove real verification (trusted chain, hostname/IP match) against loopback servers. Keys are
// EC P-256 (fast to generate); nothing here is ever used outside tests.
#pragma once

#include <filesystem>
#include <string>

namespace tradingd::test {

struct CertKey {
  std::string cert_pem;  // the leaf, then the issuing CA (a full chain for the server to present)
  std::string key_pem;
};

struct TestPki {
  std::filesystem::path dir;
  std::filesystem::path ca_file;        // the CA the clients are told to trust
  std::filesystem::path other_ca_file;  // an unrelated CA (trusting it must not help)
  CertKey good;        // SAN DNS:localhost, IP:127.0.0.1, signed by the trusted CA
  CertKey wrong_name;  // SAN DNS:wrong-name.invalid only, signed by the trusted CA
  CertKey untrusted;   // SAN DNS:localhost, IP:127.0.0.1, signed by the other CA
  CertKey expired;     // like good, but expired yesterday
};

// Generates everything into dir (created if missing). Aborts the test run on an OpenSSL failure.
TestPki make_test_pki(const std::filesystem::path& dir);

// One PKI per test process, in a temporary directory.
const TestPki& shared_test_pki();

}  // namespace tradingd::test
