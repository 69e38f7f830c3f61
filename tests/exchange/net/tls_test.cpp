// TLS verification against loopback servers with certificates generated at test time: the trusted CA
// with the right name connects (by DNS name and by IP); a wrong hostname, an untrusted CA, an expired
// certificate, or the system CAs alone are all rejected before any WebSocket or HTTP byte is exchanged.
#include <boost/asio/io_context.hpp>

#include "exchange/net/https_client.h"
#include "tests/exchange/net/net_test_util.h"

namespace tradingd::test {
namespace {

using namespace std::chrono_literals;

struct TlsCase {
  const CertKey* cert;
  std::string host;
  bool system_cas_only;
  bool expect_ok;
};

// Connects a WsSession to a server presenting `cert`; returns the recorder after the outcome.
WsRecorder connect_ws(const CertKey& cert, const std::string& host, std::shared_ptr<net::TlsContext> tls) {
  boost::asio::io_context io;
  WsServerOptions so;
  so.cert = cert;
  TestWsServer server(io, so);
  WsRecorder rec;
  {
    net::WsSession s(io, std::move(tls), url_of(server.url(host)), fast_ws_options(), rec.handlers());
    s.start();
    EXPECT_TRUE(run_until(io, [&] { return rec.opened || rec.closed.has_value(); }));
    if (rec.opened) {
      EXPECT_EQ(server.opened(), 1u);
    } else {
      EXPECT_EQ(server.opened(), 0u) << "no WebSocket handshake may happen over a rejected TLS session";
    }
  }
  return rec;
}

TEST(Tls, TrustedCaAndMatchingNameConnects) {
  const auto& pki = shared_test_pki();
  EXPECT_TRUE(connect_ws(pki.good, "localhost", tls_trusting_test_ca()).opened);
  EXPECT_TRUE(connect_ws(pki.good, "127.0.0.1", tls_trusting_test_ca()).opened);
  // The system CAs plus the extra CA file (the daemon's normal configuration) work as well.
  EXPECT_TRUE(connect_ws(pki.good, "localhost", tls_trusting(pki.ca_file, true)).opened);
}

TEST(Tls, WrongHostnameIsRejected) {
  const auto rec = connect_ws(shared_test_pki().wrong_name, "localhost", tls_trusting_test_ca());
  ASSERT_TRUE(rec.closed.has_value());
  EXPECT_FALSE(rec.opened);
  EXPECT_EQ(rec.closed->stage, net::NetStage::TlsHandshake);
  EXPECT_TRUE(rec.closed->tls_verify) << rec.closed->to_string();
  EXPECT_NE(rec.closed->message.find("hostname mismatch"), std::string::npos) << rec.closed->message;
}

TEST(Tls, IpAddressMustMatchAnIpSan) {
  // The wrong-name certificate has no IP SAN: connecting by IP must fail as well.
  const auto rec = connect_ws(shared_test_pki().wrong_name, "127.0.0.1", tls_trusting_test_ca());
  ASSERT_TRUE(rec.closed.has_value());
  EXPECT_TRUE(rec.closed->tls_verify) << rec.closed->to_string();
}

TEST(Tls, UntrustedCaIsRejected) {
  const auto rec = connect_ws(shared_test_pki().untrusted, "localhost", tls_trusting_test_ca());
  ASSERT_TRUE(rec.closed.has_value());
  EXPECT_FALSE(rec.opened);
  EXPECT_TRUE(rec.closed->tls_verify) << rec.closed->to_string();
}

TEST(Tls, TrustingAnotherCaDoesNotHelp) {
  const auto rec = connect_ws(shared_test_pki().good, "localhost", tls_trusting(shared_test_pki().other_ca_file));
  ASSERT_TRUE(rec.closed.has_value());
  EXPECT_TRUE(rec.closed->tls_verify) << rec.closed->to_string();
}

TEST(Tls, SystemCasAloneRejectTheTestCa) {
  net::TlsClientOptions o;  // no extra CA file: what a misconfigured daemon would have
  auto tls = net::TlsContext::create_client(o);
  ASSERT_TRUE(tls.ok()) << tls.error();
  const auto rec = connect_ws(shared_test_pki().good, "localhost", *tls);
  ASSERT_TRUE(rec.closed.has_value());
  EXPECT_TRUE(rec.closed->tls_verify) << rec.closed->to_string();
}

TEST(Tls, ExpiredCertificateIsRejected) {
  const auto rec = connect_ws(shared_test_pki().expired, "localhost", tls_trusting_test_ca());
  ASSERT_TRUE(rec.closed.has_value());
  EXPECT_TRUE(rec.closed->tls_verify) << rec.closed->to_string();
  EXPECT_NE(rec.closed->message.find("expired"), std::string::npos) << rec.closed->message;
}

TEST(Tls, HttpsVerifiesTheSameWay) {
  boost::asio::io_context io;
  TestHttpServer bad(io, shared_test_pki().wrong_name, [](const HttpRecord&) { return HttpReply{}; });
  TestHttpServer good(io, shared_test_pki().good, [](const HttpRecord&) { return HttpReply{200, {}, "ok"}; });
  net::HttpsClient bad_client(io, tls_trusting_test_ca(), url_of(bad.url()));
  net::HttpsClient good_client(io, tls_trusting_test_ca(), url_of(good.url()));
  std::optional<net::HttpResult> bad_result, good_result;
  bad_client.request(get("/x"), [&](net::HttpResult r) { bad_result = std::move(r); });
  good_client.request(get("/x"), [&](net::HttpResult r) { good_result = std::move(r); });
  ASSERT_TRUE(run_until(io, [&] { return bad_result && good_result; }));
  ASSERT_FALSE(bad_result->ok());
  EXPECT_EQ(bad_result->error().kind, net::HttpFailure::NotSent);  // nothing was sent: safe to retry
  EXPECT_TRUE(bad_result->error().net.tls_verify);
  EXPECT_TRUE(bad.requests().empty());
  EXPECT_EQ(bad_client.stats().tls_verify_failures.value(), 1u);
  ASSERT_TRUE(good_result->ok());
  EXPECT_EQ(good_result->value().body, "ok");
}

TEST(Tls, MissingCaFileIsAClearError) {
  net::TlsClientOptions o;
  o.extra_ca_file = "/nonexistent/tradingd-ca.pem";
  auto r = net::TlsContext::create_client(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("/nonexistent/tradingd-ca.pem"), std::string::npos) << r.error();
}

}  // namespace
}  // namespace tradingd::test
