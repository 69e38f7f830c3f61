// Test PKI generation with OpenSSL 3's EVP/X509 API (see test_pki.h).
#include "tests/exchange/net/test_pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace tradingd::test {
namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "test PKI: %s failed\n", what);
  std::abort();
}

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

KeyPtr make_key() {
  EVP_PKEY* k = EVP_EC_gen("P-256");
  if (k == nullptr) die("EVP_EC_gen");
  return KeyPtr(k, EVP_PKEY_free);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) die("X509_add_ext");
  X509_EXTENSION_free(ext);
}

// issuer == nullptr: self-signed CA.
CertPtr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, const char* san,
                  long not_before_s, long not_after_s) {
  static long serial = 1;
  CertPtr cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++ + static_cast<long>(::getpid()) * 1000);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after_s);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("tradingd tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (issuer == nullptr) {
    add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
    add_ext(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    add_ext(cert.get(), signer, NID_subject_alt_name, san);
    add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid");
  }
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) die("X509_sign");
  return cert;
}

std::string cert_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return s;
}

std::string key_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return s;
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) die("writing a PEM file");
}

constexpr long kDay = 86'400;

}  // namespace

TestPki make_test_pki(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  TestPki pki;
  pki.dir = dir;
  auto ca_key = make_key();
  auto ca = make_cert(ca_key.get(), "tradingd test CA", nullptr, nullptr, nullptr, -kDay, 30 * kDay);
  auto other_key = make_key();
  auto other = make_cert(other_key.get(), "unrelated test CA", nullptr, nullptr, nullptr, -kDay, 30 * kDay);
  pki.ca_file = dir / "ca.pem";
  pki.other_ca_file = dir / "other-ca.pem";
  write_file(pki.ca_file, cert_pem(ca.get()));
  write_file(pki.other_ca_file, cert_pem(other.get()));

  auto leaf = [&](X509* issuer, EVP_PKEY* issuer_key, const char* san, long from, long to) {
    auto key = make_key();
    auto cert = make_cert(key.get(), "test server", issuer, issuer_key, san, from, to);
    return CertKey{cert_pem(cert.get()) + cert_pem(issuer), key_pem(key.get())};
  };
  const char* local_san = "DNS:localhost,IP:127.0.0.1";
  pki.good = leaf(ca.get(), ca_key.get(), local_san, -kDay, 30 * kDay);
  pki.wrong_name = leaf(ca.get(), ca_key.get(), "DNS:wrong-name.invalid", -kDay, 30 * kDay);
  pki.untrusted = leaf(other.get(), other_key.get(), local_san, -kDay, 30 * kDay);
  pki.expired = leaf(ca.get(), ca_key.get(), local_san, -10 * kDay, -kDay);
  return pki;
}

const TestPki& shared_test_pki() {
  static const TestPki pki = [] {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tradingd-net-test-pki-" + std::to_string(static_cast<long>(::getpid())));
    return make_test_pki(dir);
  }();
  return pki;
}

}  // namespace tradingd::test
