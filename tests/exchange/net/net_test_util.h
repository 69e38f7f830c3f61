// Shared helpers of the network tests: a TLS context trusting the test CA, URL parsing that fails the
// test instead of throwing, and a recorder for WsSession callbacks.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exchange/net/https_client.h"
#include "exchange/net/tls_context.h"
#include "exchange/net/url.h"
#include "exchange/net/ws_session.h"
#include "tests/exchange/net/test_pki.h"
#include "tests/exchange/net/test_servers.h"

namespace tradingd::test {

inline std::shared_ptr<net::TlsContext> tls_trusting(const std::filesystem::path& ca_file, bool system_cas = false) {
  net::TlsClientOptions o;
  o.extra_ca_file = ca_file.string();
  o.use_system_cas = system_cas;
  auto r = net::TlsContext::create_client(o);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  return r.ok() ? *r : nullptr;
}

inline std::shared_ptr<net::TlsContext> tls_trusting_test_ca() { return tls_trusting(shared_test_pki().ca_file); }

inline net::Url url_of(const std::string& text) {
  auto r = net::parse_url(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : net::Url{};
}

inline net::HttpRequest get(std::string target, std::int64_t timeout_ms = 0) {
  net::HttpRequest r;
  r.target = std::move(target);
  r.timeout_ms = timeout_ms;
  return r;
}

// Fast timeouts for loopback tests.
inline net::WsOptions fast_ws_options() {
  net::WsOptions o;
  o.resolve_timeout_ms = 2'000;
  o.connect_timeout_ms = 2'000;
  o.tls_handshake_timeout_ms = 2'000;
  o.ws_handshake_timeout_ms = 2'000;
  o.idle_timeout_ms = 0;
  o.close_timeout_ms = 500;
  return o;
}

struct WsRecorder {
  bool opened = false;
  std::vector<std::string> texts;
  std::vector<net::WsControlFrame> controls;
  std::optional<net::NetError> closed;

  net::WsHandlers handlers() {
    net::WsHandlers h;
    h.on_open = [this] { opened = true; };
    h.on_text = [this](std::string_view t) { texts.emplace_back(t); };
    h.on_control = [this](net::WsControlFrame f) { controls.push_back(f); };
    h.on_closed = [this](const net::NetError& e) { closed = e; };
    return h;
  }
};

}  // namespace tradingd::test
