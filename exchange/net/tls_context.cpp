// Client TLS context and the per-connection verification setup. Verification uses OpenSSL's own
// hostname check (X509_VERIFY_PARAM_set1_host / set1_ip_asc) inside chain verification, so a name
// mismatch fails the handshake exactly like an untrusted chain does.
#include "exchange/net/detail/tls_native.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>

namespace tradingd::net {

TlsContext::TlsContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsContext::~TlsContext() = default;

Result<std::shared_ptr<TlsContext>, std::string> TlsContext::create_client(const TlsClientOptions& options) {
  auto impl = std::make_unique<Impl>();
  boost::system::error_code ec;
  SSL_CTX* native = impl->ctx.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) return Err{std::string("cannot require TLS 1.2")};
  impl->ctx.set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_compression,
                        ec);
  if (ec) return Err{"cannot set TLS options: " + ec.message()};
  if (options.use_system_cas) {
    impl->ctx.set_default_verify_paths(ec);
    if (ec) return Err{"cannot load the system CA certificates: " + ec.message()};
  }
  if (!options.extra_ca_file.empty()) {
    impl->ctx.load_verify_file(options.extra_ca_file, ec);
    if (ec) return Err{"cannot load CA file " + options.extra_ca_file + ": " + ec.message()};
  }
  impl->ctx.set_verify_mode(boost::asio::ssl::verify_peer | boost::asio::ssl::verify_fail_if_no_peer_cert, ec);
  if (ec) return Err{"cannot enable peer verification: " + ec.message()};
  return std::shared_ptr<TlsContext>(new TlsContext(std::move(impl)));
}

namespace detail {

boost::system::error_code configure_tls_client(ssl_st* ssl, const std::string& host) {
  boost::system::error_code ec;
  const auto addr = boost::asio::ip::make_address(host, ec);
  const bool is_ip = !ec;
  // SNI is only defined for DNS names (RFC 6066); an IP literal is checked against the IP SANs.
  if (!is_ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1)
    return {static_cast<int>(ERR_get_error()), boost::asio::error::get_ssl_category()};
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  const int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                       : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (ok != 1) return {static_cast<int>(ERR_get_error()), boost::asio::error::get_ssl_category()};
  (void)addr;  // only whether it parses matters
  return {};
}

bool is_verify_failure(const boost::system::error_code& ec, ssl_st* ssl, std::string& why) {
  if (ec.category() != boost::asio::error::get_ssl_category()) return false;
  const long result = ssl != nullptr ? SSL_get_verify_result(ssl) : X509_V_OK;
  if (result != X509_V_OK) {
    why = X509_verify_cert_error_string(result);
    return true;
  }
  if (ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    why = "certificate verify failed";
    return true;
  }
  return false;
}

}  // namespace detail
}  // namespace tradingd::net
