// HttpsClient against the loopback HTTPS server: status, headers (case-insensitive, for rate-limit
// headers) and body; one kept-alive connection reused; FIFO queue, bounded; deadlines; the outcome rule
// (NotSent before any byte went out, UnknownOutcome after); one retry for idempotent requests on a
// stale keep-alive connection, never for others; base path prefixes; close and destruction.
#include <algorithm>

#include <boost/asio/io_context.hpp>

#include "exchange/net/https_client.h"
#include "tests/exchange/net/net_test_util.h"

namespace tradingd::test {
namespace {

using namespace std::chrono_literals;

struct HttpsFixture : ::testing::Test {
  boost::asio::io_context io;
  std::vector<net::HttpResult> results;

  net::HttpCallback collect() {
    return [this](net::HttpResult r) { results.push_back(std::move(r)); };
  }
  std::unique_ptr<TestHttpServer> server(TestHttpServer::Handler h) {
    return std::make_unique<TestHttpServer>(io, shared_test_pki().good, std::move(h));
  }
  std::unique_ptr<net::HttpsClient> client(const std::string& url, net::HttpsOptions o = {}) {
    return std::make_unique<net::HttpsClient>(io, tls_trusting_test_ca(), url_of(url), o);
  }
  bool wait(std::size_t n, std::chrono::milliseconds limit = 5'000ms) {
    return run_until(io, [&] { return results.size() >= n; }, limit);
  }
};

HttpReply ok(std::string body) { return HttpReply{200, {{"Content-Type", "application/json"}}, std::move(body)}; }

TEST_F(HttpsFixture, ReturnsStatusHeadersAndBody) {
  auto srv = server([](const HttpRecord& r) {
    HttpReply rep = ok(R"({"lastUpdateId":1})");
    rep.headers.emplace_back("X-MBX-USED-WEIGHT-1M", "42");
    if (r.target == "/missing") rep.status = 404;
    return rep;
  });
  auto c = client(srv->url());
  net::HttpRequest req;
  req.target = "/api/v3/depth?symbol=BTCUSDT&limit=1000";
  req.headers.push_back({"X-MBX-APIKEY", "test-key"});
  c->request(req, collect());
  c->request(get("/missing"), collect());
  ASSERT_TRUE(wait(2));
  ASSERT_TRUE(results[0].ok()) << results[0].error().to_string();
  const auto& res = results[0].value();
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"lastUpdateId":1})");
  EXPECT_EQ(res.header("x-mbx-used-weight-1m"), "42");  // header names are case-insensitive
  EXPECT_EQ(res.header("content-type"), "application/json");
  EXPECT_FALSE(res.header("Retry-After").has_value());
  ASSERT_TRUE(results[1].ok());
  EXPECT_EQ(results[1].value().status, 404);  // an HTTP error status is a response, not a failure
  const auto reqs = srv->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].target, "/api/v3/depth?symbol=BTCUSDT&limit=1000");
  EXPECT_EQ(reqs[0].header("X-MBX-APIKEY"), "test-key");
  EXPECT_EQ(reqs[0].header("Host"), "localhost:" + std::to_string(srv->port()));
  EXPECT_EQ(reqs[0].header("User-Agent"), "tradingd");
  EXPECT_EQ(c->stats().status_2xx.value(), 1u);
  EXPECT_EQ(c->stats().status_4xx.value(), 1u);
  EXPECT_EQ(c->stats().latency.count(), 2u);
}

TEST_F(HttpsFixture, PostsABody) {
  auto srv = server([](const HttpRecord& r) { return ok(r.body); });
  auto c = client(srv->url());
  net::HttpRequest req;
  req.method = net::HttpMethod::Post;
  req.target = "/api/v5/trade/order";
  req.body = R"({"instId":"BTC-USDT"})";
  req.content_type = "application/json";
  c->request(req, collect());
  ASSERT_TRUE(wait(1));
  ASSERT_TRUE(results[0].ok());
  EXPECT_EQ(results[0].value().body, req.body);
  EXPECT_EQ(srv->requests()[0].method, "POST");
  EXPECT_EQ(srv->requests()[0].header("Content-Type"), "application/json");
}

TEST_F(HttpsFixture, KeepAliveReusesOneConnectionInFifoOrder) {
  auto srv = server([](const HttpRecord& r) { return ok(r.target); });
  auto c = client(srv->url());
  for (int i = 0; i < 5; ++i) c->request(get("/r" + std::to_string(i)), collect());
  EXPECT_EQ(c->queued(), 4u);
  ASSERT_TRUE(wait(5));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(results[static_cast<std::size_t>(i)].ok());
    EXPECT_EQ(results[static_cast<std::size_t>(i)].value().body, "/r" + std::to_string(i));
    EXPECT_EQ(results[static_cast<std::size_t>(i)].value().connection_reused, i > 0);
  }
  EXPECT_EQ(srv->accepted(), 1u);
  EXPECT_EQ(c->stats().connections_opened.value(), 1u);
  EXPECT_EQ(c->stats().connections_reused.value(), 4u);
  EXPECT_TRUE(c->connected());
}

