// Loopback TLS servers for the network tests: a WebSocket server and an HTTPS server, both on the test's
// own io_context (single-threaded: the test drives client and server with run_until), bound to
// 127.0.0.1 port 0. Behaviour is scripted per test (stalls, drops, replies) to exercise every failure
// path of the clients. No Beast in this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/exchange/net/test_pki.h"

namespace boost::asio {
class io_context;
}

namespace tradingd::test {

// Runs io until pred() holds or the limit passes; returns pred().
bool run_until(boost::asio::io_context& io, const std::function<bool()>& pred,
               std::chrono::milliseconds limit = std::chrono::milliseconds(5'000));
// A loopback port nothing listens on (bound, then closed): connecting to it is refused.
std::uint16_t unused_port();
// Runs io for a fixed time (for "nothing happens" checks).
void run_for(boost::asio::io_context& io, std::chrono::milliseconds d);

enum class WsServerMode : std::uint8_t {
  Normal,
  StallTls,      // accept TCP, never answer the TLS handshake
  StallUpgrade,  // complete TLS, never answer the WebSocket upgrade
  RejectUpgrade, // answer the upgrade with HTTP 404
};

struct WsServerOptions {
  CertKey cert;
  WsServerMode mode = WsServerMode::Normal;
  bool deflate = false;  // accept permessage-deflate
  // Called for each text frame received; a returned string is sent back on the same connection.
  std::function<std::optional<std::string>(std::size_t conn, std::string_view text)> on_text;
};

class TestWsServer {
 public:
  class Impl;
  TestWsServer(boost::asio::io_context& io, WsServerOptions options);
  ~TestWsServer();

  std::uint16_t port() const;
  std::string url(std::string_view host = "localhost", std::string_view target = "/") const;

  std::size_t accepted() const;          // TCP connections accepted
  std::size_t opened() const;            // WebSocket handshakes completed
  std::size_t open_now() const;          // currently open WebSocket connections
  // Text frames received, per connection in accept order (index = connection number).
  std::vector<std::string> received(std::size_t conn) const;
  std::size_t pongs_received(std::size_t conn) const;
  std::size_t pings_received(std::size_t conn) const;
  std::string last_target(std::size_t conn) const;  // the upgrade request's target
  bool deflate_negotiated(std::size_t conn) const;

  void send(std::size_t conn, std::string text);
  void send_all(std::string text);
  void ping(std::size_t conn);
  void stop_reading(std::size_t conn);  // no more reads: pings stay unanswered, like a hung server
  void drop(std::size_t conn);          // abrupt TCP close, no close frame
  void close(std::size_t conn);         // WebSocket close frame (1000)
  void drop_all();

 private:
  std::shared_ptr<Impl> impl_;
};

struct HttpReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;       // Connection: close, then close the socket
  bool no_reply = false;    // read the request and never answer (client timeout)
  bool reset = false;       // read the request and drop the connection without answering
};

struct HttpRecord {
  std::size_t conn = 0;
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(std::string_view name) const;
};

class TestHttpServer {
 public:
  class Impl;
  using Handler = std::function<HttpReply(const HttpRecord&)>;
  TestHttpServer(boost::asio::io_context& io, CertKey cert, Handler handler);
  ~TestHttpServer();

  std::uint16_t port() const;
  std::string url(std::string_view host = "localhost") const;
  std::size_t accepted() const;
  std::vector<HttpRecord> requests() const;
  void drop_all();  // close every kept-alive connection (simulates the server's idle close)

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tradingd::test
