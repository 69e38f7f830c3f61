// The loopback TLS WebSocket server of the network tests (see test_servers.h), and run_until. Each
// connection keeps one write queue (text and ping frames), like the client, so scripted sends keep order.
#include <chrono>
#include <deque>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "tests/exchange/net/test_servers.h"

namespace tradingd::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

bool run_until(asio::io_context& io, const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    if (io.stopped()) io.restart();
    if (io.run_one_for(std::chrono::milliseconds(5)) == 0 && io.stopped())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // no work at all: avoid spinning
  }
  return true;
}

std::uint16_t unused_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = a.local_endpoint().port();
  a.close();
  return port;
}

void run_for(asio::io_context& io, std::chrono::milliseconds d) {
  const auto deadline = std::chrono::steady_clock::now() + d;
  run_until(io, [&] { return std::chrono::steady_clock::now() >= deadline; }, d + std::chrono::milliseconds(100));
}

namespace {

std::shared_ptr<asio::ssl::context> make_server_tls(const CertKey& cert) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->use_certificate_chain(asio::buffer(cert.cert_pem));
  ctx->use_private_key(asio::buffer(cert.key_pem), asio::ssl::context::pem);
  return ctx;
}

struct WsConn : std::enable_shared_from_this<WsConn> {
  using Stream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;
  WsConn(tcp::socket s, asio::ssl::context& ctx, std::size_t i) : ws(std::move(s), ctx), index(i) {}

  Stream ws;
  std::size_t index;
  beast::flat_buffer buffer;
  http::request<http::string_body> upgrade;
  std::vector<std::string> received;
  std::size_t pongs = 0;
  std::size_t pings = 0;
  bool offered_deflate = false;
  bool open = false;
  bool reading = true;
  bool writing = false;
  struct Out {
    bool ping;
    std::string text;
  };
  std::deque<Out> queue;
};

}  // namespace

class TestWsServer::Impl : public std::enable_shared_from_this<TestWsServer::Impl> {
 public:
  Impl(asio::io_context& io, WsServerOptions options)
      : io_(io),
        options_(std::move(options)),
        tls_(make_server_tls(options_.cert)),
        acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  void start() { do_accept(); }

  void shutdown() {
    error_code ignored;
    acceptor_.close(ignored);
    for (auto& c : conns_) beast::get_lowest_layer(c->ws).socket().close(ignored);
    for (auto& s : raw_) s.close(ignored);
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void do_accept() {
    acceptor_.async_accept([self = shared_from_this()](error_code ec, tcp::socket s) {
      if (ec) return;
      ++self->accepted_;
      if (self->options_.mode == WsServerMode::StallTls) {
        self->raw_.push_back(std::move(s));
      } else {
        auto c = std::make_shared<WsConn>(std::move(s), *self->tls_, self->conns_.size());
        self->conns_.push_back(c);
        self->start_conn(c);
      }
      self->do_accept();
    });
  }

  void start_conn(const std::shared_ptr<WsConn>& c) {
    c->ws.next_layer().async_handshake(asio::ssl::stream_base::server, [self = shared_from_this(), c](error_code ec) {
      if (ec || self->options_.mode == WsServerMode::StallUpgrade) return;
      http::async_read(c->ws.next_layer(), c->buffer, c->upgrade, [self, c](error_code ec2, std::size_t) {
        if (ec2) return;
        self->on_upgrade_request(c);
      });
    });
  }

  void on_upgrade_request(const std::shared_ptr<WsConn>& c) {
    c->offered_deflate = c->upgrade[http::field::sec_websocket_extensions].find("permessage-deflate") !=
                         beast::string_view::npos;
    if (options_.mode == WsServerMode::RejectUpgrade) {
      auto res = std::make_shared<http::response<http::string_body>>(http::status::not_found, 11);
      res->body() = "no such stream";
      res->prepare_payload();
      http::async_write(c->ws.next_layer(), *res, [res, c](error_code, std::size_t) {});
      return;
    }
    if (options_.deflate) {
      websocket::permessage_deflate pmd;
      pmd.server_enable = true;
      c->ws.set_option(pmd);
    }
    c->ws.control_callback([raw = c.get()](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::pong) ++raw->pongs;
      if (kind == websocket::frame_type::ping) ++raw->pings;
    });
    c->ws.async_accept(c->upgrade, [self = shared_from_this(), c](error_code ec) {
      if (ec) return;
      c->open = true;
      ++self->opened_;
      c->ws.text(true);
      self->do_read(c);
      self->do_write(c);
    });
  }

