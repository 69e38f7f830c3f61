// WsSession's implementation: the only translation unit instantiating the TLS WebSocket client stream.
// Each step handler starts with `if (ec) return fail(...)`; finish() is idempotent and the single place
// a session ends. Handlers are moved out before they are called, so an owner may destroy the WsSession
// (or start a new one) from inside any callback.
#include "exchange/net/ws_session.h"

#include <chrono>
#include <deque>
#include <exception>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "exchange/net/detail/tls_native.h"

namespace tradingd::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {
std::chrono::milliseconds ms(std::int64_t v) { return std::chrono::milliseconds(v); }
}  // namespace

std::string log_name(const WsOptions& options, const Url& url) {
  return options.log_name.empty() ? url.to_log_string() : options.log_name;
}

class WsSession::Impl : public std::enable_shared_from_this<WsSession::Impl> {
 public:
  Impl(asio::io_context& io, std::shared_ptr<TlsContext> tls, Url url, WsOptions options, WsHandlers handlers,
       std::shared_ptr<WsStats> stats)
      : io_(io),
        tls_(std::move(tls)),
        url_(std::move(url)),
        options_(std::move(options)),
        handlers_(std::move(handlers)),
        stats_(stats ? std::move(stats) : std::make_shared<WsStats>()),
        resolver_(io),
        ws_(io, tls_->impl().ctx),
        step_timer_(io),
        close_timer_(io) {}