TEST_F(HttpsFixture, KeepAliveSurvivesIdleGaps) {
  // TLS 1.3 session tickets and other post-handshake bytes must not make an idle connection look closed.
  auto srv = server([](const HttpRecord&) { return ok("x"); });
  auto c = client(srv->url());
  for (std::size_t i = 0; i < 3; ++i) {
    c->request(get("/r"), collect());
    ASSERT_TRUE(wait(i + 1));
    run_for(io, 100ms);
  }
  EXPECT_EQ(srv->accepted(), 1u);
  EXPECT_TRUE(results[2].value().connection_reused);
}

TEST_F(HttpsFixture, ConnectionCloseOpensANewConnection) {
  auto srv = server([](const HttpRecord&) {
    HttpReply r = ok("bye");
    r.close = true;
    return r;
  });
  auto c = client(srv->url());
  c->request(get("/a"), collect());
  c->request(get("/b"), collect());
  ASSERT_TRUE(wait(2));
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].ok());
  EXPECT_EQ(srv->accepted(), 2u);
}

TEST_F(HttpsFixture, TimeoutAfterSendingIsUnknownOutcome) {
  auto srv = server([](const HttpRecord&) {
    HttpReply r;
    r.no_reply = true;  // the venue got the order and never answered
    return r;
  });
  auto c = client(srv->url());
  net::HttpRequest req;
  req.method = net::HttpMethod::Post;
  req.target = "/api/v3/order";
  req.timeout_ms = 200;
  const auto t0 = std::chrono::steady_clock::now();
  c->request(req, collect());
  ASSERT_TRUE(wait(1));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 180ms);
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().kind, net::HttpFailure::UnknownOutcome);
  EXPECT_TRUE(results[0].error().net.timeout);
  EXPECT_EQ(srv->requests().size(), 1u);  // it did arrive
  EXPECT_EQ(c->stats().unknown_outcome.value(), 1u);
  EXPECT_EQ(c->stats().timeouts.value(), 1u);
}

TEST_F(HttpsFixture, ResetAfterSendingIsUnknownOutcomeForPost) {
  int n = 0;
  auto srv = server([&](const HttpRecord&) {
    HttpReply r = ok("x");
    if (n++ == 1) r.reset = true;  // the second request (on the kept-alive connection) is cut
    return r;
  });
  auto c = client(srv->url());
  c->request(get("/warm"), collect());
  net::HttpRequest post;
  post.method = net::HttpMethod::Post;
  post.target = "/api/v3/order";
  c->request(post, collect());
  ASSERT_TRUE(wait(2));
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().kind, net::HttpFailure::UnknownOutcome);
  EXPECT_EQ(c->stats().retries.value(), 0u);  // never resent
  EXPECT_EQ(srv->requests().size(), 2u);
}

TEST_F(HttpsFixture, StaleKeepAliveIsRetriedOnceForIdempotentRequests) {
  int n = 0;
  auto srv = server([&](const HttpRecord&) {
    HttpReply r = ok("fine");
    if (n++ == 1) r.reset = true;
    return r;
  });
  auto c = client(srv->url());
  c->request(get("/warm"), collect());
  c->request(get("/api/v3/depth"), collect());
  ASSERT_TRUE(wait(2));
  ASSERT_TRUE(results[1].ok()) << results[1].error().to_string();
  EXPECT_EQ(results[1].value().body, "fine");
  EXPECT_EQ(c->stats().retries.value(), 1u);
  EXPECT_EQ(srv->accepted(), 2u);
}

TEST_F(HttpsFixture, IdleConnectionClosedByTheServerIsNotReused) {
  auto srv = server([](const HttpRecord&) { return ok("ok"); });
  auto c = client(srv->url());
  c->request(get("/a"), collect());
  ASSERT_TRUE(wait(1));
  srv->drop_all();  // the server's keep-alive timeout
  run_for(io, 50ms);
  net::HttpRequest post;
  post.method = net::HttpMethod::Post;
  post.target = "/order";
  c->request(post, collect());
  ASSERT_TRUE(wait(2));
  ASSERT_TRUE(results[1].ok()) << results[1].error().to_string();
  EXPECT_FALSE(results[1].value().connection_reused);
  EXPECT_EQ(srv->accepted(), 2u);
  EXPECT_EQ(c->stats().unknown_outcome.value(), 0u);
}