  void do_read(const std::shared_ptr<WsConn>& c) {
    c->ws.async_read(c->buffer, [self = shared_from_this(), c](error_code ec, std::size_t) {
      if (ec) {
        c->open = false;
        return;
      }
      std::string text = beast::buffers_to_string(c->buffer.data());
      c->buffer.consume(c->buffer.size());
      c->received.push_back(text);
      if (self->options_.on_text) {
        if (auto reply = self->options_.on_text(c->index, text)) self->enqueue(c, false, std::move(*reply));
      }
      if (c->reading) self->do_read(c);
    });
  }

  void enqueue(const std::shared_ptr<WsConn>& c, bool ping, std::string text) {
    c->queue.push_back(WsConn::Out{ping, std::move(text)});
    if (c->open) do_write(c);
  }

  void do_write(const std::shared_ptr<WsConn>& c) {
    if (c->writing || c->queue.empty() || !c->open) return;
    c->writing = true;
    auto done = [self = shared_from_this(), c](error_code ec) {
      c->writing = false;
      if (ec) return;
      c->queue.pop_front();
      self->do_write(c);
    };
    if (c->queue.front().ping) {
      c->ws.async_ping({}, done);
    } else {
      c->ws.async_write(asio::buffer(c->queue.front().text), [done](error_code ec, std::size_t) mutable { done(ec); });
    }
  }

  std::shared_ptr<WsConn> conn(std::size_t i) const { return i < conns_.size() ? conns_[i] : nullptr; }

  asio::io_context& io_;
  WsServerOptions options_;
  std::shared_ptr<asio::ssl::context> tls_;
  tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<WsConn>> conns_;
  std::vector<tcp::socket> raw_;
  std::size_t accepted_ = 0;
  std::size_t opened_ = 0;
};

TestWsServer::TestWsServer(asio::io_context& io, WsServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {
  impl_->start();
}
TestWsServer::~TestWsServer() { impl_->shutdown(); }

std::uint16_t TestWsServer::port() const { return impl_->port(); }
std::string TestWsServer::url(std::string_view host, std::string_view target) const {
  return "wss://" + std::string(host) + ":" + std::to_string(port()) + std::string(target);
}
std::size_t TestWsServer::accepted() const { return impl_->accepted_; }
std::size_t TestWsServer::opened() const { return impl_->opened_; }
std::size_t TestWsServer::open_now() const {
  std::size_t n = 0;
  for (const auto& c : impl_->conns_) n += c->open ? 1 : 0;
  return n;
}
std::vector<std::string> TestWsServer::received(std::size_t conn) const {
  auto c = impl_->conn(conn);
  return c ? c->received : std::vector<std::string>{};
}
std::size_t TestWsServer::pongs_received(std::size_t conn) const {
  auto c = impl_->conn(conn);
  return c ? c->pongs : 0;
}
std::size_t TestWsServer::pings_received(std::size_t conn) const {
  auto c = impl_->conn(conn);
  return c ? c->pings : 0;
}
std::string TestWsServer::last_target(std::size_t conn) const {
  auto c = impl_->conn(conn);
  return c ? std::string(c->upgrade.target()) : std::string{};
}
bool TestWsServer::deflate_negotiated(std::size_t conn) const {
  auto c = impl_->conn(conn);
  return c && c->offered_deflate && impl_->options_.deflate;
}
void TestWsServer::send(std::size_t conn, std::string text) {
  if (auto c = impl_->conn(conn)) impl_->enqueue(c, false, std::move(text));
}
void TestWsServer::send_all(std::string text) {
  for (auto& c : impl_->conns_)
    if (c->open) impl_->enqueue(c, false, text);
}
void TestWsServer::ping(std::size_t conn) {
  if (auto c = impl_->conn(conn)) impl_->enqueue(c, true, {});
}
void TestWsServer::stop_reading(std::size_t conn) {
  if (auto c = impl_->conn(conn)) c->reading = false;
}
void TestWsServer::drop(std::size_t conn) {
  if (auto c = impl_->conn(conn)) {
    error_code ignored;
    c->open = false;
    beast::get_lowest_layer(c->ws).socket().close(ignored);
  }
}
void TestWsServer::close(std::size_t conn) {
  if (auto c = impl_->conn(conn)) {
    c->ws.async_close(websocket::close_code::normal, [c](error_code) { c->open = false; });
  }
}
void TestWsServer::drop_all() {
  for (std::size_t i = 0; i < impl_->conns_.size(); ++i) drop(i);
}

}  // namespace tradingd::test
