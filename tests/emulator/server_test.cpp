// The TLS server end to end on loopback, with a Beast client that verifies the emulator's certificate
// (CA from ensure_certificates, host name localhost and IP 127.0.0.1): REST and admin over HTTPS, WebSocket
// streams, Binance's server pings, OKX's idle close (4004), and each socket-level fault through the admin
// endpoint: drop, stall, malformed, ignore_pings, skip_seq.
#include <chrono>
#include <optional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "exchange/emulator/binance/service.h"
#include "exchange/emulator/bybit/service.h"
#include "exchange/emulator/certs.h"
#include "exchange/emulator/okx/service.h"
#include "exchange/emulator/server.h"

namespace tradingd::emulator {
namespace {
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace json = boost::json;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::string body;
  http::fields headers;
};

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("emulator_server_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    auto certs = ensure_certificates(dir_);
    ASSERT_TRUE(certs) << certs.error();
    ca_ = certs->ca_cert.string();
    ServiceOptions o;
    o.market = {3, wall_ms(), 1};
    o.binance_ping_interval_ms = 300;
    o.okx_idle_timeout_ms = 1500;
    ServerSetup s;
    s.services.push_back(std::make_unique<binance::BinanceService>(o));
    s.services.push_back(std::make_unique<bybit::BybitService>(o));
    s.services.push_back(std::make_unique<okx::OkxService>(o));
    s.ports = {0, 0, 0};
    s.cert_file = certs->leaf_cert.string();
    s.key_file = certs->leaf_key.string();
    s.tick_ms = 50;
    s.handle_signals = false;
    server_ = new EmulatorServer(std::move(s));
    auto ok = server_->start();
    ASSERT_TRUE(ok) << ok.error();
    thread_ = new std::thread([] { server_->run(); });
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    fs::remove_all(dir_);
  }

  static std::uint16_t port(Venue v) { return server_->port(v); }

  static void trust(ssl::context& ctx) {
    ctx.load_verify_file(ca_);
    ctx.set_verify_mode(ssl::verify_peer);
  }

  static Reply request(Venue v, http::verb method, const std::string& target, const std::string& body = {},
                       const std::string& verify_host = "localhost") {
    net::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    trust(ctx);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
    stream.set_verify_callback(ssl::host_name_verification(verify_host));
    beast::get_lowest_layer(stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port(v)));
    stream.handshake(ssl::stream_base::client);
    http::request<http::string_body> req(method, target, 11);
    req.set(http::field::host, "localhost");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    Reply r{static_cast<int>(res.result_int()), res.body(), {}};
    for (const auto& f : res) r.headers.set(f.name_string(), f.value());
    beast::error_code ec;
    stream.shutdown(ec);
    return r;
  }

  static Reply fault(Venue v, const std::string& body) { return request(v, http::verb::post, "/_emulator/fault", body); }

  static inline fs::path dir_;
  static inline std::string ca_;
  static inline EmulatorServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
};

// A WebSocket client with timed reads: each read runs the client's own io_context for at most `timeout`;
// a read still pending stays in flight and completes on a later call.
class WsClient {
 public:
  WsClient(std::uint16_t port, const std::string& target, const std::string& ca) : ctx_(ssl::context::tls_client), ws_(ioc_, ctx_) {
    ctx_.load_verify_file(ca);
    ctx_.set_verify_mode(ssl::verify_peer);
    SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), "localhost");
    ws_.next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws_.next_layer().handshake(ssl::stream_base::client);
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping) ++pings;
    });
    ws_.handshake("localhost", target);
  }

  void send(const std::string& text) { ws_.write(net::buffer(text)); }

  // The next text frame, or nullopt on timeout; closed() tells whether the connection ended instead.
  std::optional<std::string> read(std::chrono::milliseconds timeout) {
    if (closed_) return std::nullopt;
    if (!reading_) {
      reading_ = true;
      ws_.async_read(buf_, [this](beast::error_code ec, std::size_t) {
        reading_ = false;
        if (ec) {
          closed_ = true;
          error_ = ec;
          return;
        }
        ready_ = beast::buffers_to_string(buf_.data());
        buf_.consume(buf_.size());
      });
    }
    ioc_.restart();
    ioc_.run_for(timeout);
    if (ready_) {
      auto r = std::move(ready_);
      ready_.reset();
      return r;
    }
    return std::nullopt;
  }

  // Reads frames until `pred` holds or time runs out.
  std::optional<std::string> read_until(const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds total) {
    const auto end = std::chrono::steady_clock::now() + total;
    while (std::chrono::steady_clock::now() < end && !closed_) {
      auto f = read(std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()));
      if (f && pred(*f)) return f;
    }
    return std::nullopt;
  }

  bool closed() const { return closed_; }
  beast::error_code error() const { return error_; }
  std::uint16_t close_code() const { return ws_.reason().code; }
  int pings = 0;

 private:
  net::io_context ioc_;
  ssl::context ctx_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  beast::flat_buffer buf_;
  std::optional<std::string> ready_;
  bool reading_ = false, closed_ = false;
  beast::error_code error_;
};

