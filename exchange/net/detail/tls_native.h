// Internal to exchange/net: the Asio SSL context behind TlsContext, and the per-connection TLS setup
// (SNI + hostname verification) shared by the WebSocket and HTTPS sessions. Includes Asio SSL headers:
// only network .cpp files include this.
#pragma once

#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "exchange/net/tls_context.h"

struct ssl_st;

namespace tradingd::net {

struct TlsContext::Impl {
  boost::asio::ssl::context ctx{boost::asio::ssl::context::tls_client};
};

namespace detail {

// Sets SNI and the hostname (or IP) the peer certificate must match. Returns an error when OpenSSL
// refuses the name.
boost::system::error_code configure_tls_client(ssl_st* ssl, const std::string& host);
// True when a handshake error is the peer certificate being rejected; fills `why` with OpenSSL's reason
// ("hostname mismatch", "unable to get local issuer certificate").
bool is_verify_failure(const boost::system::error_code& ec, ssl_st* ssl, std::string& why);

}  // namespace detail
}  // namespace tradingd::net
