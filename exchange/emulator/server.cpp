// The Beast shell (see server.h). Follows Beast's chat-multi server: one session object per connection,
// do_x/on_x handler pairs that begin with the error check, and one write queue per WebSocket (push, and
// start async_write only when nothing is in flight). Everything runs on one thread. Venue code is called
// inside try/catch: an exception becomes a 500 or a closed connection and a log line, never a crash.
#include "exchange/emulator/server.h"

#include <chrono>
#include <cstdio>
#include <deque>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>

namespace tradingd::emulator {
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

const char* venue_name(Venue v) {
  switch (v) {
    case Venue::Binance: return "binance";
    case Venue::Bybit: return "bybit";
    case Venue::Okx: return "okx";
    default: return "?";
  }
}

void log_line(const std::string& s) { std::fprintf(stderr, "venue-emulator: %s\n", s.c_str()); }

class WsSession;

struct Hub {
  VenueService* svc = nullptr;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::weak_ptr<WsSession>> sessions;
  std::vector<std::string> replay;
  std::size_t replay_pos = 0;
  bool replay_active = false;
  std::size_t max_queue = 0;
  std::string name() const { return venue_name(svc->venue()); }
};

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(beast::ssl_stream<beast::tcp_stream>&& stream, Hub& hub, std::unique_ptr<WsProtocol> proto, std::string target)
      : ws_(std::move(stream)), hub_(hub), proto_(std::move(proto)), target_(std::move(target)),
        hb_timer_(ws_.get_executor()) {}

  void start(http::request<http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(30);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;  // heartbeats follow the venue's policy (on_heartbeat)
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "venue-emulator"); }));
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      const auto now = wall_ms();
      last_inbound_ms_ = now;
      if (kind == websocket::frame_type::pong) last_pong_ms_ = now;
    });
    ws_.async_accept(req, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
  }

  // Queues a frame unless the venue is stalled (a stall drops output: the client later sees a gap).
  void send(std::string frame) {
    if (closing_ || !open_) return;
    if (hub_.svc->faults().stalled(wall_ms())) return;
    queue_.push_back(std::make_shared<const std::string>(std::move(frame)));
    if (queue_.size() > hub_.max_queue) {
      log_line(hub_.name() + ": slow WebSocket reader disconnected queued=" + std::to_string(queue_.size()));
      drop();
      return;
    }
    if (!writing_) do_write();
  }

  void deliver_tick(const VenueTick& tick) {
    if (!open_ || closing_) return;
    std::vector<std::string> out;
    try {
      proto_->on_tick(tick, out);
    } catch (const std::exception& e) {
      log_line(hub_.name() + ": stream error, closing connection error=" + e.what());
      close(websocket::close_code::internal_error);
      return;
    }
    for (auto& f : out) send(std::move(f));
  }

  bool is_private() const { return proto_->is_private(); }

  // The drop fault: the TCP connection goes away without a close frame, as a network failure would.
  void drop() {
    closing_ = true;
    beast::error_code ec;
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
    hb_timer_.cancel();
  }

  void close(std::uint16_t code, std::string reason = {}) {
    if (closing_) return;
    closing_ = true;
    hb_timer_.cancel();
    websocket::close_reason why;
    why.code = code;
    why.reason = reason;
    ws_.async_close(why,
                    [self = shared_from_this()](beast::error_code) { self->drop(); });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return log_line(hub_.name() + ": WebSocket handshake failed error=" + ec.message());
    open_ = true;
    const auto now = wall_ms();
    last_inbound_ms_ = last_pong_ms_ = last_ping_ms_ = now;
    log_line(hub_.name() + ": WebSocket open target=" + target_);
    policy_ = proto_->heartbeat();
    if (policy_.server_ping_interval_ms > 0 || policy_.idle_timeout_ms > 0 || policy_.pong_timeout_ms > 0) arm_heartbeat();
    do_read();
  }

  void do_read() { ws_.async_read(buf_, beast::bind_front_handler(&WsSession::on_read, shared_from_this())); }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      if (!closing_) log_line(hub_.name() + ": WebSocket closed target=" + target_ + " reason=" + ec.message());
      closing_ = true;
      hb_timer_.cancel();
      return;
    }
    const auto now = wall_ms();
    last_inbound_ms_ = now;
    const std::string text = beast::buffers_to_string(buf_.data());
    buf_.consume(buf_.size());
    std::vector<std::string> out;
    try {
      proto_->on_text(text, now, out);
    } catch (const std::exception& e) {
      log_line(hub_.name() + ": request error error=" + e.what());
    }
    for (auto& f : out) send(std::move(f));
    do_read();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
      queue_.clear();
      return;
    }
    queue_.pop_front();
    if (!queue_.empty() && !closing_) do_write();
  }

  void arm_heartbeat() {
    hb_timer_.expires_after(std::chrono::milliseconds(200));
    hb_timer_.async_wait(beast::bind_front_handler(&WsSession::on_heartbeat, shared_from_this()));
  }

  void on_heartbeat(beast::error_code ec) {
    if (ec || closing_) return;
    const auto now = wall_ms();
    if (policy_.idle_timeout_ms > 0 && now - last_inbound_ms_ >= policy_.idle_timeout_ms) {
      log_line(hub_.name() + ": closing idle WebSocket target=" + target_);
      return close(static_cast<std::uint16_t>(policy_.idle_close_code), "No data received in 30s.");
    }
    if (policy_.pong_timeout_ms > 0 && now - last_pong_ms_ >= policy_.pong_timeout_ms) {
      log_line(hub_.name() + ": closing WebSocket without pong target=" + target_);
      return close(websocket::close_code::policy_error, "Pong timeout");
    }
    if (policy_.server_ping_interval_ms > 0 && now - last_ping_ms_ >= policy_.server_ping_interval_ms &&
        !hub_.svc->faults().stalled(now)) {
      last_ping_ms_ = now;
      ws_.async_ping(websocket::ping_data(std::to_string(now)), [self = shared_from_this()](beast::error_code) {});
    }
    arm_heartbeat();
  }

  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  Hub& hub_;
  std::unique_ptr<WsProtocol> proto_;
  std::string target_;
  net::steady_timer hb_timer_;
  beast::flat_buffer buf_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  HeartbeatPolicy policy_;
  bool writing_ = false, closing_ = false, open_ = false;
  std::int64_t last_inbound_ms_ = 0, last_pong_ms_ = 0, last_ping_ms_ = 0;
};

}  // namespace

