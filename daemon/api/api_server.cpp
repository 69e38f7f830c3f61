// The Beast shell of the control API (see api_server.h), after Beast's server examples: one session object
// per connection, do_x/on_x pairs that begin with the error check, one write queue per WebSocket (push,
// and start async_write only when nothing is in flight). Everything runs on the daemon's io_context.
// Sessions keep the server's Shared state alive and check `stopped`, so a handler that outlives the
// server (io_context teardown) touches nothing that is gone.
#include "daemon/api/api_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>
#include <vector>

namespace tradingd::daemon::api {
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kMaxInboundWsMessage = 4096;  // clients have nothing to say on /v1/events

class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close() = 0;
};

class EventsClient : public Connection {
 public:
  virtual void send(const EventText& text) = 0;
};

}  // namespace

struct ApiServer::Shared {
  Shared(net::io_context& io, ApiRouter& r, ApiStats& s, ApiServerOptions o, std::function<std::string()> h,
         std::function<void()> a)
      : router(&r), stats(&s), options(std::move(o)), hello(std::move(h)), after_request(std::move(a)), acceptor(io) {}

  ApiRouter* router;
  ApiStats* stats;  // null once the server is gone
  ApiServerOptions options;
  std::function<std::string()> hello;
  std::function<void()> after_request;
  tcp::acceptor acceptor;
  std::string host;
  int port = 0;
  std::size_t open = 0;
  bool stopped = false;
  std::vector<std::weak_ptr<Connection>> connections;
  std::vector<std::weak_ptr<EventsClient>> events;
  std::weak_ptr<Shared> self;

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
};

namespace {

using SharedPtr = std::shared_ptr<ApiServer::Shared>;

// One open connection counted against max_connections, from accept until the session ends.
class Slot {
 public:
  explicit Slot(SharedPtr s) : s_(std::move(s)) {
    ++s_->open;
    if (s_->stats) s_->stats->connections.Increment();
  }
  ~Slot() {
    --s_->open;
    if (s_->stats && !s_->stopped) s_->stats->connections.Decrement();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  const SharedPtr& shared() const { return s_; }

 private:
  SharedPtr s_;
};

class WsSession final : public EventsClient, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(beast::tcp_stream&& stream, std::unique_ptr<Slot> slot)
      : ws_(std::move(stream)), slot_(std::move(slot)), queue_(slot_->shared()->options.events_queue) {}
  ~WsSession() override {
    const auto& s = slot_->shared();
    if (counted_ && s->stats && !s->stopped) s->stats->events_clients.Decrement();
  }

  void run(http::request<http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();  // the WebSocket's own timeouts from here on
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "tradingd"); }));
    ws_.read_message_max(kMaxInboundWsMessage);
    ws_.async_accept(req, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
  }

  void send(const EventText& text) override {
    if (!open_) return;
    if (!queue_.push(text)) {
      const auto& s = slot_->shared();
      if (s->stats) s->stats->events_clients_dropped.Increment();
      spdlog::warn("Control API events client dropped: too slow queued={}", queue_.size());
      close();
      return;
    }
    if (!writing_) do_write();
  }

  void close() override {
    open_ = false;
    queue_.clear();
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    const auto& s = slot_->shared();
    if (s->stopped) return close();
    open_ = true;
    counted_ = true;
    if (s->stats) s->stats->events_clients.Increment();
    s->events.push_back(shared_from_this());
    s->connections.push_back(shared_from_this());
    if (s->hello) send(std::make_shared<const std::string>(s->hello()));
    do_read();
  }

  void do_read() { ws_.async_read(buf_, beast::bind_front_handler(&WsSession::on_read, shared_from_this())); }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      open_ = false;
      return;
    }
    buf_.consume(buf_.size());  // inbound messages are ignored
    do_read();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) return close();
    if (!queue_.empty()) queue_.pop();
    if (!queue_.empty() && open_) do_write();
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::unique_ptr<Slot> slot_;
  EventQueue queue_;
  beast::flat_buffer buf_;
  bool open_ = false;
  bool writing_ = false;
  bool counted_ = false;
};