  void start() {
    if (state_ != State::Created) return;
    state_ = State::Connecting;
    step_timer_.expires_after(ms(options_.resolve_timeout_ms));
    step_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->state_ != State::Connecting || self->resolved_) return;
      self->resolve_timed_out_ = true;
      self->resolver_.cancel();
    });
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [self = shared_from_this()](error_code ec, tcp::resolver::results_type results) {
                              self->on_resolve(ec, std::move(results));
                            });
  }

  bool send(bool ping, std::string text) {
    if (state_ != State::Open || closing_) return false;
    if (queue_.size() >= options_.max_queued_writes) {
      stats_->write_queue_full.add();
      return false;
    }
    queue_.push_back(Outgoing{ping, std::move(text)});
    if (!writing_) do_write();
    return true;
  }

  void close() {
    if (state_ == State::Finished || closing_) return;
    closing_ = true;
    if (state_ == State::Created) {
      // Never started: end it from the event loop, not from inside close().
      asio::post(io_, [self = shared_from_this()] { self->finish(local_close()); });
      return;
    }
    if (state_ == State::Connecting) {
      // Cancel whichever step is running; its handler sees closing_ and reports a local close.
      resolver_.cancel();
      error_code ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
      return;
    }
    // Open: drop what has not started, let the frame in flight finish, then the closing handshake.
    while (queue_.size() > (writing_ ? 1u : 0u)) queue_.pop_back();
    close_timer_.expires_after(ms(options_.close_timeout_ms));
    close_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->state_ == State::Finished) return;
      self->finish(local_close());  // the peer did not complete the closing handshake in time
    });
    if (!writing_) do_close();
  }

  // The owner is gone: no more callbacks; close in the background.
  void detach() {
    handlers_ = WsHandlers{};
    close();
  }

  bool is_open() const { return state_ == State::Open && !closing_; }
  std::size_t queued() const { return queue_.size(); }
  const Url& url() const { return url_; }
  const WsStats& stats() const { return *stats_; }

 private:
  enum class State : std::uint8_t { Created, Connecting, Open, Finished };
  struct Outgoing {
    bool ping;
    std::string text;
  };

  static NetError local_close() {
    NetError e;
    e.stage = NetStage::Local;
    e.message = "closed locally";
    return e;
  }

  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    resolved_ = true;
    step_timer_.cancel();
    if (ec) return fail(ec, NetStage::Resolve, resolve_timed_out_);
    if (closing_) return finish(local_close());
    beast::get_lowest_layer(ws_).expires_after(ms(options_.connect_timeout_ms));
    beast::get_lowest_layer(ws_).async_connect(
        results, [self = shared_from_this()](error_code ec2, const tcp::endpoint&) { self->on_connect(ec2); });
  }

  void on_connect(error_code ec) {
    if (ec) return fail(ec, NetStage::Connect);
    if (closing_) return finish(local_close());
    if (auto e = detail::configure_tls_client(ws_.next_layer().native_handle(), url_.host))
      return fail(e, NetStage::TlsHandshake);
    beast::get_lowest_layer(ws_).expires_after(ms(options_.tls_handshake_timeout_ms));
    ws_.next_layer().async_handshake(asio::ssl::stream_base::client,
                                     [self = shared_from_this()](error_code ec2) { self->on_ssl_handshake(ec2); });
  }

  void on_ssl_handshake(error_code ec) {
    if (ec) return fail(ec, NetStage::TlsHandshake);
    if (closing_) return finish(local_close());
    // From here the WebSocket's own timeouts apply (Beast's advice: the tcp_stream timer must be off).
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = ms(options_.ws_handshake_timeout_ms);
    t.idle_timeout = options_.idle_timeout_ms > 0 ? ms(options_.idle_timeout_ms) : websocket::stream_base::none();
    t.keep_alive_pings = false;  // the venue heartbeat decides what to send
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [ua = options_.user_agent](websocket::request_type& req) { req.set(http::field::user_agent, ua); }));
    if (options_.permessage_deflate) {
      websocket::permessage_deflate pmd;
      pmd.client_enable = true;
      ws_.set_option(pmd);
    }
    ws_.read_message_max(options_.max_message_bytes);
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) { on_control(kind); });
    ws_.async_handshake(upgrade_response_, url_.host_header(), url_.target,
                        [self = shared_from_this()](error_code ec2) { self->on_handshake(ec2); });
  }

  void on_handshake(error_code ec) {
    if (ec) return fail(ec, NetStage::WsHandshake);
    if (closing_) {
      do_close();
      return;
    }
    state_ = State::Open;
    stats_->connects.add();
    ws_.text(true);
    invoke([&] {
      if (handlers_.on_open) handlers_.on_open();
    });
    if (state_ != State::Open) return;
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(error_code ec, std::size_t n) {
    if (ec) return fail(ec, NetStage::Read);
    if (state_ == State::Finished) return;
    if (!ws_.got_text()) {
      stats_->binary_frames.add();  // none of our venues sends binary frames on these streams
      buffer_.consume(buffer_.size());
      return do_read();
    }
    stats_->messages_in.add();
    stats_->bytes_in.add(n);
    // The buffer is consumed whole after each frame, so its data starts at its storage: make sure the
    // parser's padding is allocated behind the frame (prepare may move the frame; read data() after it).
    if (buffer_.capacity() - buffer_.size() < kWsReadPadding) buffer_.prepare(kWsReadPadding);
    const auto data = buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    if (!closing_) {
      invoke([&] {
        if (handlers_.on_text) handlers_.on_text(text);
      });
    }
    buffer_.consume(buffer_.size());
    if (state_ == State::Finished) return;
    do_read();
  }

  void on_control(websocket::frame_type kind) {
    if (kind == websocket::frame_type::close) return;
    const bool ping = kind == websocket::frame_type::ping;
    (ping ? stats_->pings_received : stats_->pongs_received).add();
    invoke([&] {
      if (handlers_.on_control) handlers_.on_control(ping ? WsControlFrame::Ping : WsControlFrame::Pong);
    });
  }

  void do_write() {
    writing_ = true;
    Outgoing& out = queue_.front();
    auto done = [self = shared_from_this()](error_code ec, std::size_t n) { self->on_write(ec, n); };
    if (out.ping) {
      ws_.async_ping({}, [done](error_code ec) mutable { done(ec, 0); });
    } else {
      ws_.async_write(asio::buffer(out.text), std::move(done));
    }
  }

  void on_write(error_code ec, std::size_t n) {
    writing_ = false;
    if (state_ == State::Finished) return;
    if (ec) return fail(ec, NetStage::Write);
    if (queue_.front().ping) {
      stats_->pings_sent.add();
    } else {
      stats_->messages_out.add();
      stats_->bytes_out.add(n);
    }
    queue_.pop_front();
    if (closing_) return do_close();
    if (!queue_.empty()) do_write();
  }

  void do_close() {
    if (close_started_) return;
    close_started_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](error_code) { self->finish(local_close()); });
  }

  void fail(error_code ec, NetStage stage, bool timed_out = false) {
    if (state_ == State::Finished) return;
    if (closing_) return finish(local_close());
    NetError e;
    e.stage = stage;
    e.timeout = timed_out || ec == beast::error::timeout;
    if (e.timeout && stage == NetStage::Resolve) {
      e.message = "resolve timed out";
    } else {
      e.message = ec.message();
    }
    if (stage == NetStage::TlsHandshake) {
      std::string why;
      if (detail::is_verify_failure(ec, ws_.next_layer().native_handle(), why)) {
        e.tls_verify = true;
        e.message = "certificate rejected: " + why;
        stats_->tls_verify_failures.add();
      }
    }
    if (stage == NetStage::WsHandshake && upgrade_response_.result_int() != 0 &&
        upgrade_response_.result() != http::status::switching_protocols) {
      e.http_status = static_cast<int>(upgrade_response_.result_int());
      e.message += " (HTTP " + std::to_string(e.http_status) + ")";
    }
    if (ec == websocket::error::closed) {
      e.remote_close = true;
      e.close_code = static_cast<int>(ws_.reason().code);
      e.message = "closed by peer: code=" + std::to_string(e.close_code) + " reason=" + std::string(ws_.reason().reason.c_str());
    }
    if (state_ == State::Open) {
      stats_->disconnects.add();
    } else {
      stats_->connect_failures.add();
    }
    stats_->errors.add();
    finish(std::move(e));
  }

  void finish(NetError e) {
    if (state_ == State::Finished) return;
    state_ = State::Finished;
    error_code ignored;
    step_timer_.cancel();
    close_timer_.cancel();
    resolver_.cancel();
    beast::get_lowest_layer(ws_).socket().close(ignored);  // pending operations complete as aborted
    queue_.clear();
    auto on_closed = std::move(handlers_.on_closed);
    handlers_ = WsHandlers{};
    if (on_closed) invoke([&] { on_closed(e); });
  }

  // The handler boundary: nothing a handler throws reaches the event loop.
  template <class F>
  void invoke(F&& f) {
    try {
      f();
    } catch (const std::exception& ex) {
      stats_->handler_errors.add();
      spdlog::error("WebSocket handler threw connection={} error={}", log_name(options_, url_), ex.what());
    } catch (...) {
      stats_->handler_errors.add();
      spdlog::error("WebSocket handler threw connection={} error=unknown", log_name(options_, url_));
    }
  }

  asio::io_context& io_;
  std::shared_ptr<TlsContext> tls_;
  Url url_;
  WsOptions options_;
  WsHandlers handlers_;
  std::shared_ptr<WsStats> stats_;
  tcp::resolver resolver_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  asio::steady_timer step_timer_;
  asio::steady_timer close_timer_;
  beast::flat_buffer buffer_;
  websocket::response_type upgrade_response_;
  std::deque<Outgoing> queue_;
  State state_ = State::Created;
  bool resolved_ = false;
  bool resolve_timed_out_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool close_started_ = false;
};

WsSession::WsSession(asio::io_context& io, std::shared_ptr<TlsContext> tls, Url url, WsOptions options,
                     WsHandlers handlers, std::shared_ptr<WsStats> stats)
    : impl_(std::make_shared<Impl>(io, std::move(tls), std::move(url), std::move(options), std::move(handlers),
                                   std::move(stats))) {}

WsSession::~WsSession() { impl_->detach(); }

void WsSession::start() { impl_->start(); }
bool WsSession::send_text(std::string text) { return impl_->send(false, std::move(text)); }
bool WsSession::send_ping() { return impl_->send(true, {}); }
void WsSession::close() { impl_->close(); }
bool WsSession::is_open() const { return impl_->is_open(); }
std::size_t WsSession::queued_writes() const { return impl_->queued(); }
const Url& WsSession::url() const { return impl_->url(); }
const WsStats& WsSession::stats() const { return impl_->stats(); }

}  // namespace tradingd::net
