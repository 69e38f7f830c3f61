// The loopback HTTPS server of the network tests (see test_servers.h): keep-alive by default, every
// request recorded, each reply (or stall, or reset) chosen by the test's handler.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "tests/exchange/net/test_servers.h"

namespace tradingd::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string HttpRecord::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, name)) return v;
  return {};
}

namespace {

struct HttpConn : std::enable_shared_from_this<HttpConn> {
  HttpConn(tcp::socket s, asio::ssl::context& ctx, std::size_t i) : stream(std::move(s), ctx), index(i) {}
  beast::ssl_stream<beast::tcp_stream> stream;
  std::size_t index;
  beast::flat_buffer buffer;
  http::request<http::string_body> req;
  http::response<http::string_body> res;
};

}  // namespace

class TestHttpServer::Impl : public std::enable_shared_from_this<TestHttpServer::Impl> {
 public:
  Impl(asio::io_context& io, CertKey cert, Handler handler)
      : tls_(asio::ssl::context::tls_server),
        handler_(std::move(handler)),
        acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    tls_.use_certificate_chain(asio::buffer(cert.cert_pem));
    tls_.use_private_key(asio::buffer(cert.key_pem), asio::ssl::context::pem);
  }

  void do_accept() {
    acceptor_.async_accept([self = shared_from_this()](error_code ec, tcp::socket s) {
      if (ec) return;
      auto c = std::make_shared<HttpConn>(std::move(s), self->tls_, self->accepted_++);
      self->conns_.push_back(c);
      c->stream.async_handshake(asio::ssl::stream_base::server, [self, c](error_code ec2) {
        if (!ec2) self->do_read(c);
      });
      self->do_accept();
    });
  }

  void do_read(const std::shared_ptr<HttpConn>& c) {
    c->req = {};
    http::async_read(c->stream, c->buffer, c->req, [self = shared_from_this(), c](error_code ec, std::size_t) {
      if (ec) return;
      HttpRecord rec;
      rec.conn = c->index;
      rec.method = std::string(c->req.method_string());
      rec.target = std::string(c->req.target());
      for (const auto& f : c->req) rec.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      rec.body = c->req.body();
      self->records_.push_back(rec);
      const HttpReply reply = self->handler_ ? self->handler_(rec) : HttpReply{};
      if (reply.no_reply) return;
      if (reply.reset) {
        error_code ignored;
        beast::get_lowest_layer(c->stream).socket().close(ignored);
        return;
      }
      c->res = {};
      c->res.result(static_cast<unsigned>(reply.status));
      c->res.version(11);
      for (const auto& [k, v] : reply.headers) c->res.set(k, v);
      c->res.body() = reply.body;
      c->res.keep_alive(!reply.close);
      c->res.prepare_payload();
      http::async_write(c->stream, c->res, [self, c, close = reply.close](error_code ec2, std::size_t) {
        if (ec2) return;
        if (close) {
          error_code ignored;
          beast::get_lowest_layer(c->stream).socket().close(ignored);
          return;
        }
        self->do_read(c);
      });
    });
  }

  void shutdown() {
    error_code ignored;
    acceptor_.close(ignored);
    drop_all();
  }
  void drop_all() {
    error_code ignored;
    for (auto& c : conns_) beast::get_lowest_layer(c->stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    for (auto& c : conns_) beast::get_lowest_layer(c->stream).socket().close(ignored);
    conns_.clear();
  }

  asio::ssl::context tls_;
  Handler handler_;
  tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<HttpConn>> conns_;
  std::vector<HttpRecord> records_;
  std::size_t accepted_ = 0;
};

TestHttpServer::TestHttpServer(asio::io_context& io, CertKey cert, Handler handler)
    : impl_(std::make_shared<Impl>(io, std::move(cert), std::move(handler))) {
  impl_->do_accept();
}
TestHttpServer::~TestHttpServer() { impl_->shutdown(); }
std::uint16_t TestHttpServer::port() const { return impl_->acceptor_.local_endpoint().port(); }
std::string TestHttpServer::url(std::string_view host) const {
  return "https://" + std::string(host) + ":" + std::to_string(port());
}
std::size_t TestHttpServer::accepted() const { return impl_->accepted_; }
std::vector<HttpRecord> TestHttpServer::requests() const { return impl_->records_; }
void TestHttpServer::drop_all() { impl_->drop_all(); }

}  // namespace tradingd::test