class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::unique_ptr<Slot> slot) : stream_(std::move(socket)), slot_(std::move(slot)) {}

  void run() { do_read(); }

  void close() override {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

 private:
  const ApiServerOptions& options() const { return slot_->shared()->options; }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(options().max_body_bytes);
    stream_.expires_after(options().request_timeout);
    http::async_read(stream_, buf_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    const auto& s = slot_->shared();
    if (s->stopped) return close();
    if (ec == http::error::end_of_stream) return close();
    if (ec == http::error::body_limit) {
      return respond_raw(413, R"({"error":"body_too_large","detail":"the body exceeds api.max_body_bytes"})", false,
                         "other");
    }
    if (ec == http::error::header_limit) {
      return respond_raw(431, R"({"error":"headers_too_large","detail":"request headers exceed 16 KiB"})", false,
                         "other");
    }
    if (ec == beast::error::timeout) return close();  // a slow client: no answer owed
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_method).category())
        return respond_raw(400, R"({"error":"bad_request","detail":"malformed HTTP request"})", false, "other");
      return close();
    }
    auto req = parser_->release();
    ApiRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    if (auto it = req.find(http::field::authorization); it != req.end()) r.authorization = std::string(it->value());
    r.body = std::move(req.body());
    const bool upgrade = websocket::is_upgrade(req);
    ApiResponse res = s->router->handle(r, upgrade);
    if (s->stats) s->stats->request(res.endpoint, res.status);
    if (s->after_request) s->after_request();
    if (res.status == kUpgradeAccepted) {
      stream_.expires_never();
      auto ws = std::make_shared<WsSession>(std::move(stream_), std::move(slot_));
      ws->run(std::move(req));
      return;
    }
    respond(std::move(res), req.version(), req.keep_alive());
  }

  void respond_raw(int status, std::string body, bool keep_alive, std::string endpoint) {
    const auto& s = slot_->shared();
    if (s->stats) s->stats->request(endpoint, status);
    respond(ApiResponse{status, std::move(body), {}, std::move(endpoint)}, 11, keep_alive);
  }

  void respond(ApiResponse r, unsigned version, bool keep_alive) {
    res_ = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res_->set(http::field::server, "tradingd");
    res_->set(http::field::content_type, "application/json");
    res_->set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : r.headers) res_->set(k, v);
    res_->keep_alive(keep_alive);
    res_->body() = std::move(r.body);
    res_->body() += '\n';
    res_->prepare_payload();
    stream_.expires_after(options().request_timeout);
    http::async_write(stream_, *res_, beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    res_.reset();
    if (ec || !keep_alive || slot_->shared()->stopped) return close();
    do_read();  // an idle keep-alive connection is closed by the read timeout
  }

  beast::tcp_stream stream_;
  std::unique_ptr<Slot> slot_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
};

std::pair<std::string, std::string> split_host_port(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("control API: listen address '" + listen + "' is not host:port");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, listen.substr(colon + 1)};
}

}  // namespace

void ApiServer::Shared::do_accept() {
  if (stopped) return;
  acceptor.async_accept([s = self.lock()](beast::error_code ec, tcp::socket socket) { s->on_accept(ec, std::move(socket)); });
}

void ApiServer::Shared::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopped || ec == net::error::operation_aborted) return;
  if (!ec) {
    std::erase_if(connections, [](const auto& w) { return w.expired(); });
    std::erase_if(events, [](const auto& w) { return w.expired(); });
    if (open >= options.max_connections) {
      if (stats) stats->connections_refused.Increment();
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      auto session = std::make_shared<HttpSession>(std::move(socket), std::make_unique<Slot>(self.lock()));
      connections.push_back(session);
      session->run();
    }
  }
  do_accept();
}

ApiServer::ApiServer(net::io_context& io, ApiRouter& router, ApiStats& stats, ApiServerOptions options,
                     std::function<std::string()> hello, std::function<void()> after_request)
    : shared_(std::make_shared<Shared>(io, router, stats, std::move(options), std::move(hello), std::move(after_request))) {
  shared_->self = shared_;
  const auto [host, port_text] = split_host_port(shared_->options.listen);
  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, port_text, tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    throw std::runtime_error("control API: cannot resolve listen address " + shared_->options.listen + ": " + ec.message());
  const tcp::endpoint endpoint = results.begin()->endpoint();
  auto& acc = shared_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("control API: cannot listen on " + shared_->options.listen + ": " + ec.message());
  const auto local = acc.local_endpoint();
  shared_->host = local.address().to_string();
  shared_->port = local.port();
  shared_->do_accept();
}

ApiServer::~ApiServer() {
  stop();
  shared_->router = nullptr;
  shared_->stats = nullptr;
  shared_->hello = nullptr;
  shared_->after_request = nullptr;
}

const std::string& ApiServer::host() const { return shared_->host; }
int ApiServer::port() const { return shared_->port; }

void ApiServer::broadcast(const EventText& text) {
  if (shared_->stopped) return;
  // Copy first: a send may drop a client, which must not disturb this loop.
  std::vector<std::shared_ptr<EventsClient>> live;
  for (const auto& w : shared_->events)
    if (auto c = w.lock()) live.push_back(std::move(c));
  for (const auto& c : live) c->send(text);
}

void ApiServer::stop() {
  if (shared_->stopped) return;
  shared_->stopped = true;
  beast::error_code ec;
  shared_->acceptor.close(ec);
  for (const auto& w : shared_->connections)
    if (auto c = w.lock()) c->close();
  shared_->connections.clear();
  shared_->events.clear();
  if (shared_->stats) {
    shared_->stats->connections.Set(0);
    shared_->stats->events_clients.Set(0);
  }
}

}  // namespace tradingd::daemon::api