json::value parse(const std::string& s) {
  boost::system::error_code ec;
  auto v = json::parse(s, ec);
  return ec ? json::value(nullptr) : v;
}

TEST_F(ServerTest, RestOverVerifiedTls) {
  const auto r = request(Venue::Binance, http::verb::get, "/api/v3/time");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(parse(r.body).as_object().contains("serverTime"));
  EXPECT_FALSE(r.headers["X-MBX-USED-WEIGHT-1M"].empty());
  // The certificate also verifies for the IP address.
  EXPECT_EQ(request(Venue::Okx, http::verb::get, "/api/v5/public/time", {}, "127.0.0.1").status, 200);
  EXPECT_EQ(parse(request(Venue::Bybit, http::verb::get, "/v5/market/time").body).at("retCode"), 0);
  EXPECT_EQ(request(Venue::Binance, http::verb::get, "/nope").status, 404);
  EXPECT_EQ(request(Venue::Okx, http::verb::get, "/_emulator/health").status, 200);
  EXPECT_EQ(fault(Venue::Okx, R"({"fault":"explode"})").status, 400);
}

TEST_F(ServerTest, WebSocketStreamAndServerPings) {
  WsClient c(port(Venue::Binance), "/ws/btcusdt@depth@100ms", ca_);
  int frames = 0;
  const auto end = std::chrono::steady_clock::now() + 3s;
  while ((frames < 5 || c.pings < 2) && std::chrono::steady_clock::now() < end) {
    if (auto f = c.read(200ms)) {
      EXPECT_EQ(parse(*f).at("e"), "depthUpdate");
      ++frames;
    }
  }
  EXPECT_GE(frames, 5);
  EXPECT_GE(c.pings, 2) << "Binance's server pings (every 300 ms in this test)";
}

TEST_F(ServerTest, OkxClosesSilentConnectionsWith4004) {
  WsClient c(port(Venue::Okx), "/ws/v5/public", ca_);
  const auto start = std::chrono::steady_clock::now();
  while (!c.closed() && std::chrono::steady_clock::now() - start < 5s) (void)c.read(200ms);
  ASSERT_TRUE(c.closed());
  EXPECT_EQ(c.close_code(), 4004);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1400ms);
}

