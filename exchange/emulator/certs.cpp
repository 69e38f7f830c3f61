// Certificate generation with OpenSSL 3: P-256 keys, a self-signed CA (basicConstraints CA:TRUE, keyCertSign)
// and a leaf with subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1 and serverAuth. Files are written to a
// temporary name and renamed, so a crash never leaves a half-written key that would later be "reused".
#include "exchange/emulator/certs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tradingd::emulator {
namespace fs = std::filesystem;
namespace {

struct Deleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter>;
using Cert = std::unique_ptr<X509, Deleter>;
using Bio = std::unique_ptr<BIO, Deleter>;

Key make_key() { return Key(EVP_EC_gen("P-256")); }

bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return ok == 1;
}

Cert make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, long days, bool ca) {
  Cert cert(X509_new());
  if (!cert) return nullptr;
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return nullptr;
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // tolerate small clock differences
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 86400L);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("tradingd venue-emulator"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* iss = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(iss));
  bool ok = add_ext(cert.get(), iss, NID_subject_key_identifier, "hash");
  if (ca) {
    ok = ok && add_ext(cert.get(), iss, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
         add_ext(cert.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && add_ext(cert.get(), iss, NID_basic_constraints, "critical,CA:FALSE") &&
         add_ext(cert.get(), iss, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
         add_ext(cert.get(), iss, NID_ext_key_usage, "serverAuth") &&
         add_ext(cert.get(), iss, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") &&
         add_ext(cert.get(), iss, NID_authority_key_identifier, "keyid:always");
  }
  if (!ok) return nullptr;
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) <= 0) return nullptr;
  return cert;
}

std::string pem_of(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// Writes path atomically (temp file + rename) with the given mode.
bool write_file(const fs::path& path, const std::string& data, mode_t mode) {
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return false;
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  ::fchmod(fd, mode);  // the umask must not widen or narrow what we asked for
  ::fsync(fd);
  ::close(fd);
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

Cert read_cert(const fs::path& path) {
  Bio bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

Key read_key(const fs::path& path) {
  Bio bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}
}  // namespace

Result<bool, std::string> check_certificates(const fs::path& ca_pem, const fs::path& leaf_pem, int min_days) {
  Cert ca = read_cert(ca_pem), leaf = read_cert(leaf_pem);
  if (!ca) return Err{"cannot read CA certificate " + ca_pem.string()};
  if (!leaf) return Err{"cannot read certificate " + leaf_pem.string()};
  std::unique_ptr<X509_STORE, Deleter> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca.get());
  std::unique_ptr<X509_STORE_CTX, Deleter> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  if (X509_verify_cert(ctx.get()) != 1)
    return Err{std::string("certificate does not verify against the CA: ") +
               X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()))};
  if (X509_check_host(leaf.get(), "localhost", 0, 0, nullptr) != 1) return Err{std::string("no SAN for localhost")};
  if (X509_check_ip_asc(leaf.get(), "127.0.0.1", 0) != 1) return Err{std::string("no SAN for 127.0.0.1")};
  if (X509_check_ip_asc(leaf.get(), "::1", 0) != 1) return Err{std::string("no SAN for ::1")};
  const time_t soon = time(nullptr) + static_cast<time_t>(min_days) * 86400;
  if (X509_cmp_time(X509_get0_notAfter(leaf.get()), const_cast<time_t*>(&soon)) <= 0 ||
      X509_cmp_time(X509_get0_notAfter(ca.get()), const_cast<time_t*>(&soon)) <= 0)
    return Err{std::string("certificate expires within ") + std::to_string(min_days) + " day(s)"};
  return true;
}

Result<CertFiles, std::string> ensure_certificates(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Err{"cannot create " + dir.string() + ": " + ec.message()};
  CertFiles f{dir / "ca.pem", dir / "ca.key", dir / "server.pem", dir / "server.key", false};
  if (fs::exists(f.ca_cert) && fs::exists(f.leaf_cert) && fs::exists(f.leaf_key)) {
    auto ok = check_certificates(f.ca_cert, f.leaf_cert, 1);
    Key k = read_key(f.leaf_key);
    Cert leaf = read_cert(f.leaf_cert);
    if (ok && k && leaf && X509_check_private_key(leaf.get(), k.get()) == 1) return f;
  }
  Key ca_key = make_key(), leaf_key = make_key();
  if (!ca_key || !leaf_key) return Err{std::string("key generation failed")};
  Cert ca = make_cert(ca_key.get(), "tradingd venue-emulator CA", nullptr, nullptr, 3650, true);
  if (!ca) return Err{std::string("CA certificate generation failed")};
  Cert leaf = make_cert(leaf_key.get(), "localhost", ca.get(), ca_key.get(), 825, false);
  if (!leaf) return Err{std::string("certificate generation failed")};
  // Keys first, certificates last: a reader that sees the new ca.pem also finds the matching key files.
  if (!write_file(f.ca_key, pem_of(ca_key.get()), 0600) || !write_file(f.leaf_key, pem_of(leaf_key.get()), 0600) ||
      !write_file(f.leaf_cert, pem_of(leaf.get()), 0644) || !write_file(f.ca_cert, pem_of(ca.get()), 0644))
    return Err{"cannot write certificate files in " + dir.string()};
  f.generated = true;
  return f;
}

}  // namespace tradingd::emulator