struct EmulatorServer::Impl {
  explicit Impl(ServerSetup s)
      : setup(std::move(s)), ctx(ssl::context::tls_server), tick_timer(ioc), replay_timer(ioc), signals(ioc) {}

  void act_on_faults(Hub& hub) {
    FaultState& f = hub.svc->faults();
    if (f.drop_pending > 0) {
      f.drop_pending = 0;
      std::size_t n = 0;
      for (auto& w : hub.sessions)
        if (auto s = w.lock()) s->drop(), ++n;
      log_line(hub.name() + ": fault drop closed=" + std::to_string(n));
    }
    if (f.private_drop_pending > 0) {
      f.private_drop_pending = 0;
      for (auto& w : hub.sessions)
        if (auto s = w.lock(); s && s->is_private()) s->drop();
      log_line(hub.name() + ": fault private_drop");
    }
    while (f.malformed_pending > 0) {
      --f.malformed_pending;
      for (auto& w : hub.sessions)
        if (auto s = w.lock()) s->send(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":17)");
    }
  }

  void on_tick() {
    const auto now = wall_ms();
    for (auto& hub : hubs) {
      VenueTick t;
      try {
        t = hub->svc->tick(now);
      } catch (const std::exception& e) {
        log_line(hub->name() + ": market tick failed error=" + e.what());
        continue;
      }
      act_on_faults(*hub);
      std::erase_if(hub->sessions, [](const std::weak_ptr<WsSession>& w) { return w.expired(); });
      if (hub->replay_active) continue;
      for (auto& w : hub->sessions)
        if (auto s = w.lock()) s->deliver_tick(t);
    }
    tick_timer.expires_after(std::chrono::milliseconds(setup.tick_ms));
    tick_timer.async_wait([this](beast::error_code ec) {
      if (!ec) on_tick();
    });
  }

  void on_replay() {
    for (auto& hub : hubs) {
      if (!hub->replay_active || hub->replay.empty() || hub->replay_pos >= hub->replay.size()) continue;
      const std::string& frame = hub->replay[hub->replay_pos++];
      if (hub->replay_pos == hub->replay.size() && setup.replay_loop) hub->replay_pos = 0;
      for (auto& w : hub->sessions)
        if (auto s = w.lock(); s && !s->is_private()) s->send(frame);
    }
    replay_timer.expires_after(std::chrono::milliseconds(setup.replay_interval_ms));
    replay_timer.async_wait([this](beast::error_code ec) {
      if (!ec) on_replay();
    });
  }