TEST_F(ServerTest, FaultDropClosesConnections) {
  WsClient c(port(Venue::Okx), "/ws/v5/public", ca_);
  c.send(R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
  ASSERT_TRUE(c.read_until([](const std::string& f) { return f.find("\"snapshot\"") != std::string::npos; }, 3s));
  EXPECT_EQ(fault(Venue::Okx, R"({"fault":"drop"})").status, 200);
  const auto start = std::chrono::steady_clock::now();
  while (!c.closed() && std::chrono::steady_clock::now() - start < 3s) (void)c.read(100ms);
  EXPECT_TRUE(c.closed());
}

TEST_F(ServerTest, FaultStallStopsSendingWithoutClosing) {
  WsClient c(port(Venue::Binance), "/fstream/ws/btcusdt@depth@100ms", ca_);
  ASSERT_TRUE(c.read(2s));
  ASSERT_EQ(fault(Venue::Binance, R"({"fault":"stall","duration_ms":1200})").status, 200);
  while (c.read(150ms)) {
  }  // frames already in flight
  EXPECT_FALSE(c.read(600ms)) << "nothing arrives during the stall";
  EXPECT_FALSE(c.closed());
  auto resumed = c.read(2s);
  ASSERT_TRUE(resumed) << "frames resume after the stall";
  EXPECT_EQ(parse(*resumed).at("e"), "depthUpdate");
}

TEST_F(ServerTest, FaultMalformedSendsBrokenFrames) {
  WsClient c(port(Venue::Bybit), "/v5/public/spot", ca_);
  c.send(R"({"op":"subscribe","args":["publicTrade.BTCUSDT"]})");
  ASSERT_TRUE(c.read(2s));
  ASSERT_EQ(fault(Venue::Bybit, R"({"fault":"malformed","count":2})").status, 200);
  int broken = 0;
  const auto end = std::chrono::steady_clock::now() + 2s;
  while (broken < 2 && std::chrono::steady_clock::now() < end)
    if (auto f = c.read(200ms); f && parse(*f).is_null()) ++broken;
  EXPECT_EQ(broken, 2);
}

TEST_F(ServerTest, FaultIgnorePings) {
  WsClient c(port(Venue::Okx), "/ws/v5/public", ca_);
  c.send("ping");
  EXPECT_EQ(c.read(2s).value_or(""), "pong");
  ASSERT_EQ(fault(Venue::Okx, R"({"fault":"ignore_pings","duration_ms":-1})").status, 200);
  c.send("ping");
  EXPECT_FALSE(c.read(700ms)) << "no pong while pings are ignored";
  ASSERT_EQ(fault(Venue::Okx, R"({"fault":"clear"})").status, 200);
  c.send("ping");
  EXPECT_EQ(c.read(2s).value_or(""), "pong");
}

TEST_F(ServerTest, FaultSkipSeqThroughTheAdminEndpoint) {
  WsClient c(port(Venue::Binance), "/public/ws/ethusdt@depth@100ms", ca_);
  auto first = c.read(2s);
  ASSERT_TRUE(first);
  std::int64_t prev_u = parse(*first).at("u").as_int64();
  const auto r = fault(Venue::Binance, R"({"fault":"skip_seq"})");
  ASSERT_EQ(r.status, 200) << r.body;
  int gaps = 0, frames = 0;
  const auto end = std::chrono::steady_clock::now() + 3s;
  while (frames < 15 && std::chrono::steady_clock::now() < end) {
    auto f = c.read(300ms);
    if (!f) continue;
    const auto ev = parse(*f);
    gaps += ev.at("pu").as_int64() != prev_u;
    prev_u = ev.at("u").as_int64();
    ++frames;
  }
  EXPECT_EQ(gaps, 1);
}

// Replay mode: recorded frames go out in order, instead of the random walk's streams.
TEST(ServerReplay, SendsRecordedFramesInOrder) {
  const auto dir = fs::temp_directory_path() / ("emulator_replay_test_" + std::to_string(::getpid()));
  auto certs = ensure_certificates(dir);
  ASSERT_TRUE(certs) << certs.error();
  ServiceOptions o;
  o.market = {1, wall_ms(), 0};
  ServerSetup s;
  s.services.push_back(std::make_unique<bybit::BybitService>(o));
  s.cert_file = certs->leaf_cert.string();
  s.key_file = certs->leaf_key.string();
  s.handle_signals = false;
  s.replays.push_back({Venue::Bybit, {R"({"n":1})", R"({"n":2})", R"({"n":3})"}});
  s.replay_interval_ms = 30;
  s.replay_loop = true;
  EmulatorServer server(std::move(s));
  ASSERT_TRUE(server.start());
  std::thread t([&] { server.run(); });
  {
    WsClient c(server.port(Venue::Bybit), "/v5/public/linear", certs->ca_cert.string());
    c.send(R"({"op":"subscribe","args":["orderbook.50.BTCUSDT"]})");
    std::vector<std::int64_t> seen;
    const auto end = std::chrono::steady_clock::now() + 3s;
    while (seen.size() < 6 && std::chrono::steady_clock::now() < end) {
      auto f = c.read(200ms);
      if (!f) continue;
      const auto v = parse(*f);
      if (v.is_object() && v.as_object().contains("n")) seen.push_back(v.at("n").as_int64());
      else EXPECT_TRUE(v.as_object().contains("success")) << "only acks besides the recording: " << *f;
    }
    ASSERT_GE(seen.size(), 4u);
    for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_EQ(seen[i], seen[i - 1] % 3 + 1) << "in order, looping";
  }
  server.stop();
  t.join();
  fs::remove_all(dir);
}

TEST_F(ServerTest, UnknownWebSocketPathIsRefused) {
  EXPECT_THROW(WsClient(port(Venue::Bybit), "/v5/public/option", ca_), boost::system::system_error);
}

}  // namespace
}  // namespace tradingd::emulator