TEST_F(HttpsFixture, ConnectFailureIsNotSent) {
  auto c = client("https://127.0.0.1:" + std::to_string(unused_port()));
  c->request(get("/x"), collect());
  ASSERT_TRUE(wait(1));
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().kind, net::HttpFailure::NotSent);
  EXPECT_EQ(results[0].error().net.stage, net::NetStage::Connect);
  EXPECT_EQ(c->stats().not_sent.value(), 1u);
}

TEST_F(HttpsFixture, StalledTlsHandshakeTimesOutAsNotSent) {
  WsServerOptions o;
  o.cert = shared_test_pki().good;
  o.mode = WsServerMode::StallTls;
  TestWsServer staller(io, o);
  auto c = client("https://localhost:" + std::to_string(staller.port()));
  net::HttpRequest post;
  post.method = net::HttpMethod::Post;
  post.target = "/order";
  post.timeout_ms = 200;
  c->request(post, collect());
  ASSERT_TRUE(wait(1));
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().kind, net::HttpFailure::NotSent);
  EXPECT_TRUE(results[0].error().net.timeout);
  EXPECT_EQ(results[0].error().net.stage, net::NetStage::TlsHandshake);
}

TEST_F(HttpsFixture, QueueIsBoundedAndQueuedRequestsExpire) {
  auto srv = server([](const HttpRecord& r) {
    HttpReply rep = ok("late");
    rep.no_reply = r.target == "/slow";
    return rep;
  });
  net::HttpsOptions o;
  o.max_queue = 2;
  auto c = client(srv->url(), o);
  c->request(get("/slow", 300), collect());   // in flight
  c->request(get("/queued", 100), collect()); // expires while waiting
  c->request(get("/queued2", 5'000), collect());
  c->request(get("/refused"), collect());                   // queue full
  EXPECT_TRUE(results.empty()) << "callbacks never run inside request()";
  ASSERT_TRUE(wait(4));
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().kind, net::HttpFailure::QueueFull);
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().kind, net::HttpFailure::UnknownOutcome);  // /slow
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().kind, net::HttpFailure::NotSent);  // /queued: never left the queue
  EXPECT_TRUE(results[2].error().net.timeout);
  ASSERT_TRUE(results[3].ok());  // /queued2 on a fresh connection
  EXPECT_EQ(c->stats().queue_full.value(), 1u);
}

TEST_F(HttpsFixture, BasePathPrefixIsKept) {
  auto srv = server([](const HttpRecord& r) { return ok(r.target); });
  auto c = client(srv->url() + "/binance");
  c->request(get("/api/v3/exchangeInfo"), collect());
  ASSERT_TRUE(wait(1));
  ASSERT_TRUE(results[0].ok());
  EXPECT_EQ(results[0].value().body, "/binance/api/v3/exchangeInfo");
}

TEST_F(HttpsFixture, CloseFailsWaitingRequests) {
  auto srv = server([](const HttpRecord&) {
    HttpReply r;
    r.no_reply = true;
    return r;
  });
  auto c = client(srv->url());
  c->request(get("/inflight"), collect());
  c->request(get("/waiting"), collect());
  ASSERT_TRUE(run_until(io, [&] { return srv->requests().size() == 1; }));
  c->close();
  ASSERT_TRUE(wait(2));
  std::vector<net::HttpFailure> kinds;
  for (const auto& r : results) kinds.push_back(r.error().kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), net::HttpFailure::Closed), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), net::HttpFailure::UnknownOutcome), kinds.end());
  c->request(get("/after"), collect());
  ASSERT_TRUE(wait(3));
  EXPECT_EQ(results[2].error().kind, net::HttpFailure::Closed);
}

TEST_F(HttpsFixture, NoCallbackAfterDestruction) {
  auto srv = server([](const HttpRecord&) { return ok("x"); });
  auto c = client(srv->url());
  c->request(get("/a"), collect());
  c.reset();
  run_for(io, 200ms);
  EXPECT_TRUE(results.empty());
}

TEST_F(HttpsFixture, ThrowingCallbackDoesNotBreakTheClient) {
  auto srv = server([](const HttpRecord&) { return ok("x"); });
  auto c = client(srv->url());
  c->request(get("/a"), [](net::HttpResult) { throw std::runtime_error("bug in caller"); });
  c->request(get("/b"), collect());
  ASSERT_TRUE(wait(1));
  EXPECT_TRUE(results[0].ok());
}

}  // namespace
}  // namespace tradingd::test