  void do_accept(Hub& hub);

  ServerSetup setup;
  net::io_context ioc{1};
  ssl::context ctx;
  std::vector<std::unique_ptr<Hub>> hubs;
  net::steady_timer tick_timer, replay_timer;
  net::signal_set signals;
  std::vector<std::unique_ptr<net::steady_timer>> fault_timers;
};

namespace {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, ssl::context& ctx, Hub& hub, EmulatorServer::Impl& impl)
      : stream_(std::move(socket), ctx), hub_(hub), impl_(impl) {}

  void run() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
    stream_.async_handshake(ssl::stream_base::server, beast::bind_front_handler(&HttpSession::on_handshake, shared_from_this()));
  }

 private:
  void on_handshake(beast::error_code ec) {
    if (ec) return;  // scanners, clients that do not trust our CA: nothing to log per attempt
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(1 << 20);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(120));
    http::async_read(stream_, buf_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return do_shutdown();
    if (ec) return;
    http::request<http::string_body> req = parser_->release();
    const std::string target(req.target());
    if (websocket::is_upgrade(req)) {
      std::unique_ptr<WsProtocol> proto;
      try {
        proto = hub_.svc->open_ws(target);
      } catch (const std::exception& e) {
        log_line(hub_.name() + ": WebSocket open failed error=" + e.what());
      }
      if (proto) {
        proto->set_replay_mode(hub_.replay_active);
        auto ws = std::make_shared<WsSession>(std::move(stream_), hub_, std::move(proto), target);
        hub_.sessions.push_back(ws);
        ws->start(std::move(req));
        return;
      }
      return respond(req, HttpResponse::json(404, R"({"error":"no WebSocket endpoint at this path"})"));
    }
    HttpResponse r;
    try {
      r = target.starts_with("/_emulator/") ? admin(req) : hub_.svc->handle_rest(to_request(req), wall_ms());
    } catch (const std::exception& e) {
      log_line(hub_.name() + ": REST handler failed target=" + target + " error=" + e.what());
      r = HttpResponse::json(500, error_body_internal(hub_.svc->venue(), e.what()));
    }
    if (r.no_reply) {
      beast::error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(stream_).socket().close(ignored);
      return;
    }
    respond(req, std::move(r));
  }

  static HttpRequest to_request(const http::request<http::string_body>& req) {
    HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.body = req.body();
    for (const auto& f : req) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    return r;
  }

  HttpResponse admin(const http::request<http::string_body>& req) {
    const std::string_view target = req.target();
    FaultState& faults = hub_.svc->faults();
    const auto now = wall_ms();
    auto reply = [&](int status, boost::json::object o) { return HttpResponse::json(status, boost::json::serialize(o)); };
    if (target == "/_emulator/health") return reply(200, {{"ok", true}, {"venue", hub_.name()}});
    if (target == "/_emulator/faults" && req.method() == http::verb::get)
      return reply(200, {{"ok", true}, {"venue", hub_.name()}, {"faults", boost::json::parse(describe_faults(faults, now))}});
    if (target == "/_emulator/fault" && req.method() == http::verb::post) {
      auto fr = parse_fault_request(req.body());
      if (!fr) return reply(400, {{"ok", false}, {"error", fr.error()}});
      apply_fault(*fr, now, faults);
      log_line(hub_.name() + ": fault " + std::string(to_string(fr->kind)) + " count=" + std::to_string(fr->count) +
               " duration_ms=" + std::to_string(fr->duration_ms));
      impl_.act_on_faults(hub_);
      return reply(200, {{"ok", true}, {"venue", hub_.name()}, {"faults", boost::json::parse(describe_faults(faults, now))}});
    }
    return reply(404, {{"ok", false}, {"error", "admin endpoints: POST /_emulator/fault, GET /_emulator/faults, GET /_emulator/health"}});
  }

  void respond(const http::request<http::string_body>& req, HttpResponse r) {
    if (r.no_reply) return do_shutdown();  // fault accept_no_reply: the request was executed, no answer comes
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), req.version());
    res->set(http::field::server, "venue-emulator");
    res->set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    res->keep_alive(req.keep_alive());
    res->body() = std::move(r.body);
    res->prepare_payload();
    res_ = res;
    http::async_write(stream_, *res_, beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), res_->keep_alive()));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    if (ec) return;
    res_.reset();
    if (!keep_alive) return do_shutdown();
    do_read();
  }

  void do_shutdown() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  Hub& hub_;
  EmulatorServer::Impl& impl_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
};

}  // namespace

void EmulatorServer::Impl::do_accept(Hub& hub) {
  hub.acceptor->async_accept([this, &hub](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) std::make_shared<HttpSession>(std::move(socket), ctx, hub, *this)->run();
    do_accept(hub);
  });
}

EmulatorServer::EmulatorServer(ServerSetup setup) : impl_(std::make_unique<Impl>(std::move(setup))) {}
EmulatorServer::~EmulatorServer() = default;

Result<bool, std::string> EmulatorServer::start() {
  Impl& im = *impl_;
  beast::error_code ec;
  im.ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  im.ctx.use_certificate_chain_file(im.setup.cert_file, ec);
  if (ec) return Err{"cannot load certificate " + im.setup.cert_file + ": " + ec.message()};
  im.ctx.use_private_key_file(im.setup.key_file, ssl::context::pem, ec);
  if (ec) return Err{"cannot load key " + im.setup.key_file + ": " + ec.message()};
  const auto addr = net::ip::make_address(im.setup.bind_address, ec);
  if (ec) return Err{"bad bind address " + im.setup.bind_address};
  for (std::size_t i = 0; i < im.setup.services.size(); ++i) {
    auto hub = std::make_unique<Hub>();
    hub->svc = im.setup.services[i].get();
    hub->max_queue = im.setup.max_queued_frames;
    hub->acceptor = std::make_unique<tcp::acceptor>(im.ioc);
    const std::uint16_t port = i < im.setup.ports.size() ? im.setup.ports[i] : 0;
    const tcp::endpoint ep(addr, port);
    auto fail = [&](const char* what) -> Result<bool, std::string> {
      return Err{std::string("cannot ") + what + " " + hub->name() + " on " + im.setup.bind_address + ":" +
                 std::to_string(port) + ": " + ec.message()};
    };
    hub->acceptor->open(ep.protocol(), ec);
    if (ec) return fail("open a socket for");
    hub->acceptor->set_option(net::socket_base::reuse_address(true), ec);
    if (ec) return fail("configure");
    hub->acceptor->bind(ep, ec);
    if (ec) return fail("bind");
    hub->acceptor->listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen for");
    im.hubs.push_back(std::move(hub));
  }
  // Signals are caught from here on, before the URL line tells anyone the server is up.
  if (im.setup.handle_signals) {
    im.signals.add(SIGINT);
    im.signals.add(SIGTERM);
    im.signals.async_wait([&im](beast::error_code sec, int sig) {
      if (sec) return;
      log_line("Stopping signal=" + std::to_string(sig));
      im.ioc.stop();
    });
  }
  for (auto& [venue, frames] : im.setup.replays) {
    for (auto& hub : im.hubs) {
      if (hub->svc->venue() != venue) continue;
      hub->replay = frames;
      hub->replay_active = true;
    }
  }
  return true;
}

std::uint16_t EmulatorServer::port(Venue v) const {
  for (const auto& hub : impl_->hubs)
    if (hub->svc->venue() == v) return hub->acceptor->local_endpoint().port();
  return 0;
}

void EmulatorServer::run() {
  Impl& im = *impl_;
  for (auto& hub : im.hubs) im.do_accept(*hub);
  for (const auto& f : im.setup.faults) {
    auto timer = std::make_unique<net::steady_timer>(im.ioc, std::chrono::milliseconds(f.after_ms));
    timer->async_wait([&im, f](beast::error_code ec) {
      if (ec) return;
      for (auto& hub : im.hubs) {
        if (hub->svc->venue() != f.venue) continue;
        apply_fault(f.request, wall_ms(), hub->svc->faults());
        log_line(hub->name() + ": scheduled fault " + std::string(to_string(f.request.kind)));
        im.act_on_faults(*hub);
      }
    });
    im.fault_timers.push_back(std::move(timer));
  }
  im.on_tick();
  if (!im.setup.replays.empty()) im.on_replay();
  im.ioc.run();
}

void EmulatorServer::stop() {
  net::post(impl_->ioc, [this] { impl_->ioc.stop(); });
}

}  // namespace tradingd::emulator
